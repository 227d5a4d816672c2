"""The one place where Markdown becomes sanitized HTML (and plain text for search)."""

from .budget import MAX_ELEMENTS, MarkupTooComplex
from .doclinks import normalize_doc_number
from .render import render, render_inline, to_plain_text
from .results import AssetRef, DocLink, Rendered, TocEntry
from .sanitize import sanitize_html
from .slugs import slugify
from .source import MAX_INPUT_CHARS, MAX_INPUT_LINES, MarkupInputTooLarge

__all__ = [
    "MAX_ELEMENTS",
    "MAX_INPUT_CHARS",
    "MAX_INPUT_LINES",
    "AssetRef",
    "DocLink",
    "MarkupInputTooLarge",
    "MarkupTooComplex",
    "Rendered",
    "TocEntry",
    "normalize_doc_number",
    "render",
    "render_inline",
    "sanitize_html",
    "slugify",
    "to_plain_text",
]
