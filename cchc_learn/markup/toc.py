"""The table of contents: h2 headings with their h3 headings nested under them."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml

from .results import TocEntry

TOC_LEVELS = (2, 3)


def toc_entries(headings: Sequence[TocEntry]) -> list[TocEntry]:
    """Keep the headings that belong in the table of contents."""
    return [heading for heading in headings if heading.level in TOC_LEVELS]


def _item(entry: TocEntry) -> str:
    return f'<li><a href="#{escapeHtml(entry.id)}">{escapeHtml(entry.title)}</a>'


def toc_html(entries: Sequence[TocEntry]) -> str:
    """Render entries as nested ordered lists; an h3 before any h2 stands at the top level."""
    if not entries:
        return ""
    parts = ['<ol class="toc">']
    nested = False
    seen_h2 = False
    for entry in entries:
        if entry.level == 2:
            if nested:
                parts.append("</ol></li>")
                nested = False
            elif seen_h2:
                parts.append("</li>")
            parts.append(_item(entry))
            seen_h2 = True
        elif seen_h2:
            if not nested:
                parts.append("<ol>")
                nested = True
            else:
                parts.append("</li>")
            parts.append(_item(entry))
        else:
            parts.append(_item(entry) + "</li>")
    if nested:
        parts.append("</li></ol></li>")
    elif seen_h2:
        parts.append("</li>")
    parts.append("</ol>")
    return "".join(parts)
