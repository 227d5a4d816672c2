"""Input limits and normalisation shared by every Markdown entry point."""

from __future__ import annotations

import unicodedata

MAX_INPUT_CHARS = 500_000
"""Longest Markdown text accepted, in characters (a long lesson is ~50,000)."""

MAX_HTML_CHARS = 4_000_000
"""Longest HTML fragment that `sanitize_html` accepts, in characters."""


class MarkupInputTooLarge(ValueError):
    """Raised when a text is longer than the module accepts."""


def vi_count(number: int) -> str:
    """Format an integer the Vietnamese way, with dots between thousands."""
    return f"{number:,}".replace(",", ".")


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
    return unicodedata.normalize("NFC", source)
