"""The markdown-it-py parsers: CommonMark, raw HTML off, the plugins trainers use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.ruler import Ruler
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import doclinks, linear
from .budget import count_elements
from .context import context_of
from .resolve import resolve_tokens
from .slugs import SlugRegistry
from .tokentext import inline_text
from .urls import is_safe_url

OPTIONS = {"html": False, "linkify": False, "typographer": False}

INLINE_MAX_NESTING = 5
"""Nesting limit while parsing inline text: each unmatched `[` costs this many nested scans."""

# Inline rules that open a label with `[` and need it closed, with how they start.
_BRACKET_RULES = {"link": "[", "image": "![", "footnote_ref": "[^", "footnote_inline": "^["}


def _wrap_rule(ruler: Ruler[Any], name: str, wrap: Callable[[Any], Any]) -> None:
    if name in ruler.get_all_rules():
        ruler.at(name, wrap(ruler.__rules__[ruler.__find__(name)].fn))


def _new_parser(*, block: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", OPTIONS, renderer_cls=linear.LinearRenderer)
    count_elements(md)
    md.enable(["table", "strikethrough"])
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    md.helpers = linear.LinkHelpers  # type: ignore[assignment]
    if block:
        md.use(footnote_plugin).use(deflist_plugin).use(admon_plugin)
    md.inline.ruler.before("text", "plain_run", linear.plain_run)
    md.inline.ruler.before("link", "doc_link", doclinks.doc_link_rule)
    _wrap_rule(md.inline.ruler, "image", _recording_line)
    for name, prefix in _BRACKET_RULES.items():
        _wrap_rule(md.inline.ruler, name, partial(linear.needs_closing_bracket, prefix=prefix))
    md.inline.ruler2.at("fragments_join", linear.fragments_join)
    md.core.ruler.at("inline", _inline_with_lines)
    md.core.ruler.at("text_join", linear.text_join)
    md.add_render_rule("doc_link_open", doclinks.render_doc_link_open)
    md.add_render_rule("doc_link_close", doclinks.render_doc_link_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_tag)
    md.add_render_rule("link_close", _render_link_tag)
    return md


def block_parser(slugs: SlugRegistry) -> MarkdownIt:
    """Build the full parser; `slugs` makes heading ids unique within one page."""
    md = _new_parser(block=True)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=slugs.unique)
    md.core.ruler.push("cchc_resolve", _resolve)
    return md


def inline_parser() -> MarkdownIt:
    """Build the parser for one-line texts: inline syntax and doc links, no footnotes."""
    md = _new_parser(block=False)
    md.core.ruler.push("cchc_resolve", _resolve)
    return md


def _resolve(state: StateCore) -> None:
    resolve_tokens(state.tokens, context_of(state.env))


def _inline_with_lines(state: StateCore) -> None:
    # markdown-it's own `inline` core rule, plus telling the context which source line each
    # inline block starts on, so doc links and images can report their line. Parsers are
    # built per call, so changing the nesting limit here cannot race with another thread.
    ctx = context_of(state.env)
    options = state.md.options
    block_nesting = options["maxNesting"]
    options["maxNesting"] = min(block_nesting, INLINE_MAX_NESTING)
    try:
        for token in state.tokens:
            if token.type != "inline":
                continue
            if token.children is None:
                token.children = []
            ctx.begin_inline(token.content, token.map[0] if token.map else None)
            state.md.inline.parse(token.content, state.md, state.env, token.children)
    finally:
        options["maxNesting"] = block_nesting


def _recording_line(rule: linear.InlineRule) -> linear.InlineRule:
    def image_with_line(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            line = context_of(state.env).line_at(state.src, start)
            for token in state.tokens[count:]:
                if token.type == "image":
                    token.meta["line"] = line
        return matched

    return image_with_line


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = inline_text(token.children or [])
    replacement = token.meta.get("replacement")
    if replacement:
        return f'<span class="{replacement}">{escapeHtml(alt)}</span>'
    token.attrSet("alt", alt)
    return self.renderToken(tokens, idx, options, env)


def _render_link_tag(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    if tokens[idx].meta.get("drop"):
        return ""
    return self.renderToken(tokens, idx, options, env)
