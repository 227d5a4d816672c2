"""Vietnamese text keys: NFC, diacritics folded (đ → d), for slugs and lookups."""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX_LENGTH = 80
# The one slug rule for every file-named or web-named thing (documents, modules, lessons, banks,
# quizzes): it fits the narrowest slug column (modules and lessons, 80 characters).
SLUG_RE = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{SLUG_MAX_LENGTH - 1}}}\Z")
SLUG_RULE = (
    "chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang, bắt đầu bằng chữ "
    f"hoặc số, tối đa {SLUG_MAX_LENGTH} ký tự"
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Remove diacritics (đ → d) and lowercase, keeping every other character."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def is_slug(text: object) -> bool:
    """Whether text is a slug: a-z, 0-9 and hyphens, starting with a letter or digit."""
    return isinstance(text, str) and SLUG_RE.match(text) is not None


def slug_problem(slug: str, what: str = "Mã") -> str | None:
    """Say what is wrong with a slug named what (e.g. "Mã chuyên đề"), or None."""
    if not is_slug(slug):
        return f"{what} '{slug[:100]}' không hợp lệ: {SLUG_RULE}"
    return None


def slugify(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """An ASCII slug: folded, non-alphanumerics become single hyphens."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")[:max_length].strip("-")


def number_key(number: str) -> str:
    """The lookup key of a document number: `4599/QĐ-UBND` → `4599/qd-ubnd`."""
    return re.sub(r"\s+", "", fold(unicodedata.normalize("NFC", number)))
