"""The ``kbgen`` command line: check, graph, build, serve, new, readings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

from kbgen.config_file import kbgen_options
from kbgen.pipeline import load_vault
from kbgen.publish import PublishRules
from kbgen.report import PER_KIND, check_lines, check_report

DEFAULT_VAULT = Path("notes")
CONFIG_FILE = Path("mkdocs.yml")


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml files that use ``!!python/name`` or ``!ENV`` tags without running them."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _config_path(config_file: Path, key: str, fallback: str) -> Path:
    """A folder named in an mkdocs.yml (relative to it), read without running its tags."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise click.UsageError(f"{config_file}: cannot read: {error}") from error
    value = config.get(key) if isinstance(config, dict) else None
    return config_file.parent / (value if isinstance(value, str) else fallback)


def default_vault() -> Path:
    """``docs_dir`` of ``./mkdocs.yml`` when there is one, else ``notes/``."""
    return _config_path(CONFIG_FILE, "docs_dir", "docs") if CONFIG_FILE.is_file() else DEFAULT_VAULT


def _configured_site_dir(config_file: Path | None) -> Path:
    """``site_dir`` of the config file, else ``./site``."""
    return _config_path(config_file, "site_dir", "site") if config_file is not None else Path("site")


def publish_rules() -> PublishRules:
    """The ``kbgen`` plugin's publishing options in ``./mkdocs.yml``: check, graph and
    readings leave out the notes the site leaves out."""
    if not CONFIG_FILE.is_file():
        return PublishRules()
    try:
        return PublishRules.from_options(kbgen_options(CONFIG_FILE))
    except ValueError as error:
        raise click.UsageError(f"{CONFIG_FILE}: kbgen plugin options: {error}") from error


def _vault_argument(vault: Path | None) -> Path:
    vault = vault if vault is not None else default_vault()
    if not vault.is_dir():
        raise click.UsageError(f"vault folder not found: {vault}")
    return vault


@click.group()
@click.version_option(package_name="kbgen")
def main() -> None:
    """Turn a folder of Obsidian-style notes into a cross-linked website."""


@main.command()
@click.argument("vault", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding (for CI).")
@click.option("-v", "--verbose", is_flag=True,
              help=f"List every finding (text format shows {PER_KIND} per kind, then a count per kind).")
def check(vault: Path | None, fmt: str, strict: bool, verbose: bool) -> None:
    """Parse and resolve VAULT; report broken links and bad input, write nothing."""
    loaded = load_vault(_vault_argument(vault), keep_tokens=False, publish=publish_rules())
    if fmt == "json":
        click.echo(json.dumps(check_report(loaded), indent=2, ensure_ascii=False))
    else:
        for line in check_lines(loaded, verbose=verbose):
            click.echo(line)
    if strict and loaded.findings:
        sys.exit(1)


@main.command()
@click.argument("vault", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "graphml"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
def graph(vault: Path | None, fmt: str, output: Path) -> None:
    """Write the link graph of VAULT as node-link JSON or GraphML."""
    loaded = load_vault(_vault_argument(vault), keep_tokens=False, publish=publish_rules())
    _refuse_inside(output, loaded.root)
    if fmt == "json":
        output.write_text(json.dumps(loaded.graph.to_json(), indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        loaded.graph.write_graphml(output)
    click.echo(f"wrote {output}")


def _refuse_inside(path: Path, vault_root: Path) -> None:
    """Only ``kbgen new`` writes into the vault."""
    if path.resolve().is_relative_to(vault_root.resolve()):
        raise click.UsageError(f"refusing to write {path} inside the vault {vault_root}")


@main.command()
@click.argument("vault", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Site folder (default: site_dir of mkdocs.yml, else ./site).")
@click.option("--strict", is_flag=True, help="Fail on any warning (broken link, ambiguous name, bad input).")
@click.option("-f", "--config-file", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--no-cache", is_flag=True, help="Build from scratch, without reading or writing the build cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The build cache's folder (default: one per vault in $KBGEN_CACHE_DIR or ~/.cache/kbgen).")
def build(vault: Path | None, site_dir: Path | None, strict: bool, config_file: Path | None,
          no_cache: bool, cache_dir: Path | None) -> None:
    """Build VAULT into a static site; a failed build keeps the previous site."""
    from kbgen.site_build import CacheChoice, build_site

    vault = _vault_argument(vault)
    config_file = config_file or (CONFIG_FILE if CONFIG_FILE.is_file() else None)
    cache = CacheChoice(False if no_cache else None, cache_dir)
    result = build_site(vault, site_dir or _configured_site_dir(config_file), config_file, strict, cache)
    if not result.ok:
        raise click.ClickException(result.message)
    click.echo(result.message)


@main.command()
@click.argument("vault", required=False, type=click.Path(path_type=Path))
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
@click.option("-f", "--config-file", type=click.Path(path_type=Path, dir_okay=False), default=None)
@click.option("--no-cache", is_flag=True, help="Rebuild from scratch on every save, without the build cache.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The build cache's folder (default: one per vault in $KBGEN_CACHE_DIR or ~/.cache/kbgen).")
def serve(vault: Path | None, dev_addr: str, config_file: Path | None, no_cache: bool, cache_dir: Path | None) -> None:
    """Serve VAULT with live reload while you write: a save rebuilds only what it changed."""
    from kbgen.site_build import CacheChoice, serve_site

    vault = _vault_argument(vault)
    serve_site(vault, config_file or (CONFIG_FILE if CONFIG_FILE.is_file() else None), dev_addr,
               CacheChoice(False if no_cache else None, cache_dir))


@main.command()
@click.argument("args", nargs=-1, metavar="[VAULT] TITLE")
@click.option("--folder", default="", help="Folder inside the vault.")
@click.option("--vault", "vault_option", type=click.Path(path_type=Path), default=None,
              help="The vault (older form of the VAULT argument).")
@click.option("--tag", "tags", multiple=True, help="Tag to add (repeatable).")
@click.option("--wanted", is_flag=True, help="List the names linked to but not written yet, most linked first.")
def new(args: tuple[str, ...], folder: str, vault_option: Path | None, tags: tuple[str, ...], wanted: bool) -> None:
    """Create a note called TITLE in VAULT (never overwrites), or list the wanted names.

    The file name is TITLE without the characters Obsidian refuses in file names
    (TCP/IP -> TCP-IP.md, "Foo: Bar" -> "Foo - Bar.md"); the title is kept as written
    in the front matter, with an alias so links to it resolve.
    """
    from kbgen.new_note import NoteNameError, create_note

    most = 1 if wanted else 2
    if len(args) > most or (not wanted and not args):
        raise click.UsageError("usage: kbgen new [VAULT] TITLE, or kbgen new [VAULT] --wanted")
    given = Path(args[0]) if len(args) == most else None
    if given is not None and vault_option is not None:
        raise click.UsageError("give the vault once: as VAULT or as --vault")
    vault = _vault_argument(given if given is not None else vault_option)
    if wanted:
        for line in wanted_lines(vault):
            click.echo(line)
        return
    try:
        target = create_note(vault, args[-1], folder, tags)
    except NoteNameError as error:
        raise click.UsageError(str(error)) from None
    except FileExistsError as error:
        raise click.ClickException(f"{error.filename} already exists; not overwritten") from None
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(str(target))


def wanted_lines(vault: Path) -> list[str]:
    """``count  name  (first link)  command`` per wanted name, most linked first."""
    from kbgen.new_note import Wanted

    loaded = load_vault(vault, keep_tokens=False)
    wanted = [Wanted(m.name, list(m.referrers)) for m in loaded.graph.missing_targets()]
    if not wanted:
        return ["No wanted notes: every link finds its note."]
    width = max(len(w.name) for w in wanted[:50])
    lines = []
    for item in wanted:
        source, line = item.referrers[0]
        lines.append(f"{len(item.referrers):>5}  {item.name:<{width}}  ({source}:{line})  {item.command}")
    return lines


@main.command()
@click.argument("vault", required=False, type=click.Path(path_type=Path))
@click.option("--level", type=click.Choice(["cult", "introductionary", "introductory", "none"]), default=None)
@click.option("--kind", default=None, help="book, paper, blog, video, course, website, repository, …")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "bibtex"]), default="table",
              show_default=True, help="json is CSL-JSON.")
def readings(vault: Path | None, level: str | None, kind: str | None, fmt: str) -> None:
    """List the works cited in the vault's reading lists, each once."""
    from kbgen.readings import to_bibtex, to_csl_json, to_csv, to_table

    works = load_vault(_vault_argument(vault), keep_tokens=False, publish=publish_rules()).readings
    if level is not None:
        wanted = {"none": None, "introductory": "introductionary"}.get(level, level)
        works = [w for w in works if w.level == wanted]
    if kind is not None:
        works = [w for w in works if kind.casefold() in (w.kinds or [w.kind])]
    if fmt == "json":
        click.echo(json.dumps(to_csl_json(works), indent=2, ensure_ascii=False))
    else:
        click.echo({"table": to_table, "csv": to_csv, "bibtex": to_bibtex}[fmt](works), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
