"""The rules a module or lesson must follow, shared by the file loader and the web forms."""

from __future__ import annotations

import re
import unicodedata

from ..content.schema import Flag, Integer, Names, Schema, Text
from ..markup import MAX_INPUT_CHARS
from ..org.models import LEVELS

LESSON_FILE_RE = re.compile(r"^(\d{2,3})-(.+)\.md\Z")
# Any letters (Vietnamese too) and spaces, but nothing Windows cannot store or a URL hides.
ASSET_SEGMENT_RE = re.compile(r'^[^\x00-\x1f\x7f/\\:*?"<>|.\s][^\x00-\x1f\x7f/\\:*?"<>|]{0,99}\Z')

MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_TOPIC = 60
MAX_TOPICS = 20
MAX_MESSAGE = 300
MIN_MINUTES, MAX_MINUTES = 1, 600
MIN_ORDER, MAX_ORDER = 0, 9999
MIN_POSITION, MAX_POSITION = 1, 999
MAX_BODY = MAX_INPUT_CHARS  # the renderer's own limit; a long lesson is about 10,000 characters
MAX_ASSET_BYTES = 5 * 1024 * 1024

IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}
AUDIENCE_LEVELS = LEVELS


def clean_text(value: str) -> str:
    """A one-line text as stored and hashed: NFC, every run of blanks one space."""
    value = "".join(ch for ch in value if ch.isspace() or unicodedata.category(ch) != "Cc")
    return " ".join(unicodedata.normalize("NFC", value).split())


def clean_body(value: str) -> str:
    """A Markdown body as stored: NFC, LF line ends, no BOM."""
    # PostgreSQL cannot store NUL in text, and no Markdown needs it.
    value = unicodedata.normalize("NFC", value.removeprefix("\ufeff").replace("\x00", ""))
    return value.replace("\r\n", "\n").replace("\r", "\n")


def topics_problem(topics: object) -> str | None:
    """Say what is wrong with a topic list, or None."""
    if not isinstance(topics, list) or not all(
        isinstance(t, str) and 0 < len(t.strip()) <= MAX_TOPIC for t in topics
    ):
        return f"'topics' phải là danh sách tên chủ đề, mỗi tên tối đa {MAX_TOPIC} ký tự"
    if len(topics) > MAX_TOPICS:
        return f"'topics' có quá {MAX_TOPICS} chủ đề"
    return None


def audience_problem(audience: object) -> str | None:
    """Say what is wrong with an audience list, or None."""
    allowed = ", ".join(AUDIENCE_LEVELS)
    if not isinstance(audience, list) or not all(isinstance(a, str) for a in audience):
        return f"'audience' phải là danh sách cấp đơn vị (cho phép: {allowed})"
    unknown = [a for a in audience if a not in AUDIENCE_LEVELS]
    if unknown:
        return f"'audience' có cấp không hợp lệ '{unknown[0]}' (cho phép: {allowed})"
    return None


def unique_list(values: list[str]) -> list[str]:
    """Trimmed values in their first order, without repeats."""
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(clean_text(value), None)
    return list(seen)


def _text(max_len: int, *, required: bool = False) -> Text:
    return Text(max=max_len, required=required, clean=clean_text, default="")


MODULE = Schema(
    {
        "title": _text(MAX_TITLE, required=True),
        "summary": _text(MAX_SUMMARY, required=True),
        "topics": Names(required=True, problem=topics_problem, clean=unique_list, default=[]),
        "order": Integer(required=True, low=MIN_ORDER, high=MAX_ORDER, default=MIN_ORDER),
        "audience": Names(required=True, problem=audience_problem, clean=unique_list, default=[]),
        "published": Flag(default=True),
    }
)
"""The front matter of a module.md."""

LESSON = Schema(
    {
        "title": _text(MAX_TITLE, required=True),
        "minutes": Integer(required=True, low=MIN_MINUTES, high=MAX_MINUTES, default=MIN_MINUTES),
        "summary": _text(MAX_SUMMARY),
        "published": Flag(default=True),
    }
)
"""The front matter of a lesson file (NN-lesson.md)."""


def asset_name_problem(name: str) -> str | None:
    """Say what is wrong with an image path below assets/, or None."""
    parts = name.split("/")
    if len(name) > 200 or not all(ASSET_SEGMENT_RE.match(p) for p in parts):
        return (
            f"tên tệp ảnh '{name[:100]}' không hợp lệ: không bắt đầu bằng dấu chấm hay "
            'dấu cách, không chứa ký tự điều khiển hay \\ : * ? " < > |, tối đa 100 ký tự '
            "mỗi phần"
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
    if extension not in IMAGE_TYPES:
        return f"tệp '{name[:100]}' không phải ảnh được phép (chỉ nhận: {', '.join(IMAGE_TYPES)})"
    return None


def image_type(name: str, data: bytes) -> str | None:
    """The content type of an image whose bytes match its extension, else None."""
    extension = name.rsplit(".", 1)[-1].lower()
    kind = IMAGE_TYPES.get(extension)
    if kind is None:
        return None
    head = data[:512]
    ok = {
        "image/png": head.startswith(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg": head.startswith(b"\xff\xd8\xff"),
        "image/gif": head.startswith((b"GIF87a", b"GIF89a")),
        "image/webp": head[:4] == b"RIFF" and head[8:12] == b"WEBP",
        "image/svg+xml": b"<svg" in data[:4096].lower(),
    }[kind]
    return kind if ok else None
