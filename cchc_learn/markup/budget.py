"""A cap on the elements one text may produce, so that no input costs more than the cap allows.

markdown-it-py spends roughly ten microseconds on every token it creates, whatever made it:
a heading, a table cell, an emphasis marker, an escaped character. A 200 KB text made of
nothing but tiny constructs produces a quarter of a million tokens and takes seconds. Every
token is created through the block or inline state's `push`, so the parsers here use states
that count them and stop the render once the cap is passed. markdown-it makes every block token
before any inline one, so where the count ran out says little about where the text is dense:
the error points at the text's first line.

Failed link attempts count too (see `linear.needs_closing_bracket`): they create no token but
cost as much. The cap is two and a half times what the densest real document in the knowledge
base produces, and all 31 real lessons together stay under it, so only texts that are mostly
markup ever reach it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from markdown_it.parser_block import ParserBlock
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .context import RenderContext, context_of
from .source import MarkupInputTooLarge, vi_count

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MAX_ELEMENTS = 20_000
"""Most tokens one render may create (no real document creates more than about 7,800)."""


class MarkupTooComplex(MarkupInputTooLarge):
    """Raised when a text would produce more elements than `MAX_ELEMENTS` (`line` is 1)."""

    def __init__(self) -> None:
        super().__init__(
            "Nội dung có quá nhiều thành phần Markdown (tiêu đề, đoạn, dòng và ô bảng, liên kết, "
            f"định dạng…): hơn {vi_count(MAX_ELEMENTS)} thành phần. "
            "Hãy chia nội dung thành nhiều phần hoặc bớt định dạng.",
        )


def _spend(ctx: RenderContext, elements: int) -> None:
    ctx.elements += elements
    if ctx.elements > MAX_ELEMENTS:
        raise MarkupTooComplex()


def spend_element(state: StateInline, elements: int = 1) -> None:
    """Count inline work against the element budget of the render `state` belongs to."""
    _spend(context_of(state.env), elements)


class _CountingStateBlock(StateBlock):
    def __init__(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> None:
        super().__init__(src, md, env, tokens)
        self._ctx = context_of(env)

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        _spend(self._ctx, 1)
        return super().push(ttype, tag, nesting)


class _CountingStateInline(StateInline):
    def pushPending(self) -> Token:
        spend_element(self)
        return super().pushPending()

    def push(self, ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
        spend_element(self)
        return super().push(ttype, tag, nesting)


class CountingParserBlock(ParserBlock):
    """markdown-it's block parser, creating its tokens through a counting state."""

    def parse(
        self, src: str, md: MarkdownIt, env: Any, outTokens: list[Token]
    ) -> list[Token] | None:
        """Process input string and push block tokens into `outTokens`."""
        if not src:
            return None
        state = _CountingStateBlock(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens


class CountingParserInline(ParserInline):
    """markdown-it's inline parser, creating its tokens through a counting state."""

    def parse(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        """Process input string and push inline tokens into `tokens`."""
        state = _CountingStateInline(src, md, env, tokens)
        self.tokenize(state)
        for rule in self.ruler2.getRules(""):
            rule(state)
        return state.tokens


def count_elements(md: MarkdownIt) -> None:
    """Make `md` count the tokens it creates, keeping its rules and settings."""
    block = CountingParserBlock.__new__(CountingParserBlock)
    block.__dict__.update(md.block.__dict__)
    inline = CountingParserInline.__new__(CountingParserInline)
    inline.__dict__.update(md.inline.__dict__)
    md.block, md.inline = block, inline
