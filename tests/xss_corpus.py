"""Known SVG and HTML script-injection vectors, for the attachment sanitiser's tests.

Every payload runs ``alert(window.__pwned=1)``.  ``FIRES`` names the SVG vectors that do
run in headless Chromium when the raw file is opened (and its links clicked): the browser
test proves on them that it would see a payload run, before it checks the cleaned files.
"""

from __future__ import annotations

PAY = "alert(window.__pwned=1)"
_SVG = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
_BOX = '<rect width="400" height="300" fill="#cde"/>'  # something to click


def _svg(body: str, root_attrs: str = "") -> str:
    return f'<svg {_SVG} width="400" height="300"{root_attrs}>{body}</svg>\n'


SVG_VECTORS: dict[str, str] = {
    "onload on root": _svg(_BOX, f' onload="{PAY}"'),
    "script element": _svg(f"<script>{PAY}</script>"),
    "script with cdata": _svg(f"<script><![CDATA[{PAY}]]></script>"),
    "script by xlink:href data url": _svg(f'<script xlink:href="data:text/javascript,{PAY}"/>'),
    "xhtml script in another namespace": _svg(
        f'<html:script xmlns:html="http://www.w3.org/1999/xhtml">{PAY}</html:script>'),
    "prefixed svg script": _svg(f'<s:script xmlns:s="http://www.w3.org/2000/svg">{PAY}</s:script>'),
    "foreignObject with xhtml body onload": _svg(
        f'<foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml" onload="{PAY}">'
        f"<iframe src=\"javascript:{PAY}\"/></body></foreignObject>"),
    "foreignObject with xhtml img onerror": _svg(
        f'<foreignObject width="100" height="100"><img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="{PAY}"/>'
        "</foreignObject>"),
    "a xlink:href javascript": _svg(f'<a xlink:href="javascript:{PAY}">{_BOX}</a>'),
    "a href javascript with tab and case": _svg(f'<a href=" JaVa&#x09;ScRiPt:{PAY}">{_BOX}</a>'),
    "a href vbscript": _svg(f'<a href="vbscript:msgbox(1)">{_BOX}</a>'),
    "a href data html": _svg(f'<a href="data:text/html,&lt;script&gt;{PAY}&lt;/script&gt;">{_BOX}</a>'),
    "set href to javascript": _svg(f'<a>{_BOX}<set attributeName="href" to="javascript:{PAY}"/></a>'),
    "set xlink:href to javascript": _svg(
        f'<a xlink:href="#">{_BOX}<set attributeName="xlink:href" to="javascript:{PAY}" begin="0s"/></a>'),
    "animate href values": _svg(
        f'<a>{_BOX}<animate attributeName="href" values="javascript:{PAY}" dur="100s" fill="freeze"/></a>'),
    "animate HREF from to": _svg(f'<a>{_BOX}<animate attributeName="HREF" from="#" to="javascript:{PAY}"/></a>'),
    "animate targeting a link by href": _svg(
        f'<a id="l">{_BOX}</a><animate href="#l" attributeName="href" to="javascript:{PAY}" fill="freeze"/>'),
    "set onclick": _svg(f'<a>{_BOX}<set attributeName="onclick" to="{PAY}"/></a>'),
    "animate onbegin": _svg(f'<animate onbegin="{PAY}" attributeName="x" dur="1s"/>'),
    "animate values with data url": _svg(
        f'<image width="10" height="10"><animate attributeName="fill" values="red;data:text/html,x"/></image>'),
    "animate style to url": _svg(f'<rect width="9" height="9"><set attributeName="style" '
                                 f'to="background:url(javascript:{PAY})"/></rect>'),
    "event handlers in mixed case": _svg(
        f'<rect width="9" height="9" onClick="{PAY}" ONMOUSEOVER="{PAY}" OnFocus="{PAY}" onLoad="{PAY}"/>'),
    "event handler on animation end": _svg(f'<animate attributeName="x" dur="0.1s" onend="{PAY}"/>'),
    "style url javascript": _svg(f"<style>rect{{fill:url(javascript:{PAY})}}</style>{_BOX}"),
    "style import": _svg(f"<style>@import url(javascript:{PAY});@import 'data:text/css,x';</style>"),
    "style data url": _svg(f'<style>*{{background:url("data:image/svg+xml,&lt;svg onload={PAY}&gt;")}}</style>'),
    "style expression and binding": _svg(
        f"<style>rect{{width:expression({PAY});-moz-binding:url(x.xml#y);behavior:url(x.htc)}}</style>"),
    "style attribute url javascript": _svg(f'<rect width="9" height="9" style="fill:url(javascript:{PAY})"/>'),
    "style not css": _svg(f'<style type="text/javascript">{PAY}</style>'),
    "image data svg": _svg(f'<image href="data:image/svg+xml;utf8,&lt;svg onload=&quot;{PAY}&quot;/&gt;"/>'),
    "use data url": _svg(f'<use href="data:image/svg+xml,&lt;svg id=&quot;x&quot;&gt;&lt;/svg&gt;#x"/>'),
    "feImage javascript": _svg(f'<filter id="f"><feImage xlink:href="javascript:{PAY}"/></filter>'),
    "xml:base javascript": _svg(f'<a xml:base="javascript:{PAY}//" href="x">{_BOX}</a>'),
    "handler element": _svg(f'<handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">{PAY}</handler>'),
    "iframe and embed in svg namespace": _svg(f'<iframe src="javascript:{PAY}"/><embed src="javascript:{PAY}"/>'
                                              f'<object data="javascript:{PAY}"/>'),
    "xml-stylesheet processing instruction": (
        f'<?xml-stylesheet type="text/xsl" href="data:text/xsl,x"?>\n' + _svg(_BOX)),
    "billion laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
        + _svg("<text>&d;</text>")),
    "entity hiding a script": (
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY s "&lt;script&gt;{PAY}&lt;/script&gt;">]>\n'
        + _svg("&s;")),
    "external entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + _svg("<text>&x;</text>")),
    "attlist default event handler": (
        f'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ATTLIST svg onload CDATA "{PAY}">]>\n' + _svg(_BOX)),
    "xhtml root in an svg file": f'<html xmlns="http://www.w3.org/1999/xhtml"><script>{PAY}</script></html>\n',
    "deeply nested script": _svg("<g>" * 400 + f"<script>{PAY}</script>" + "</g>" * 400),
}

# Raw vectors that Chromium does run when opened and clicked (measured with the browser test;
# the rest are refused by today's Chromium but by other browsers or older ones, or on inline SVG).
FIRES = ("attlist default event handler", "a href javascript with tab and case", "a xlink:href javascript",
         "animate href values", "animate onbegin",
         "deeply nested script", "event handler on animation end", "foreignObject with xhtml body onload",
         "foreignObject with xhtml img onerror", "onload on root", "prefixed svg script",
         "script by xlink:href data url", "script element", "script with cdata", "set href to javascript",
         "set xlink:href to javascript", "xhtml root in an svg file", "xhtml script in another namespace")

HTML_VECTORS: dict[str, str] = {
    "script": f"<p>t</p><script>{PAY}</script>",
    "img onerror": f'<img src="x" onerror="{PAY}">',
    "mixed case handler": f'<div OnMouseOver="{PAY}" ONCLICK="{PAY}">t</div>',
    "body onload": f'<html><body onload="{PAY}"><p>t</p></body></html>',
    "details ontoggle": f'<details open ontoggle="{PAY}"><summary>s</summary></details>',
    "a javascript": f'<a href="javascript:{PAY}">x</a>',
    "a javascript with entities": f'<a href="&#106;ava&#x09;script:{PAY}">x</a>',
    "a vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a data html": f'<a href="data:text/html,<script>{PAY}</script>">x</a>',
    "img data svg": f'<img src="data:image/svg+xml,<svg onload={PAY}>">',
    "iframe srcdoc": f'<iframe srcdoc="<script>{PAY}</script>"></iframe>',
    "iframe javascript": f'<iframe src="javascript:{PAY}"></iframe>',
    "object and embed": f'<object data="javascript:{PAY}"></object><embed src="javascript:{PAY}">',
    "form action": f'<form action="javascript:{PAY}"><button formaction="javascript:{PAY}">b</button></form>',
    "meta refresh": f'<meta http-equiv="refresh" content="0;url=javascript:{PAY}">',
    "base href": f'<base href="javascript:{PAY}//"><a href="x">x</a>',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style element": f"<style>@import 'https://evil.example/x.css'; p{{background:url(javascript:{PAY})}}</style>",
    "style attribute": f'<p style="background:url(javascript:{PAY});width:expression({PAY})">t</p>',
    "inline svg": f'<svg><script>{PAY}</script><a xlink:href="javascript:{PAY}"><text>x</text></a></svg>',
    "inline svg animate": f'<svg><a><set attributeName="href" to="javascript:{PAY}"/><text>x</text></a></svg>',
    "math mxss": f'<math><mtext><table><mglyph><style><img src=x onerror="{PAY}">',
    "noscript mxss": f'<noscript><p title="</noscript><img src=x onerror={PAY}>"></noscript>',
    "template": f'<template><img src=x onerror="{PAY}"></template>',
    "input autofocus": f'<input autofocus onfocus="{PAY}">',
    "video source onerror": f'<video><source onerror="{PAY}"></video>',
}
