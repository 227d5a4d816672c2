"""Linear-time stand-ins for markdown-it-py internals that are quadratic on hostile input."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import helpers
from markdown_it.common.utils import unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .budget import spend_element
from .context import RenderContext, context_of

InlineRule = Callable[[StateInline, bool], bool]


class LinearRenderer(RendererHTML):
    """markdown-it's HTML renderer, joining parts once instead of growing a string."""

    def render(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        """Render block tokens to HTML."""
        parts: list[str] = []
        for index, token in enumerate(tokens):
            if token.type == "inline":
                if token.children:
                    parts.append(self.renderInline(token.children, options, env))
            elif token.type in self.rules:
                parts.append(self.rules[token.type](tokens, index, options, env))
            else:
                parts.append(self.renderToken(tokens, index, options, env))
        return "".join(parts)

    def renderInline(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        """Render the children of one inline token to HTML."""
        parts: list[str] = []
        for index, token in enumerate(tokens):
            if token.type in self.rules:
                parts.append(self.rules[token.type](tokens, index, options, env))
            else:
                parts.append(self.renderToken(tokens, index, options, env))
        return "".join(parts)


_TERMINATORS = "\n!#$%&*+-:<=>@[\\]^_`{}~"
"""The characters at which markdown-it's text rule stops, to let other rules try.

A plugin that adds one (`md.inline.add_terminator_char`) needs it here too, or its rule
never sees its character: the plain-text class below would swallow it.
"""

_AUTOLINK = (
    r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\x00-\x20]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9.\-]+)>"
)
"""What an autolink must look like (loosened for e-mail addresses)."""

_ENTITY = r"&(?:#(?:[xX][0-9a-fA-F]{1,6}|[0-9]{1,7})|[A-Za-z][A-Za-z0-9]{1,31});"
"""What a character reference must look like for markdown-it's entity rule to take it."""

_DEAD = (
    "[^" + re.escape(_TERMINATORS) + "]"  # plain text
    r"|[#$%+\-:=>@{}]"  # stops the text rule, starts no rule enabled here
    rf"|(?!{_AUTOLINK})<|(?!{_ENTITY})&|~(?!~)|[!^](?!\[)"
)
_DEAD_RUN = re.compile(f"(?:{_DEAD})+")
_DEAD_RUN_OR_CLOSE = re.compile(f"(?:{_DEAD}|\\])+")


def plain_run(state: StateInline, silent: bool) -> bool:
    """First inline rule: take characters no other rule can start at as text, in one step.

    markdown-it's text rule stops at every character some rule might start with, and then
    tries each rule in turn. Where none of them can match (a `<` that begins no autolink, an
    `&` that begins no entity, a `[` that can never be closed, punctuation no enabled rule
    uses), that costs a dozen calls per character. This rule takes the whole run at once.
    A `]` is kept for the link label scan when `silent`; a newline is kept for the newline
    rule, which reads trailing spaces from the pending text.
    """
    src, pos, end_max = state.src, state.pos, state.posMax
    dead_run = _DEAD_RUN if silent else _DEAD_RUN_OR_CLOSE
    ctx = context_of(state.env)
    end = pos
    while end < end_max:
        match = dead_run.match(src, end, end_max)
        if match:
            end = match.end()
        elif _unclosable_bracket(src, end, ctx):
            end += 1
        else:
            break
    if end == pos:
        return False
    if not silent:
        state.append_pending(src[pos:end])
    state.pos = end
    return True


def _unclosable_bracket(src: str, pos: int, ctx: RenderContext) -> bool:
    # `[`, `![` or `^[` whose `[` can never be closed starts nothing.
    if src[pos] in "!^":
        pos += 1
    return src[pos : pos + 1] == "[" and not ctx.can_close(src, pos)


_DESTINATION_ATOM = r"(?:[^\x00-\x20\x7f()\\]|\\[^ ]|\\\Z)"
_DESTINATION_DEPTH = 32


def _destination_pattern(depth: int) -> re.Pattern[str]:
    body = f"{_DESTINATION_ATOM}*+"
    for _ in range(depth):
        body = rf"(?:{_DESTINATION_ATOM}|\({body}\))*+"
    return re.compile(body)


_DESTINATION = _destination_pattern(_DESTINATION_DEPTH)
"""A link destination without `<>`: no spaces or controls, parentheses balanced 32 deep."""


class _Destination:
    __slots__ = ("ok", "pos", "str")

    def __init__(self, ok: bool = False, pos: int = 0, text: str = "") -> None:
        self.ok, self.pos, self.str = ok, pos, text


def parse_link_destination(string: str, pos: int, maximum: int) -> Any:
    """markdown-it's `parseLinkDestination`, with the bare form matched by one regex.

    Written as a loop, each `[](` of a run of thousands walks 32 levels of parentheses
    character by character before giving up; the regex does the same walk in C.
    """
    if pos < len(string) and string[pos] == "<":
        return helpers.parseLinkDestination(string, pos, maximum)
    end = _DESTINATION.match(string, pos, maximum).end()  # type: ignore[union-attr]
    if end == pos or (end < maximum and string[end] == "("):
        return _Destination()
    return _Destination(True, end, unescapeAll(string[pos:end]))


class LinkHelpers:
    """markdown-it's link helpers with the linear destination parser, for `md.helpers`."""

    parseLinkLabel = staticmethod(helpers.parseLinkLabel)
    parseLinkDestination = staticmethod(parse_link_destination)
    parseLinkTitle = staticmethod(helpers.parseLinkTitle)


def needs_closing_bracket(rule: InlineRule, prefix: str) -> InlineRule:
    """Wrap a rule that starts with `prefix`, whose `[` must be closable, to fail fast.

    Each attempt that gets past that test and still fails counts as two elements against
    the budget: a failed link costs about that much work, and thousands of `[](` or
    `[a](b ` would otherwise make no element at all.
    """
    offset = prefix.index("[")

    def guarded(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not src.startswith(prefix, pos):
            return False
        if not context_of(state.env).can_close(src, pos + offset):
            return False
        if rule(state, silent):
            return True
        spend_element(state, 2)
        return False

    return guarded


def _merged_text(tokens: list[Token]) -> list[Token]:
    """The tokens with each run of adjacent text tokens joined into its first, each run once."""
    merged: list[Token] = []
    run: list[str] = []
    for token in tokens:
        if token.type == "text" and merged and merged[-1].type == "text":
            if not run:
                run.append(merged[-1].content)
            run.append(token.content)
            continue
        if run:
            merged[-1].content = "".join(run)
            run = []
        merged.append(token)
    if run:
        merged[-1].content = "".join(run)
    return merged


def fragments_join(state: StateInline) -> None:
    """Recompute token levels and merge adjacent text tokens, joining each run once."""
    level = 0
    for token in state.tokens:
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
    state.tokens[:] = _merged_text(state.tokens)


def text_join(state: StateCore) -> None:
    """Turn escaped characters into text and merge adjacent text tokens, linearly."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        for child in block.children:
            if child.type == "text_special":
                child.type = "text"
        block.children = _merged_text(block.children)
