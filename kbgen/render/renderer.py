"""markdown-it-py's HTML renderer taught kbgen's tokens and mkdocs-material's markup.

Only rendering lives here: the tokens come from the note's one parse (``notes.py``),
link targets from the vault.  Per-page state is in ``env`` (see ``context.Scope``).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from kbgen.render import callouts, code, footnotes, readings
from kbgen.render.bases import block_html as base_block
from kbgen.render.context import ENV_KEY, HeadingRecord, Scope, scope_of
from kbgen.render.embeds import is_block_embed, render_embed, size_attrs, split_size
from kbgen.render.links import link_attrs, render_wikilink, safe_href
from kbgen.render.tasks import task_checkbox
from kbgen.render.unpublished import hides, opener_of
from kbgen.markdown.text import plain_text
from kbgen.slugs import slugify

HEADERLINK = '<a class="headerlink" href="#{id}" title="Permanent link">¶</a>'
_BREAKS = ("softbreak", "hardbreak")


def render_options(*, breaks: bool = True) -> OptionsDict:
    """Options the renderer reads; ``breaks=True`` is Obsidian's default (no strict line breaks)."""
    return OptionsDict({
        "maxNesting": 100, "html": True, "linkify": False, "typographer": False,
        "quotes": "“”‘’", "xhtmlOut": False, "breaks": breaks,
        "langPrefix": "language-", "highlight": None,
    })


def _plain(children: Sequence[Token] | None) -> str:
    """The same text ``notes.py`` gave ``Heading.text``: TOC titles match the headings."""
    return plain_text(list(children or [])).strip()


class KbgenRenderer(RendererHTML):
    """Rules named after token types; markdown-it dispatches on the method name."""

    # ---- the render loop: paragraphs holding note embeds become blocks -------------
    def render(self, tokens: Sequence[Token], options: OptionsDict, env: EnvType) -> str:
        out: list[str] = []
        skip_until = -1
        for i, token in enumerate(tokens):
            if i <= skip_until:
                continue
            if (token.type == "paragraph_open" and not token.hidden and i + 2 < len(tokens)
                    and tokens[i + 2].type == "paragraph_close"
                    and any(is_block_embed(scope_of(env), c) for c in tokens[i + 1].children or ())):
                out.append(self._split_paragraph(token, tokens[i + 1], options, env))
                skip_until = i + 2
            elif token.type == "inline":
                if token.children:
                    out.append(self._inline(tokens, i, options, env))
            elif token.type in self.rules:
                out.append(self.rules[token.type](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def _inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """An inline run; a reading-entry bullet gets its level badge (readings.badge_split)."""
        children = tokens[idx].children or []
        scope = env.get(ENV_KEY) if isinstance(env, dict) else None
        split = readings.badge_split(tokens, idx, scope) if isinstance(scope, Scope) else None
        if split is None:
            return self.renderInline(children, options, env)
        before, badge, after = split
        return self.renderInline(before, options, env) + badge + self.renderInline(after, options, env)

    def _split_paragraph(self, opener: Token, inline: Token, options: OptionsDict, env: EnvType) -> str:
        """``<p>`` cannot hold the ``<div>`` of a note embed: text runs become ``<p>``s around it."""
        scope = scope_of(env)
        parts: list[str] = []
        run: list[Token] = []

        def flush() -> None:
            while run and run[-1].type in _BREAKS:
                run.pop()
            while run and run[0].type in _BREAKS:
                run.pop(0)
            if any(t.type != "text" or t.content.strip() for t in run):
                parts.append(f"<p>{self.renderInline(run, options, env).strip()}</p>\n")
            run.clear()

        for child in inline.children or ():
            if is_block_embed(scope, child):
                flush()
                parts.append(self.renderInline([child], options, env))
            else:
                run.append(child)
        flush()
        body = "".join(parts)
        if opener.attrs:
            return f'<div class="kbgen-paragraph"{self._attrs(opener, scope)}>\n{body}</div>\n'
        return body

    # ---- ids: headings, block ids (prefixed inside embeds) -------------------------
    @staticmethod
    def _attrs(token: Token, scope: Scope) -> str:
        items = []
        for key, value in token.attrItems():
            if key == "id":
                value = scope.prefix + str(value)
            items.append(f' {escape(str(key))}="{escape(str(value))}"')
        return "".join(items)

    def renderToken(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        scope = env.get(ENV_KEY) if isinstance(env, dict) else None
        if isinstance(scope, Scope) and scope.prefix and token.attrGet("id") is not None:
            attrs = {k: (scope.prefix + str(v) if k == "id" else v) for k, v in token.attrItems()}
            tokens, idx = _window(tokens, idx, token.copy(attrs=attrs))
        return super().renderToken(tokens, idx, options, env)

    def heading_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        scope = scope_of(env)
        inline = tokens[idx + 1] if idx + 1 < len(tokens) else None
        title = _plain(inline.children if inline is not None else None)
        anchor = str(token.attrGet("id") or slugify(title))
        if not scope.embedded:
            scope.page.headings.append(HeadingRecord(int(token.tag[1:]), anchor, title))
        extra = "".join(f' {escape(str(k))}="{escape(str(v))}"' for k, v in token.attrItems() if k != "id")
        return f'<{token.tag} id="{escape(scope.prefix + anchor)}"{extra}>'

    def heading_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        scope = scope_of(env)
        if scope.embedded:
            return f"</{token.tag}>\n"
        opener = next((tokens[j] for j in range(idx - 1, -1, -1) if tokens[j].type == "heading_open"), None)
        title = _plain(tokens[idx - 1].children) if idx else ""
        anchor = str((opener.attrGet("id") if opener else None) or slugify(title))
        return HEADERLINK.format(id=escape(anchor)) + f"</{token.tag}>\n"

    # ---- code and math ---------------------------------------------------------------
    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        language = code.fence_language(token.info)
        if language == "base" and token.map:  # a Bases view, evaluated by the pipeline
            return base_block(scope_of(env), token.map[0] + 1)
        if language == code.MERMAID:
            scope_of(env).page.needs_mermaid = True
            return code.mermaid_block(token.content)
        return code.highlight_code(token.content, language)

    def code_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return code.highlight_code(tokens[idx].content, "")

    def math_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        scope_of(env).page.needs_math = True
        return f'<span class="arithmatex">\\({escape(tokens[idx].content, quote=False)}\\)</span>'

    def math_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        scope_of(env).page.needs_math = True
        return f'<div class="arithmatex">\\[{escape(tokens[idx].content.strip(), quote=False)}\\]</div>\n'

    def math_inline_double(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """``$$x$$`` inside a paragraph: display math, but a ``<span>`` (no ``<div>`` in ``<p>``)."""
        scope_of(env).page.needs_math = True
        return f'<span class="arithmatex">\\[{escape(tokens[idx].content.strip(), quote=False)}\\]</span>'

    math_block_label = math_block

    # ---- task lists (markdown-it-py's tasklists option) in material's markup ---------
    def list_item_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """The ``^id`` of a tight item sits on its hidden ``<p>``: move it onto the ``<li>``.

        A reading bullet without a block id gets ``reading-<key>``, where "Cited in" leads.
        """
        token = tokens[idx]
        follower = tokens[idx + 1] if idx + 1 < len(tokens) else None
        if (follower is not None and follower.type == "paragraph_open" and follower.hidden
                and follower.attrGet("id") is not None and token.attrGet("id") is None):
            tokens, idx = _window(tokens, idx, token.copy(attrs={**token.attrs, "id": follower.attrGet("id")}))
        elif token.attrGet("id") is None and (reading_id := readings.item_id(token, scope_of(env))):
            tokens, idx = _window(tokens, idx, token.copy(attrs={**token.attrs, "id": reading_id}))
        html = self.renderToken(tokens, idx, options, env)
        if token.meta and "checked" in token.meta:
            html += task_checkbox(bool(token.meta["checked"]))
        return html

    def bullet_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._list_open(tokens, idx, options, env)

    def ordered_list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return self._list_open(tokens, idx, options, env)

    def _list_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if token.attrGet("class") == "contains-task-list":
            tokens, idx = _window(tokens, idx, token.copy(attrs={**token.attrs, "class": "task-list"}))
        return self.renderToken(tokens, idx, options, env)

    # ---- Obsidian constructs ---------------------------------------------------------
    def callout_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        scope = scope_of(env)
        title = self.renderInline(token.children, options, env) if token.children else None
        return callouts.callout_open(token, title, self._attrs(token, scope))

    def callout_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return callouts.callout_close(tokens, idx)

    def mark_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return "<mark>"

    def mark_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return "</mark>"

    def tag(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        name = str(tokens[idx].meta.get("tag") or tokens[idx].content.lstrip("#"))
        return tag_link(scope_of(env), name)

    def obsidian_comment(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return ""

    obsidian_comment_block = obsidian_comment
    front_matter = obsidian_comment

    def wikilink_invalid(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return escape(tokens[idx].content)

    def wikilink(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        scope = scope_of(env)
        index = token.meta.get("link_index")
        res = scope.resolution(index) if isinstance(index, int) else None
        if res is None or not token.meta.get("embed"):
            return render_wikilink(scope, res, token.meta)
        return render_embed(scope, res, lambda body, child: self.render(body, options, child.env()))

    # ---- markdown links and images -------------------------------------------------
    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        scope = scope_of(env)
        index = token.meta.get("link_index")
        res = scope.resolution(index) if isinstance(index, int) else None
        if hides(scope, res):  # a link to an unpublished note: its text stays, the link goes
            return ""
        if res is not None:
            ours = link_attrs(scope, res, None)
            skip = ("href", "title") if ' title="' in ours else ("href",)
            rest = "".join(f' {escape(str(k))}="{escape(str(v))}"' for k, v in token.attrItems() if k not in skip)
            return f"<a{ours}{rest}>"
        rest = "".join(f' {escape(str(k))}="{escape(str(v))}"' for k, v in token.attrItems() if k != "href")
        href = safe_href(str(token.attrGet("href") or ""))
        if href.startswith("#") and scope.prefix and len(href) > 1:
            href = "#" + scope.prefix + href[1:]
        return f'<a href="{escape(href)}"{rest}>'

    def link_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        opener = opener_of(tokens, idx)
        index = opener.meta.get("link_index") if opener is not None else None
        if isinstance(index, int) and hides(scope_of(env), scope_of(env).resolution(index)):
            return ""
        return self.renderToken(tokens, idx, options, env)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        """``![alt|200](pic.png)``: vault files go through the embed code (size, PDF, notes)."""
        token = tokens[idx]
        scope = scope_of(env)
        index = token.meta.get("link_index")
        res = scope.resolution(index) if isinstance(index, int) else None
        if res is not None:
            return render_embed(scope, res, lambda body, child: self.render(body, options, child.env()))
        alt, width, height = split_size(self.renderInlineAsText(token.children, options, env))
        src = safe_href(str(token.attrGet("src") or ""), image=True)
        title = token.attrGet("title")
        extra = f' title="{escape(str(title))}"' if title else ""
        return f'<img src="{escape(src)}" alt="{escape(alt or "")}" loading="lazy"{extra}{size_attrs(width, height)}>'

    # ---- footnotes in material's shape -----------------------------------------------
    def footnote_ref(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return footnotes.ref(tokens[idx], scope_of(env).prefix)

    def footnote_block_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return footnotes.BLOCK_OPEN

    def footnote_block_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return footnotes.BLOCK_CLOSE

    def footnote_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return footnotes.item_open(tokens[idx], scope_of(env).prefix)

    def footnote_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return "</li>\n"

    def footnote_anchor(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return footnotes.backref(tokens[idx], scope_of(env).prefix)


def _window(tokens: Sequence[Token], idx: int, replacement: Token) -> tuple[list[Token], int]:
    """Neighbours + a changed copy: what ``renderToken`` looks at, without copying the list
    (tokens are shared by every page that embeds the note, so they are never mutated)."""
    before = [tokens[idx - 1]] if idx else []
    after = [tokens[idx + 1]] if idx + 1 < len(tokens) else []
    return [*before, replacement, *after], len(before)


def tag_link(scope: Scope, tag: str) -> str:
    href = scope.page.href(scope.page.urls.tag(tag))
    return f'<a class="kbgen-tag" href="{escape(href)}">#{escape(tag)}</a>'

