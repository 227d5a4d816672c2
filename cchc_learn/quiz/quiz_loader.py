"""Read and check the settings of a quiz, from a content file's front matter or a browser form."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import yaml

from ..clock import LOCAL_TZ
from .models import REVIEW_POLICIES

ALLOWED_KEYS = (
    "title",
    "module",
    "draw",
    "time_limit",
    "attempts",
    "pass_mark",
    "review",
    "shuffle_questions",
    "shuffle_options",
    "essays",
    "opens",
    "closes",
)
DRAW_KEYS = ("bank", "count", "topic")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
MODULE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
# These words name pages under /quizzes/, so no quiz may take them as its slug.
RESERVED_SLUGS = frozenset({"manage", "attempts"})
MAX_TIME_LIMIT = 24 * 60
MAX_ATTEMPTS = 100
MAX_DRAW = 200
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class DrawSpec:
    """Draw count items at random from a bank, optionally only those of one topic."""

    bank: str
    count: int
    topic: str = ""
    line: int = 1

    def as_json(self) -> dict[str, Any]:
        """The draw as stored on the quiz."""
        data: dict[str, Any] = {"bank": self.bank, "count": self.count}
        if self.topic:
            data["topic"] = self.topic
        return data


@dataclass
class QuizSpec:
    """A checked quiz definition, whatever it came from."""

    slug: str
    title: str
    description: str = ""
    module: str | None = None
    draws: list[DrawSpec] = field(default_factory=list)
    time_limit: int | None = None
    attempts: int | None = None
    pass_mark: float = 50.0
    review: str = "immediately"
    shuffle_questions: bool = True
    shuffle_options: bool = True
    essays: bool = False  # draw essays too (graded by a trainer)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    path: str | None = None
    line: int = 1
    body_line: int = 1

    def as_json(self) -> dict[str, Any]:
        """Every setting as plain JSON values (for change detection)."""
        data: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "module": self.module,
            "draws": [d.as_json() for d in self.draws],
            "time_limit": self.time_limit,
            "attempts": self.attempts,
            "pass_mark": self.pass_mark,
            "review": self.review,
            "shuffle_questions": self.shuffle_questions,
            "shuffle_options": self.shuffle_options,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
        }
        # Only when set: quizzes written before essays could be drawn keep their digest.
        if self.essays:
            data["essays"] = True
        return data


LineOf = Callable[[str], int]
Found = list[tuple[int, str]]


def _int(value: Any, key: str, low: int, high: int, line: int, found: Found) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        found.append((line, f"'{key}' phải là số nguyên từ {low} đến {high}: {value!r}"))
        return None
    return value


def _bool(value: Any, key: str, line: int, found: Found) -> bool:
    if not isinstance(value, bool):
        found.append((line, f"'{key}' phải là true hoặc false: {value!r}"))
        return True
    return value


def parse_moment(value: Any, *, end_of_day: bool = False) -> datetime | None:
    """Read a date or date-and-time written in Vietnam time; None if it is neither."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
        if end_of_day:
            moment += timedelta(days=1)
    elif isinstance(value, str):
        text = value.strip()
        moment = None
        for fmt in _DATETIME_FORMATS:
            try:
                moment = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            for fmt in _DATE_FORMATS:
                try:
                    return parse_moment(datetime.strptime(text, fmt).date(), end_of_day=end_of_day)
                except ValueError:
                    continue
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(UTC)


def _draws(value: Any, line: int, entry_lines: list[int], found: Found) -> list[DrawSpec]:
    if not isinstance(value, list) or not value:
        found.append((line, "'draw' phải là danh sách các mục {bank, count, topic}"))
        return []
    draws = []
    for index, entry in enumerate(value):
        at = entry_lines[index] if index < len(entry_lines) else line
        if not isinstance(entry, dict):
            found.append((at, "mỗi mục của 'draw' cần 'bank' và 'count' (tùy chọn 'topic')"))
            continue
        for key in sorted(set(map(str, entry)) - set(DRAW_KEYS)):
            found.append(
                (
                    at,
                    f"khóa không được hỗ trợ trong 'draw': '{key}' (cho phép: "
                    f"{', '.join(DRAW_KEYS)})",
                )
            )
        bank = entry.get("bank")
        if not isinstance(bank, str) or not SLUG_RE.match(bank):
            found.append((at, f"'bank' phải là mã ngân hàng câu hỏi: {bank!r}"))
            continue
        count = _int(entry.get("count"), "count", 1, MAX_DRAW, at, found)
        topic = entry.get("topic", "")
        if not isinstance(topic, str) or len(topic) > 100:
            found.append((at, f"'topic' phải là tên chủ đề (tối đa 100 ký tự): {topic!r}"))
            continue
        if count is not None:
            draws.append(DrawSpec(bank=bank, count=count, topic=topic.strip(), line=at))
    return draws


def validate_quiz(
    meta: dict[str, Any], slug: str, body: str, line_of: LineOf, entry_lines: list[int]
) -> tuple[QuizSpec | None, Found]:
    """Check a quiz's settings; return the spec (None on any problem) and (line, message)s."""
    found: Found = []
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        found.append(
            (
                1,
                f"mã bài kiểm tra {slug!r} không hợp lệ: chỉ gồm chữ thường không dấu, "
                f"chữ số và dấu -, khác {', '.join(sorted(RESERVED_SLUGS))}",
            )
        )
    for key in sorted(set(map(str, meta)) - set(ALLOWED_KEYS)):
        found.append(
            (line_of(key), f"khóa không được hỗ trợ '{key}' (cho phép: {', '.join(ALLOWED_KEYS)})")
        )
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        found.append((line_of("title"), "thiếu 'title' (tên bài kiểm tra, tối đa 200 ký tự)"))
    module = meta.get("module")
    if module is not None and (not isinstance(module, str) or not MODULE_RE.match(module)):
        found.append((line_of("module"), f"'module' phải là mã chuyên đề: {module!r}"))
    spec = QuizSpec(
        slug=slug, title=str(title or "").strip(), description=body.strip(), module=module
    )
    spec.draws = _draws(meta.get("draw"), line_of("draw"), entry_lines, found)
    if meta.get("time_limit") is not None:
        spec.time_limit = _int(
            meta["time_limit"], "time_limit", 1, MAX_TIME_LIMIT, line_of("time_limit"), found
        )
    if meta.get("attempts") is not None:
        spec.attempts = _int(
            meta["attempts"], "attempts", 1, MAX_ATTEMPTS, line_of("attempts"), found
        )
    mark = meta.get("pass_mark", 50)
    if isinstance(mark, bool) or not isinstance(mark, int | float) or not 0 <= mark <= 100:
        found.append(
            (line_of("pass_mark"), f"'pass_mark' phải là số phần trăm từ 0 đến 100: {mark!r}")
        )
    else:
        spec.pass_mark = float(mark)
    review = meta.get("review", "immediately")
    if review not in REVIEW_POLICIES:
        found.append(
            (
                line_of("review"),
                f"'review' không hợp lệ: {review!r} (dùng {', '.join(REVIEW_POLICIES)})",
            )
        )
    else:
        spec.review = review
    for key in ("shuffle_questions", "shuffle_options", "essays"):
        if key in meta:
            setattr(spec, key, _bool(meta[key], key, line_of(key), found))
    for key, attr, end in (("opens", "opens_at", False), ("closes", "closes_at", True)):
        if meta.get(key) is not None:
            moment = parse_moment(meta[key], end_of_day=end)
            if moment is None:
                found.append(
                    (
                        line_of(key),
                        f"'{key}' phải là ngày YYYY-MM-DD hoặc "
                        f"'YYYY-MM-DD HH:MM' (giờ Việt Nam): {meta[key]!r}",
                    )
                )
            setattr(spec, attr, moment)
    if spec.opens_at and spec.closes_at and spec.opens_at >= spec.closes_at:
        found.append((line_of("closes"), "'closes' phải sau 'opens'"))
    return (None if found else spec), found


def draw_entry_lines(header: str, first_line: int = 2) -> list[int]:
    """The file line of each entry of the front matter's `draw` list (already checked YAML)."""
    try:
        node = yaml.compose(header, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for key_node, value_node in node.value:
        if key_node.value == "draw" and isinstance(value_node, yaml.SequenceNode):
            return [first_line + entry.start_mark.line for entry in value_node.value]
    return []


def draws_from_lines(text: str) -> tuple[list[dict[str, Any]], list[int], Found]:
    """Read draws written one per line as `COUNT BANK [TOPIC]`, e.g. `3 chi-so-danh-gia PAPI`."""
    draws, lines, found = [], [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].isdigit():
            found.append(
                (
                    number,
                    f"dòng {number}: viết 'SỐ-CÂU MÃ-NGÂN-HÀNG [CHỦ-ĐỀ]', "
                    f"ví dụ '3 chi-so-danh-gia PAPI': {line[:80]!r}",
                )
            )
            continue
        entry: dict[str, Any] = {"bank": parts[1], "count": int(parts[0][:6])}
        if len(parts) == 3:
            entry["topic"] = parts[2]
        draws.append(entry)
        lines.append(number)
    return draws, lines, found


def draw_lines(draws: list[dict[str, Any]]) -> str:
    """Write stored draws back as `COUNT BANK [TOPIC]` lines."""
    return "\n".join(
        " ".join(str(part) for part in (d["count"], d["bank"], d.get("topic") or "") if part != "")
        for d in draws
    )
