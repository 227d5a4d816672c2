"""Plain text out of markdown-it tokens: for titles, alt text, search and snippets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")

_BLOCK_ENDS = frozenset({"bullet_list_close", "ordered_list_close", "table_close", "dl_close"})

# Block tokens whose end also ends a line of plain text.
_LINE_ENDS = frozenset(
    {
        "paragraph_close",
        "heading_close",
        "dt_close",
        "dd_close",
        "admonition_title_close",
        "hr",
    }
    | _BLOCK_ENDS
)


def inline_text(children: Sequence[Token]) -> str:
    """Return the words of inline tokens: text, code, link labels and image alt text."""
    parts: list[str] = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(inline_text(token.children or []))
    return _SPACES.sub(" ", "".join(parts)).strip()


def block_text(tokens: Sequence[Token]) -> str:
    """Return readable plain text of a parsed document, one block per line."""
    out: list[str] = []
    row: list[str] | None = None
    for token in tokens:
        kind = token.type
        if kind == "inline":
            text = inline_text(token.children or [])
            if row is not None:
                row.append(text)
            elif text:
                out.append(text)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            cells = [cell for cell in (row or []) if cell]
            if cells:
                out.append(" | ".join(cells) + "\n")
            row = None
        elif kind in ("code_block", "fence"):
            out.append(token.content.rstrip("\n") + "\n\n")
        elif kind in _LINE_ENDS:
            loose = kind == "paragraph_close" and not token.hidden
            out.append("\n\n" if loose or kind in _BLOCK_ENDS else "\n")
    text = "".join(out)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
