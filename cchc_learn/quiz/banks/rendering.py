"""Turn the texts of a question item into sanitized HTML once, when it is saved or synced."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ...markup import MarkupInputTooLarge, render, render_inline, sanitize_html
from ..questions import Item, question_type

Resolver = Callable[[str], str | None]
REF_RE = re.compile(r"^(?P<kind>doc|lesson):(?P<target>.+)$")
LESSON_TARGET_RE = re.compile(r"^(?P<module>[a-z0-9][a-z0-9-]*)/(?P<lesson>[a-z0-9][a-z0-9-]*)$")


def doc_resolver() -> Resolver:
    """Map a document number to its knowledge-base page (None when no live document has it)."""
    from ...kb.service import number_resolver

    return number_resolver()


class RenderError(ValueError):
    """A text of an item cannot be rendered; the message is for users."""


def render_text(text: str, fmt: str, resolver: Resolver | None, *, inline: bool = False) -> str:
    """Render one text of an item in its declared format to sanitized HTML."""
    if not text:
        return ""
    try:
        if fmt == "markdown":
            if inline and "\n" not in text:
                return render_inline(text, doc_link_resolver=resolver)
            return render(text, doc_link_resolver=resolver).html
        if fmt == "plain":
            return escape(text).replace("\n", "<br>")
        # Moodle's auto-format and HTML both allow markup; line breaks count in auto-format.
        source = text.replace("\n", "<br>") if fmt == "moodle" else text
        return sanitize_html(source)
    except MarkupInputTooLarge as exc:
        raise RenderError(str(exc)) from exc


def parse_ref(ref: str) -> tuple[str, str] | None:
    """Split `doc:NUMBER` or `lesson:module/slug` into (kind, target); None if malformed."""
    found = REF_RE.match(ref.strip())
    if not found:
        return None
    kind, target = found["kind"], found["target"].strip()
    if kind == "lesson" and not LESSON_TARGET_RE.match(target):
        return None
    return kind, target


def ref_link(ref: str, resolver: Resolver | None) -> dict[str, str | None] | None:
    """The link an item's reference leads to: a lesson page or a knowledge-base document."""
    parsed = parse_ref(ref) if ref else None
    if parsed is None:
        return None
    kind, target = parsed
    if kind == "lesson":
        module, lesson = target.split("/", 1)
        return {"kind": kind, "label": f"Bài học {target}", "url": f"/modules/{module}/{lesson}"}
    url = resolver(target) if resolver else None
    return {"kind": kind, "label": f"Văn bản {target}", "url": url}


def render_item(item: Item, resolver: Resolver | None) -> dict:
    """Every text of item as HTML, plus the link of its reference; raise RenderError."""
    fmt = item.format

    def block(text: str) -> str:
        return render_text(text, fmt, resolver)

    def inline(text: str) -> str:
        return render_text(text, fmt, resolver, inline=True)

    out: dict = {
        "stem": block(item.stem),
        "explanation": block(item.explanation),
        "ref": ref_link(item.ref, resolver),
    }
    out.update(question_type(item.type).render(item, block, inline))
    return out
