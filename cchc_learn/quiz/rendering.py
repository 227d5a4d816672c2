"""Turn the texts of a question item into sanitized HTML once, when it is saved or synced."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..markup import MarkupInputTooLarge, render, render_inline, sanitize_html
from .formats.numbers import spell_interval
from .items import ChoiceItem, Item, Matching, Numerical, ShortAnswer, TrueFalse

Resolver = Callable[[str], str | None]
REF_RE = re.compile(r"^(?P<kind>doc|lesson):(?P<target>.+)$")
LESSON_TARGET_RE = re.compile(r"^(?P<module>[a-z0-9][a-z0-9-]*)/(?P<lesson>[a-z0-9][a-z0-9-]*)$")


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
    if isinstance(item, ChoiceItem):
        out["options"] = [inline(option.text) for option in item.options]
        out["option_feedback"] = [inline(option.feedback) for option in item.options]
    elif isinstance(item, TrueFalse):
        out["feedback_true"] = inline(item.feedback_true)
        out["feedback_false"] = inline(item.feedback_false)
    elif isinstance(item, ShortAnswer):
        out["answers"] = [escape(answer.text) for answer in item.answers if answer.weight >= 100]
        out["answer_feedback"] = [inline(answer.feedback) for answer in item.answers]
    elif isinstance(item, Numerical):
        out["answers"] = [_interval(a.min, a.max) for a in item.answers if a.weight >= 100]
        out["answer_feedback"] = [inline(answer.feedback) for answer in item.answers]
    elif isinstance(item, Matching):
        out["lefts"] = [inline(pair.left) for pair in item.pairs]
        out["rights"] = [inline(pair.right) for pair in item.pairs]
    return out


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "bất kỳ số nào"
    spelled = spell_interval(low, high, " ± ")
    if ".." in spelled:
        spelled = spelled.replace("..", " đến ")
    # Vietnamese writes a decimal comma.
    return spelled.replace(".", ",")
