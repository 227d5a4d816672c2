"""Input limits and normalisation shared by every Markdown entry point."""

from __future__ import annotations

import unicodedata

from ..numbers import vi_count

MAX_INPUT_CHARS = 200_000
"""Longest Markdown text accepted, in characters (the longest real document has 88,000)."""

MAX_INPUT_LINES = 5_000
"""Most lines a Markdown text may have (no real document has more than about 1,900)."""

MAX_HTML_CHARS = 4_000_000
"""Longest HTML fragment that `sanitize_html` accepts, in characters."""


class MarkupInputTooLarge(ValueError):
    """Raised when a text is longer, or has more lines or elements, than the module accepts.

    `line` is the 1-based line of the text where the limit was passed.
    """

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


def check_length(text: object, limit: int, what: str) -> str:
    """Return the text if it is a string no longer than `limit`, else raise."""
    if not isinstance(text, str):
        raise TypeError(f"{what} phải là chuỗi ký tự, không phải {type(text).__name__}")
    if len(text) > limit:
        raise MarkupInputTooLarge(
            f"{what} quá dài: {vi_count(len(text))} ký tự, tối đa {vi_count(limit)} ký tự. "
            "Hãy chia nội dung thành nhiều phần nhỏ hơn."
        )
    return text


def prepare_source(text: object, what: str = "Nội dung Markdown") -> str:
    """Check the length, drop a BOM, unify line ends and normalise to NFC."""
    source = check_length(text, MAX_INPUT_CHARS, what)
    if source.startswith("\ufeff"):
        source = source[1:]
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    lines = source.count("\n") + (not source.endswith("\n"))
    if lines > MAX_INPUT_LINES:
        raise MarkupInputTooLarge(
            f"{what} có quá nhiều dòng: {vi_count(lines)} dòng, tối đa "
            f"{vi_count(MAX_INPUT_LINES)} dòng. Hãy chia nội dung thành nhiều phần nhỏ hơn.",
            MAX_INPUT_LINES + 1,
        )
    return unicodedata.normalize("NFC", source)
