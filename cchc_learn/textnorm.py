"""Vietnamese text keys: NFC, diacritics folded (đ → d), for slugs and lookups."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Remove diacritics (đ → d) and lowercase, keeping every other character."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def slugify(text: str, max_length: int = 100) -> str:
    """An ASCII slug: folded, non-alphanumerics become single hyphens."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")[:max_length].strip("-")


def number_key(number: str) -> str:
    """The lookup key of a document number: `4599/QĐ-UBND` → `4599/qd-ubnd`."""
    return re.sub(r"\s+", "", fold(unicodedata.normalize("NFC", number)))
