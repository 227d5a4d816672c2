"""Heading anchors that survive Vietnamese: `Mục tiêu Đề án` → `muc-tieu-de-an`."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "muc"

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")
# Footnotes use these ids; a heading must never take one of them.
_FOOTNOTE_ID = re.compile(r"fn(?:ref)?[0-9]+")


def slugify(title: str) -> str:
    """Fold diacritics (đ → d), lowercase, and join the alphanumeric runs with hyphens."""
    text = unicodedata.normalize("NFC", title).replace("đ", "d").replace("Đ", "D")
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not text.isascii():  # marks of other scripts: the exact, slower test
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    slug = _NON_ALNUM.sub("-", text).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-") or FALLBACK_SLUG


class SlugRegistry:
    """Hand out slugs that are unique within one page, in constant time per heading."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next_suffix: dict[str, int] = {}

    def _taken(self, slug: str) -> bool:
        return slug in self._used or _FOOTNOTE_ID.fullmatch(slug) is not None

    def unique(self, title: str) -> str:
        """Return the slug of the title, suffixed `-1`, `-2`, … if the page already has it."""
        base = slugify(title)
        slug = base
        if self._taken(slug):
            suffix = self._next_suffix.get(base, 1)
            while self._taken(f"{base}-{suffix}"):
                suffix += 1
            self._next_suffix[base] = suffix + 1
            slug = f"{base}-{suffix}"
        self._used.add(slug)
        return slug
