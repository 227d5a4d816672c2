"""The last line of defence: nh3 with a narrow allowlist, whatever produced the HTML."""

from __future__ import annotations

import html
import re

import nh3

from .source import MAX_HTML_CHARS, check_length
from .urls import ALLOWED_SCHEMES, is_external_url, is_safe_url

EXTERNAL_REL = "noopener noreferrer nofollow"

ALLOWED_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li",
        "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "code", "pre",
        "blockquote", "em", "strong", "del", "sup", "section", "div", "span", "hr", "br",
    }
)  # fmt: skip

# Dropped together with everything inside them, not just unwrapped.
_DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "svg", "math", "template", "noscript", "noembed", "noframes", "xmp", "textarea",
        "select", "title",
    }
)  # fmt: skip

_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "class", "id"},
    "img": {"src", "alt", "title"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "li": {"id", "class"},
    "ol": {"start", "class"},
    "th": {"class"},
    "td": {"class"},
    "code": {"class"},
    "div": {"class"},
    "p": {"class"},
    "section": {"class"},
    "sup": {"class"},
    "span": {"class"},
    "hr": {"class"},
}

ADMONITION_KINDS = frozenset(
    {
        "note", "info", "tip", "hint", "important", "warning", "caution", "danger",
        "example", "question", "summary", "quote", "success",
    }
)  # fmt: skip

_CLASSES: dict[str, frozenset[str]] = {
    "a": frozenset({"doc-link", "footnote-backref"}),
    "span": frozenset({"doc-link", "doc-link--broken", "image-missing", "image-external"}),
    "div": frozenset({"admonition", "is-collapsible", "collapsible-open", "collapsible-closed"})
    | ADMONITION_KINDS,
    "p": frozenset({"admonition-title"}),
    "section": frozenset({"footnotes"}),
    "ol": frozenset({"footnotes-list", "toc"}),
    "li": frozenset({"footnote-item"}),
    "sup": frozenset({"footnote-ref"}),
    "hr": frozenset({"footnotes-sep"}),
    "th": frozenset({"align-left", "align-center", "align-right"}),
    "td": frozenset({"align-left", "align-center", "align-right"}),
}

_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]{0,127}")
_LIST_START = re.compile(r"[0-9]{1,9}")
_A_TAG = re.compile(r'<a\s((?:[^>"]|"[^"]*")*)>')
_HREF = re.compile(r'(?:^|\s)href="([^"]*)"')


def _filter_classes(tag: str, value: str) -> str | None:
    if tag == "code":
        kept = [name for name in value.split() if _LANGUAGE_CLASS.fullmatch(name)][:1]
    else:
        allowed = _CLASSES.get(tag, frozenset())
        kept = [name for name in value.split() if name in allowed]
    return " ".join(kept) or None


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 reports an exception from here as "unraisable" and drops the attribute, so this
    # function must stay total: every branch returns.
    if attribute in ("href", "src"):
        return value if is_safe_url(value) else None
    if attribute == "class":
        return _filter_classes(tag, value)
    if attribute == "id":
        return value if _ID.fullmatch(value) else None
    if attribute == "start":
        return value if _LIST_START.fullmatch(value) else None
    return value


def _add_external_rel(match: re.Match[str]) -> str:
    attributes = match.group(1)
    href = _HREF.search(attributes)
    if href and is_external_url(html.unescape(href.group(1))):
        return f'<a {attributes} rel="{EXTERNAL_REL}">'
    return match.group(0)


def clean(fragment: str) -> str:
    """Sanitize an HTML fragment without checking its length (the renderer's own pass)."""
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in _ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(ALLOWED_SCHEMES),
    )
    return _A_TAG.sub(_add_external_rel, cleaned)


def sanitize_html(html_fragment: str) -> str:
    """Return the HTML fragment with everything outside the allowlist removed."""
    return clean(check_length(html_fragment, MAX_HTML_CHARS, "Đoạn HTML"))
