"""Read an ``mkdocs.yml`` without MkDocs: its keys and the ``kbgen`` plugin's options.

``kbgen check``/``graph``/``readings`` must leave out the same notes as the site, so
they read the plugin options from the same file.  MkDocs configs use YAML tags that
would run code or read the environment (``!!python/name:…``, ``!ENV``): here
``!ENV`` is resolved as MkDocs does (the first set variable, else the last item as the
default) and every other tag reads as ``None``; nothing is imported or run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

PLUGIN = "kbgen"


class ConfigError(ValueError):
    """The file cannot be read or is not a YAML mapping."""


class _Loader(yaml.SafeLoader):
    """Safe YAML that tolerates MkDocs' tags."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``, read as pyyaml-env-tag (MkDocs) does:
    the first variable set, typed as YAML would type it (``"false"`` -> False), else the default."""
    default: Any = None
    if isinstance(node, yaml.ScalarNode):
        children = [node]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
        if len(children) > 1:
            default = loader.construct_object(children.pop())
    else:
        return None
    for child in children:
        name = loader.construct_scalar(child) if isinstance(child, yaml.ScalarNode) else None
        if isinstance(name, str) and name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name:… and the like


def read_config(path: Path) -> dict[str, Any]:
    """The top-level mapping of the YAML file at ``path`` (``{}`` when empty)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a YAML mapping")
    return data


def plugin_options(config: dict[str, Any], name: str = PLUGIN) -> dict[str, Any] | None:
    """The options of plugin ``name`` in a config's ``plugins`` (a list of names and
    ``{name: options}`` items, or a mapping); ``{}`` when listed bare, ``None`` when absent."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        items: list[Any] = [{key: value} for key, value in plugins.items()]
    elif isinstance(plugins, list):
        items = plugins
    else:
        return None
    for item in items:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            options = item[name]
            return dict(options) if isinstance(options, dict) else {}
    return None


def kbgen_options(path: Path) -> dict[str, Any]:
    """The ``kbgen`` plugin's options in the MkDocs config at ``path`` (``{}`` when it
    does not list the plugin or has no options)."""
    return plugin_options(read_config(path)) or {}
