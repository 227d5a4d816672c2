"""The URL policy: which link and image addresses may reach a reader's browser."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_WEB = re.compile(r"https?://[^/?#\\\s]", re.IGNORECASE)
_PATH_END = re.compile(r"[/?#]")
# Browsers drop these inside a URL before reading its scheme, so they can hide one.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _has_hidden_characters(url: str) -> bool:
    for ch in url:
        if ch == " ":
            continue
        if ch.isspace() or unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            return True
    return False


def is_safe_url(url: str) -> bool:
    """Return True for http(s), mailto and same-origin relative URLs, False for anything else."""
    # Judge the URL as written and percent-decoded, so `%5C` or `%09` cannot hide a trick.
    return _is_safe(url) and _is_safe(unquote(url))


def _is_safe(url: str) -> bool:
    if not url or url != url.strip(" "):
        return False
    # A backslash is a slash to browsers, so `/\host` would leave the site.
    if "\\" in url or url.startswith("//") or _has_hidden_characters(url):
        return False
    match = _SCHEME.match(url)
    if match:
        scheme = match.group(1).lower()
        if scheme in ("http", "https"):
            return _WEB.match(url) is not None
        return scheme in ALLOWED_SCHEMES
    # A colon before the first path separator would be read as a scheme by some parsers.
    head = _PATH_END.split(url, maxsplit=1)[0]
    return ":" not in head


def is_external_url(url: str) -> bool:
    """Return True if the URL points to another host (an absolute http or https URL)."""
    return _WEB.match(url) is not None


def is_relative_path(url: str) -> bool:
    """Return True for a path relative to the current document, such as `assets/a.png`."""
    return bool(url) and not url.startswith(("/", "#", "?")) and _SCHEME.match(url) is None
