"""An independent check of rendered HTML: what a browser would treat as active content."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "blockquote", "em",
    "strong", "del", "sup", "section", "div", "span", "hr", "br",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def url_problem(url: str) -> str | None:
    """Say why a browser could run or leave the site through this URL, or None."""
    squeezed = _INVISIBLE.sub("", unquote(url)).lower()
    if squeezed.startswith(("//", "\\", "/\\")) or "\\" in squeezed:
        return f"leaves the site: {url!r}"
    match = _SCHEME.match(squeezed)
    if match and match.group(1) not in SAFE_SCHEMES:
        return f"scheme {match.group(1)!r}: {url!r}"
    if (
        match
        and match.group(1) in ("http", "https")
        and not squeezed.startswith(("http://", "https://"))
    ):
        return f"malformed web URL: {url!r}"
    return None


def audit(html: str) -> list[str]:
    """List everything in the HTML that a sanitized fragment must never contain."""
    problems = []
    lowered = html.lower()
    for needle in ("<script", "<iframe", "<svg", "<math", "<object", "<embed", "<style"):
        if needle in lowered:
            problems.append(f"raw {needle}")
    collector = _Collector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "target"):
                problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src") and value is not None:
                problem = url_problem(value)
                if problem:
                    problems.append(f"<{tag} {name}>: {problem}")
    return problems


def attributes(html: str, tag: str, name: str) -> list[str | None]:
    """Return the values of one attribute on every element of one tag, in order."""
    collector = _Collector()
    collector.feed(html)
    return [dict(attrs).get(name) for t, attrs in collector.tags if t == tag]
