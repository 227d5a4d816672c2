"""The `[[4599/QĐ-UBND]]` and `[[4599/QĐ-UBND|Đề án 4599]]` links to knowledge-base documents."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .context import context_of

MAX_DOC_LINK_CHARS = 200
"""Longest text between `[[` and `]]`; longer runs stay plain text."""

_AROUND_SEPARATOR = re.compile(r"\s*([/\-])\s*")
_SPACES = re.compile(r"\s+")


def normalize_doc_number(number: str) -> str:
    """Normalise a document number: NFC, trimmed, no spaces around `/` or `-`, single spaces."""
    text = unicodedata.normalize("NFC", number).strip()
    text = _AROUND_SEPARATOR.sub(r"\1", text)
    return _SPACES.sub(" ", text)


def parse_doc_link(inner: str) -> tuple[str, str] | None:
    """Split the text between the brackets into (normalised number, label), or None."""
    written, separator, label = inner.partition("|")
    number = normalize_doc_number(written)
    if not any(ch.isalnum() for ch in number):
        return None
    label = _SPACES.sub(" ", label.strip()) if separator else ""
    return number, label or _SPACES.sub(" ", written.strip())


def doc_link_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: turn `[[NUMBER]]` or `[[NUMBER|label]]` into doc_link tokens."""
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    limit = min(state.posMax, pos + 2 + MAX_DOC_LINK_CHARS + 2)
    end = src.find("]]", pos + 2, limit)
    if end < 0:
        return False
    # `[[x]](url)` is a CommonMark link whose text is `[x]`; leave it to the link rule.
    if src.startswith("(", end + 2):
        return False
    inner = src[pos + 2 : end]
    if "[" in inner or "]" in inner or "\n" in inner:
        return False
    parsed = parse_doc_link(inner)
    if parsed is None:
        return False
    if not silent:
        number, label = parsed
        meta = {
            "number": number,
            "label": label,
            "line": context_of(state.env).line_at(src, pos),
            "href": None,
            # A link inside a link is invalid HTML; there only the label is shown.
            "in_link": state.linkLevel > 0,
        }
        token = state.push("doc_link_open", "a", 1)
        token.meta = meta
        token.markup = "[["
        text = state.push("text", "", 0)
        text.content = label
        token = state.push("doc_link_close", "a", -1)
        token.meta = meta
        token.markup = "]]"
    state.pos = end + 2
    return True


def render_doc_link_open(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Open a resolved link as `<a class="doc-link">`, a broken one as a visible span."""
    meta = tokens[idx].meta
    if meta.get("in_link"):
        return ""
    if meta.get("href"):
        return f'<a class="doc-link" href="{escapeHtml(meta["href"])}">'
    return '<span class="doc-link doc-link--broken">'


def render_doc_link_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """Close what render_doc_link_open opened."""
    meta = tokens[idx].meta
    if meta.get("in_link"):
        return ""
    return "</a>" if meta.get("href") else "</span>"
