"""Escape plain official-document text so that Markdown renders it literally."""

from __future__ import annotations

import re
import unicodedata

# Every ASCII punctuation mark that starts inline syntax in CommonMark, GFM tables or the
# plugins the application enables; backslash-escaping them is always safe.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BULLET = re.compile(r"^([-+])\s+(?=\S)")
_THEMATIC_BREAK = re.compile(r"^([-*_])(\s*\1){2,}\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"\s+")


# Letters that only occur in the corpus as typing errors for Vietnamese ones ("LǷNH VỰC").
_REPAIRS = str.maketrans({"Ƿ": "Ĩ", "ƿ": "ĩ"})


def clean_text(text: str) -> str:
    """Return one NFC line: control characters dropped, any run of white space made one space."""
    if "Ƿ" in text or "ƿ" in text:
        text = text.translate(_REPAIRS)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def escape_inline(text: str) -> str:
    """Backslash-escape characters that Markdown would read as inline syntax."""
    text = _INLINE_SPECIAL.sub(r"\\\1", clean_text(text))
    return _ENTITY_LIKE.sub(r"\\&", text)


def escape_line(text: str, *, allow_bullet: bool = False) -> str:
    """Escape one paragraph line, including block markers at its start.

    With ``allow_bullet`` a leading "- " or "+ " stays a list item (the rest is escaped);
    otherwise it is kept as literal text.
    """
    text = clean_text(text)
    if _THEMATIC_BREAK.match(text):
        return "\\" + escape_inline(text)
    bullet = _BULLET.match(text)
    if bullet:
        rest = escape_line(text[bullet.end() :])
        if allow_bullet:
            return f"{bullet.group(1)} {rest}"
        return f"\\{bullet.group(1)} {rest}"
    escaped = escape_inline(text)
    ordered = _ORDERED_MARKER.match(escaped)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{escaped[ordered.end() :]}"
    if escaped[:1] in {"-", "+", "=", ":", "!"}:
        return "\\" + escaped
    return escaped


def escape_cell(text: str) -> str:
    """Escape the text of one table cell; line breaks become spaces."""
    return escape_inline(" ".join(text.split("\n")))


def bold(text: str) -> str:
    """Return the escaped text wrapped in strong emphasis."""
    inner = escape_inline(text)
    return f"**{inner}**" if inner else ""
