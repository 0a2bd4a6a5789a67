"""SVG drawings cleaned by an allow-list, so a published ``.svg`` can run nothing.

Parsed with defusedxml (entity declarations refused: no billion laughs, no external
entities), then rebuilt from what is known safe: SVG elements and attributes from
DOMPurify's lists, ``href`` only to ``#id`` or http(s)/relative, CSS cleaned with
``css_clean``, and animations only of harmless attributes with harmless values.
Everything else goes, and each removal is counted by kind, with the line it was on.
Editor metadata (Inkscape, Sodipodi, RDF) is dropped without a count: it never renders.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from kbgen.css_clean import CssCleaning, clean_declarations, clean_stylesheet

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EMPTY_SVG = f'<svg xmlns="{SVG_NS}"/>\n'.encode()
MAX_DEPTH = 256  # the serializer recurses; no real drawing nests this deep
EDITOR_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#", "http://web.resource.org/cc/", "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/", "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://www.bohemiancoding.com/sketch/ns",
})
ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
ELEMENTS = ANIMATIONS | frozenset({
    "svg", "a", "altglyph", "altglyphdef", "altglyphitem", "circle", "clippath", "defs", "desc", "ellipse",
    "filter", "font", "g", "glyph", "glyphref", "hkern", "image", "line", "lineargradient", "marker", "mask",
    "metadata", "mpath", "path", "pattern", "polygon", "polyline", "radialgradient", "rect", "stop", "style",
    "switch", "symbol", "text", "textpath", "title", "tref", "tspan", "use", "view", "vkern",
    "feblend", "fecolormatrix", "fecomponenttransfer", "fecomposite", "feconvolvematrix", "fediffuselighting",
    "fedisplacementmap", "fedistantlight", "fedropshadow", "feflood", "fefunca", "fefuncb", "fefuncg", "fefuncr",
    "fegaussianblur", "feimage", "femerge", "femergenode", "femorphology", "feoffset", "fepointlight",
    "fespecularlighting", "fespotlight", "fetile", "feturbulence",
})
ATTRIBUTES = frozenset("""
accent-height accumulate additive alignment-baseline amplitude ascent attributename attributetype azimuth
basefrequency baseline-shift begin bias by class clip clippathunits clip-path clip-rule color
color-interpolation color-interpolation-filters color-profile color-rendering cx cy d dx dy diffuseconstant
direction display divisor dominant-baseline dur edgemode elevation enable-background end exponent fill
fill-opacity fill-rule filter filterunits flood-color flood-opacity font-family font-size font-size-adjust
font-stretch font-style font-variant font-weight fr from fx fy g1 g2 glyph-name glyphref gradientunits
gradienttransform height href id image-rendering in in2 intercept isolation k k1 k2 k3 k4 kerning keypoints
keysplines keytimes lang lengthadjust letter-spacing kernelmatrix kernelunitlength lighting-color local
marker-end marker-mid marker-start markerheight markerunits markerwidth mask-type maskcontentunits maskunits
max mask media method mix-blend-mode mode min name numoctaves offset operator opacity order orient
orientation origin overflow paint-order path pathlength patterncontentunits patterntransform patternunits
points preservealpha preserveaspectratio primitiveunits r rx ry radius refx refy repeatcount repeatdur
requiredfeatures restart result rotate scale seed shape-rendering slope specularconstant specularexponent
spreadmethod startoffset stddeviation stitchtiles stop-color stop-opacity stroke-dasharray stroke-dashoffset
stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke stroke-width style surfacescale
systemlanguage tabindex tablevalues targetx targety to transform transform-origin text-anchor text-decoration
text-rendering textlength type u1 u2 unicode unicode-bidi values vector-effect viewbox visibility version
vert-adv-y vert-origin-x vert-origin-y width word-spacing wrap writing-mode x x1 x2 xchannelselector y y1 y2
ychannelselector z zoomandpan
""".split())
ANIMATION_VALUES = ("values", "from", "to", "by")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_URL = re.compile(r"(?:javascript|vbscript|data):")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CSS_URL = re.compile(r"url\(['\"]?([^'\")]*)")


@dataclass(slots=True)
class SvgCleaning:
    """The bytes to publish and each kind of removal: kind -> [count, first line, names]."""

    data: bytes
    removed: dict[str, list] = field(default_factory=dict)
    refused: str | None = None  # why the whole drawing was replaced by an empty one

    def note(self, kind: str, line: int | None, name: str | None = None) -> None:
        entry = self.removed.setdefault(kind, [0, line, []])
        entry[0] += 1
        if name and name not in entry[2]:
            entry[2].append(name)


class _LineBuilder:
    """An ElementTree target that remembers the line each element starts on."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.pis: list[tuple[str, int]] = []
        self.expat = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrs)
        self.lines[id(element)] = self.expat.CurrentLineNumber if self.expat is not None else 0
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def pi(self, name: str, text: str) -> None:
        """Processing instructions (``<?xml-stylesheet?>`` can load XSLT) are never kept."""
        self.pis.append((name, self.expat.CurrentLineNumber if self.expat is not None else 0))

    def close(self) -> ET.Element:
        return self.builder.close()


def clean_svg(data: bytes) -> SvgCleaning:
    """Rebuild ``data`` from its known-safe parts; an unreadable file becomes an empty SVG."""
    target = _LineBuilder()
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    target.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except EntitiesForbidden:
        return SvgCleaning(EMPTY_SVG, refused="declares XML entities (refused: no entity expansion)")
    except DefusedXmlException as error:
        return SvgCleaning(EMPTY_SVG, refused=f"refers to external XML ({type(error).__name__})")
    except (ET.ParseError, ValueError) as error:
        return SvgCleaning(EMPTY_SVG, refused=f"not well-formed XML ({error})")
    namespace, local = _split(root.tag)
    if namespace not in (SVG_NS, None) or local.lower() != "svg":
        return SvgCleaning(EMPTY_SVG, refused=f"the root element is <{local}>, not <svg>")
    result = SvgCleaning(b"")
    for name, line in target.pis:
        result.note("processing instruction", line, name)
    _clean_tree(root, target.lines, result)
    root.set("xmlns", SVG_NS)  # every kept element is SVG: one default namespace, no prefixes
    result.data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    return result


def _split(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def _clean_tree(root: ET.Element, lines: dict[int, int], result: SvgCleaning) -> None:
    """Keep allowed elements (named without a prefix, in the root's SVG namespace) and
    attributes; iterative, since a hostile file may nest thousands deep."""
    stack = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        line = lines.get(id(element))
        element.tag = _split(element.tag)[1]
        _clean_attributes(element, line, result)
        if element.tag.lower() == "style":
            _clean_style_element(element, line, result)
            continue
        for child in list(element):
            why = _child_refused(child, depth + 1)
            if why is None:
                stack.append((child, depth + 1))
                continue
            element.remove(child)
            if why:
                result.note(why, lines.get(id(child)), _split(child.tag)[1])


def _child_refused(child: ET.Element, depth: int) -> str | None:
    """Why ``child`` goes ("" to drop it silently), or ``None`` to keep it."""
    if not isinstance(child.tag, str):
        return ""  # comments and processing instructions (the default builder keeps none)
    namespace, local = _split(child.tag)
    if namespace in EDITOR_NAMESPACES:
        return ""
    if namespace not in (SVG_NS, None):
        return "element from another namespace (could be XHTML script)"
    name = local.lower()
    if name == "script":
        return "script element"
    if name == "foreignobject":
        return "foreignObject element"
    if name not in ELEMENTS:
        return "element not known to be safe"
    if depth > MAX_DEPTH:
        return f"element nested deeper than {MAX_DEPTH} levels"
    if name in ANIMATIONS:
        return _animation_refused(child)
    return None


def _animation_refused(element: ET.Element) -> str | None:
    """``<set>``/``<animate…>`` may change only a harmless attribute, to harmless values."""
    target = ""
    for key, value in element.attrib.items():
        if _split(key)[1].lower() == "attributename":
            target = value.strip().rsplit(":", 1)[-1].lower()
    if target in ("href", "style") or target.startswith("on") or (target and target not in ATTRIBUTES):
        return "animation of a link, an event handler or an unknown attribute"
    for key, value in element.attrib.items():
        if _split(key)[1].lower() in ANIMATION_VALUES and _unsafe_value(value):
            return "animation to a script, data: or url() value"
    return None


def _unsafe_value(value: str) -> bool:
    """A script/data URL, or a ``url(…)`` to anything but ``#id``, anywhere in ``value``."""
    probe = _URL_IGNORED.sub("", value).lower()
    return bool(_SCRIPT_URL.search(probe)) or any(not t.startswith("#") for t in _CSS_URL.findall(probe))


def _clean_attributes(element: ET.Element, line: int | None, result: SvgCleaning) -> None:
    kept: dict[str, str] = {}
    for key, value in element.attrib.items():
        namespace, local = _split(key)
        name = local.lower()
        if namespace in EDITOR_NAMESPACES:
            continue
        if namespace == XLINK_NS and name == "href":
            namespace = None
            if "href" in element.attrib:
                continue  # SVG 2: a plain href wins over xlink:href
        if namespace == XML_NS and name in ("space", "lang"):
            kept[key] = value
            continue
        if name.startswith("on"):
            result.note("event handler attribute", line, local)
        elif namespace is not None or not (name in ATTRIBUTES or name.startswith(("data-", "aria-"))):
            result.note("attribute not known to be safe", line, local)
        elif name == "href" and not _safe_href(value):
            result.note("link to a URL that is not #id, http(s) or relative", line, value.strip()[:40])
        elif name == "style":
            cleaned = clean_declarations(value)
            _note_css(cleaned, line, result)
            if cleaned.css:
                kept[local] = cleaned.css
        elif _SCRIPT_URL.search(_URL_IGNORED.sub("", value).lower()):
            result.note("script or data: URL in an attribute", line, local)
        else:
            kept["href" if name == "href" else local] = value
    element.attrib.clear()
    element.attrib.update(kept)


def _safe_href(value: str) -> bool:
    probe = _URL_IGNORED.sub("", value).lower()
    if probe.startswith("#"):
        return True
    scheme = _SCHEME.match(probe)
    return scheme is None or scheme.group(1) in ("http", "https")


def _clean_style_element(element: ET.Element, line: int | None, result: SvgCleaning) -> None:
    """``<style>``: CSS only (no other type), cleaned; children (none in valid SVG) dropped."""
    kind = next((v for k, v in element.attrib.items() if _split(k)[1].lower() == "type"), "text/css")
    text = "".join(element.itertext())
    for child in list(element):
        element.remove(child)
    if kind.strip().lower() not in ("", "text/css"):
        result.note("style element that is not CSS", line, kind)
        element.text = ""
        return
    cleaned = clean_stylesheet(text)
    _note_css(cleaned, line, result)
    element.text = cleaned.css


def _note_css(cleaned: CssCleaning, line: int | None, result: SvgCleaning) -> None:
    for kind, count in cleaned.removed.items():
        for _ in range(count):
            result.note(f"CSS {kind}", line)
