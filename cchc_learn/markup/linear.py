"""Linear-time stand-ins for markdown-it-py internals that are quadratic on hostile input."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .context import context_of

PENDING_FLUSH_CHARS = 1024

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


def plain_run(state: StateInline, silent: bool) -> bool:
    """First inline rule: take `[` that can never close as text; flush long pending text."""
    src, pos = state.src, state.pos
    ctx = context_of(state.env)
    if src[pos] == "[" and not ctx.can_close(src, pos):
        # No link, doc link or footnote can start at such a `[`: skip the whole rule chain.
        end = pos + 1
        while end < state.posMax and src[end] == "[" and not ctx.can_close(src, end):
            end += 1
        if not silent:
            state.pending += src[pos:end]
        state.pos = end
        return True
    # markdown-it appends unmatched characters to `pending` one at a time, copying it each
    # time. A newline is skipped because the newline rule reads trailing spaces from pending.
    if not silent and len(state.pending) > PENDING_FLUSH_CHARS and src[pos] != "\n":
        state.pushPending()
    return False


def needs_closing_bracket(rule: InlineRule, marker: str, offset: int) -> InlineRule:
    """Wrap a rule that starts at `marker` with a `[` at `offset`, to fail fast if unclosable."""

    def guarded(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if src[pos] != marker or not context_of(state.env).can_close(src, pos + offset):
            return False
        return rule(state, silent)

    return guarded


def fragments_join(state: StateInline) -> None:
    """Recompute token levels and merge adjacent text tokens, joining each run once."""
    level = 0
    joined: list[Token] = []
    run: list[str] = []
    for token in state.tokens:
        if token.nesting < 0:
            level -= 1
        token.level = level
        if token.nesting > 0:
            level += 1
        if token.type == "text" and joined and joined[-1].type == "text":
            if not run:
                run.append(joined[-1].content)
            run.append(token.content)
            continue
        if run:
            joined[-1].content = "".join(run)
            run = []
        joined.append(token)
    if run:
        joined[-1].content = "".join(run)
    state.tokens[:] = joined


def text_join(state: StateCore) -> None:
    """Turn escaped characters into text and merge adjacent text tokens, linearly."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        merged: list[Token] = []
        run: list[str] = []
        for child in block.children:
            if child.type == "text_special":
                child.type = "text"
            if child.type == "text" and merged and merged[-1].type == "text":
                if not run:
                    run.append(merged[-1].content)
                run.append(child.content)
                continue
            if run:
                merged[-1].content = "".join(run)
                run = []
            merged.append(child)
        if run:
            merged[-1].content = "".join(run)
        block.children = merged
