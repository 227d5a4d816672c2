"""The one place where Markdown becomes sanitized HTML (and plain text for search)."""

from .doclinks import normalize_doc_number
from .render import render, render_inline, to_plain_text
from .results import AssetRef, DocLink, Rendered, TocEntry
from .sanitize import sanitize_html
from .slugs import slugify
from .source import MAX_INPUT_CHARS, MarkupInputTooLarge

__all__ = [
    "MAX_INPUT_CHARS",
    "AssetRef",
    "DocLink",
    "MarkupInputTooLarge",
    "Rendered",
    "TocEntry",
    "normalize_doc_number",
    "render",
    "render_inline",
    "sanitize_html",
    "slugify",
    "to_plain_text",
]
