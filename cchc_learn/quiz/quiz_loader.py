"""Read and check the settings of a quiz, from a content file's front matter or a browser form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ..clock import LOCAL_TZ
from ..content.problems import Problem
from ..content.schema import Choice, Field, Flag, Integer, Number, Schema, Slug, Text, Where
from ..textnorm import is_slug
from .models import REVIEW_POLICIES

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


_WHOLE = "'{key}' phải là số nguyên từ {low} đến {high}: {value!r}"
_FLAG = "'{key}' phải là true hoặc false: {value!r}"
_TITLE = "thiếu 'title' (tên bài kiểm tra, tối đa 200 ký tự)"
_BANK = "'bank' phải là mã ngân hàng câu hỏi: {value!r}"
_TOPIC = "'topic' phải là tên chủ đề (tối đa 100 ký tự): {value!r}"
_DRAW_LIST = "'draw' phải là danh sách các mục {{bank, count, topic}}"

DRAW = Schema(
    {
        "bank": Slug(required=True, missing=_BANK, wrong=_BANK),
        "count": Integer(
            required=True, low=1, high=MAX_DRAW, missing=_WHOLE, wrong=_WHOLE, out_of_range=_WHOLE
        ),
        # Measured as written, then trimmed.
        "topic": Text(
            max=100,
            clean=str,
            numbers=False,
            null_is_unset=False,
            default="",
            wrong=_TOPIC,
            too_long=_TOPIC,
        ),
    },
    unknown="khóa không được hỗ trợ trong 'draw': '{key}' (cho phép: {allowed})",
)
"""One entry of a quiz's `draw` list."""


def _draws(value: Any, where: Where) -> list[DrawSpec]:
    if not isinstance(value, list) or not value:
        where.report(_DRAW_LIST.format())
        return []
    draws = []
    for index, entry in enumerate(value):
        at = where.entry_line(index)
        if not isinstance(entry, dict):
            where.report("mỗi mục của 'draw' cần 'bank' và 'count' (tùy chọn 'topic')", at)
            continue
        values, found = DRAW.read(entry, path=where.path, line_of=lambda _key, at=at: at)
        where.problems.extend(found)
        if not found:
            draws.append(DrawSpec(values["bank"], values["count"], values["topic"].strip(), at))
    return draws


def _moment(*, end_of_day: bool) -> Callable[[Any, Where], datetime | None]:
    def read(value: Any, where: Where) -> datetime | None:
        moment = parse_moment(value, end_of_day=end_of_day)
        if moment is None:
            where.report(
                f"'{where.key}' phải là ngày YYYY-MM-DD hoặc "
                f"'YYYY-MM-DD HH:MM' (giờ Việt Nam): {value!r}"
            )
        return moment

    return read


QUIZ = Schema(
    {
        # Measured as written, then trimmed; a bare number is no title.
        "title": Text(
            required=True,
            max=200,
            clean=str,
            numbers=False,
            missing=_TITLE,
            wrong=_TITLE,
            too_long=_TITLE,
        ),
        "module": Slug(wrong="'module' phải là mã chuyên đề: {value!r}"),
        "draw": Field(required=True, missing=_DRAW_LIST, read=_draws, default=[]),
        "time_limit": Integer(low=1, high=MAX_TIME_LIMIT, wrong=_WHOLE, out_of_range=_WHOLE),
        "attempts": Integer(low=1, high=MAX_ATTEMPTS, wrong=_WHOLE, out_of_range=_WHOLE),
        "pass_mark": Number(
            low=0,
            high=100,
            default=50.0,
            wrong="'pass_mark' phải là số phần trăm từ 0 đến 100: {value!r}",
        ),
        "review": Choice(choices=REVIEW_POLICIES, default="immediately"),
        "shuffle_questions": Flag(default=True, wrong=_FLAG),
        "shuffle_options": Flag(default=True, wrong=_FLAG),
        "essays": Flag(default=False, wrong=_FLAG),
        "opens": Field(read=_moment(end_of_day=False), null_is_unset=True),
        "closes": Field(read=_moment(end_of_day=True), null_is_unset=True),
    }
)
"""The settings of a quiz: a quiz file's front matter, or the browser's quiz form."""


def read_quiz(
    meta: dict[str, Any],
    slug: str,
    body: str,
    *,
    path: str,
    line_of: LineOf,
    entry_lines: Callable[[str], list[int]] = lambda _key: [],
) -> tuple[QuizSpec | None, list[Problem]]:
    """Check a quiz's settings; return the spec (None on any problem) and every problem."""
    problems: list[Problem] = []
    if not is_slug(slug) or slug in RESERVED_SLUGS:
        problems.append(
            Problem(
                path,
                1,
                f"mã bài kiểm tra {slug!r} không hợp lệ: chỉ gồm chữ thường không dấu, "
                f"chữ số và dấu -, khác {', '.join(sorted(RESERVED_SLUGS))}",
            )
        )
    values, found = QUIZ.read(meta, path=path, line_of=line_of, entry_lines=entry_lines)
    problems += found
    opens, closes = values["opens"], values["closes"]
    if opens and closes and opens >= closes:
        problems.append(Problem(path, line_of("closes"), "'closes' phải sau 'opens'"))
    if problems:
        return None, problems
    return QuizSpec(
        slug=slug,
        title=values.pop("title").strip(),
        description=body.strip(),
        draws=values.pop("draw"),
        opens_at=values.pop("opens"),
        closes_at=values.pop("closes"),
        **values,
    ), []


def draws_from_lines(text: str) -> tuple[list[dict[str, Any]], list[int], list[Problem]]:
    """Read draws written one per line as `COUNT BANK [TOPIC]`, e.g. `3 chi-so-danh-gia PAPI`.

    Return the draws, the line of each, and the problems of the lines that are no draw.
    """
    draws, lines, problems = [], [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].isdigit():
            problems.append(
                Problem(
                    "",
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
    return draws, lines, problems


def draw_lines(draws: list[dict[str, Any]]) -> str:
    """Write stored draws back as `COUNT BANK [TOPIC]` lines."""
    return "\n".join(
        " ".join(str(part) for part in (d["count"], d["bank"], d.get("topic") or "") if part != "")
        for d in draws
    )
