"""The two sheets of a past-records workbook, `Lop` and `HocVien`, read into planned classes.

Every problem is reported at its cell (`Lop!F3`); a row with a problem plans nothing, and the
plan holds every class and learner that is sound, so the preview can show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask import current_app

from ..clock import LOCAL_TZ, utcnow
from ..org.importing.planning import parse_day
from . import outcome
from .import_columns import Column, map_columns
from .import_files import FileRejected, SheetRow, build_table, cell_name, key
from .import_people import Directory, Person
from .models import ABSENT, ATTENDED, FORMATS, IN_PERSON, PRESENT
from .sheet_rows import FULL_NAME, STATUS_HINT, UNIT, USERNAME, parse_status

CLASS_SHEET, LEARNER_SHEET = "Lop", "HocVien"
CODE = Column("code", "Mã lớp", 32, ("class_code", "mã", "ký hiệu lớp"))
CLASS_COLUMNS = (
    CODE,
    Column("title", "Tên lớp", 200, ("title", "tên lớp học", "lớp")),
    Column("format", "Hình thức", 40, ("format", "hình thức tổ chức")),
    Column("place", "Địa điểm", 300, ("place", "địa điểm tổ chức", "nơi học")),
    Column("trainers", "Giảng viên", 300, ("trainers", "báo cáo viên")),
    Column("sessions", "Các buổi học", 1000, ("sessions", "buổi học", "ngày học", "thời gian")),
    Column("min_percent", "Tỉ lệ tối thiểu (%)", 10,
           ("min_percent", "tỉ lệ tối thiểu", "tỷ lệ tối thiểu", "tỷ lệ tối thiểu (%)",
            "tỉ lệ tham dự tối thiểu")),
    Column("source_document", "Số văn bản", 100,
           ("source_document", "văn bản", "số hiệu văn bản", "số ký hiệu văn bản")),
    Column("description", "Ghi chú", 1000, ("description", "mô tả")),
)
CLASS_REQUIRED = ("code", "title", "sessions", "source_document")
ATTENDED_COLUMN = Column("attended", "Tham dự", 20, ("attended", "đạt", "kết quả"))
LEARNER_COLUMNS = (CODE, USERNAME, FULL_NAME, UNIT, ATTENDED_COLUMN)
YES = {key(w) for w in ("có", "x", "đạt", "yes", "true", "1", "có mặt", "hoàn thành")}
NO = {key(w) for w in ("không", "no", "false", "0", "vắng", "không đạt", "chưa đạt")}
FORMAT_KEYS = {**{key(v): k for k, v in FORMATS.items()}, **{key(k): k for k in FORMATS}}
MAX_SESSIONS = 100
DEFAULT_HOURS = (time(8, 0), time(11, 30))
_SESSION = re.compile(
    r"^(?P<day>\S+)(?:\s+(?P<sh>\d{1,2})(?:[:hg](?P<sm>\d{2})?)?\s*[-–]\s*"
    r"(?P<eh>\d{1,2})(?:[:hg](?P<em>\d{2})?)?)?$", re.I)
_SESSION_COLUMN = re.compile(r"^buoi(\d{1,3})$")


@dataclass(frozen=True)
class SheetProblem:
    """One problem: a cell of a sheet (`Lop!B3`), a whole sheet, or the whole file."""

    message: str
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}: {self.message}"
        return f"{self.sheet}: {self.message}" if self.sheet else self.message


@dataclass
class PastLearner:
    """An official on a past class's roster with a status per session (None: no record)."""

    row: int
    person: Person
    statuses: list[str | None]

    @property
    def attended_sessions(self) -> int:
        """How many sessions the official was present or late at."""
        return sum(1 for s in self.statuses if s in ATTENDED)


@dataclass
class PastClass:
    """A class from a row of `Lop`, with its learners from `HocVien`."""

    row: int
    code: str
    title: str
    format: str
    place: str
    trainers: str
    sessions: list[tuple[datetime, datetime]]
    min_percent: int
    source_document: str
    description: str
    learners: list[PastLearner] = field(default_factory=list)

    @property
    def attended(self) -> int:
        """How many learners reach the class's share of sessions."""
        needed = outcome.sessions_needed(self.min_percent, len(self.sessions))
        return sum(1 for ln in self.learners if needed and ln.attended_sessions >= needed)

    @property
    def first_day(self) -> date:
        """The local day of the first session."""
        return self.sessions[0][0].astimezone(LOCAL_TZ).date()


@dataclass
class PastPlan:
    """What importing a workbook would create, or every reason it cannot."""

    filename: str
    sha256: str
    classes: list[PastClass] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)
    class_sheet: str = CLASS_SHEET
    """The name the workbook gives its `Lop` sheet (accents and case as written)."""

    @property
    def learner_count(self) -> int:
        """How many roster rows the classes have together."""
        return sum(len(c.learners) for c in self.classes)

    @property
    def ok(self) -> bool:
        """Whether the workbook can be imported."""
        return not self.problems and bool(self.classes)

    def fail(self, message: str, sheet: str = "", cell: str = "") -> None:
        """Record a problem."""
        self.problems.append(SheetProblem(message, sheet, cell))


def _table(plan: PastPlan, sheet: str, rows: list[SheetRow], columns, required, dynamic=None):
    try:
        table = build_table(rows, is_header=lambda cells: True,
                            max_rows=current_app.config["IMPORT_MAX_ROWS"])
    except FileRejected as exc:
        plan.fail(str(exc), sheet)
        return None, None
    cmap, problems = map_columns(table.headers, columns, ignored=("stt", "tt"), dynamic=dynamic)
    for index, message in problems:
        plan.fail(message, sheet, cell_name(index, table.header_row))
    for name in required:
        if name not in cmap.positions:
            label = next(c.label for c in columns if c.key == name)
            plan.fail(f"Thiếu cột bắt buộc “{label}” ở dòng tiêu đề (dòng {table.header_row}).",
                      sheet)
    return (None, None) if problems or any(n not in cmap.positions for n in required) else (
        table, cmap)


class _Cells:
    """A row's cells by column key, reporting each problem at its cell."""

    def __init__(self, plan, sheet, row: SheetRow, cmap, columns) -> None:
        self.plan, self.sheet, self.row, self.cmap = plan, sheet, row, cmap
        self.limits = {c.key: c.max_length for c in columns}
        self.failed = False
        self.refused: set[str] = set()
        self._read: dict[str, str] = {}

    def get(self, name: str) -> str:
        """The cell of a column ('' when absent or refused; a refusal is reported once)."""
        if name not in self._read:
            self._read[name] = self._check(name)
        return self._read[name]

    def _check(self, name: str) -> str:
        index = self.cmap.positions.get(name)
        if index is None:
            return ""
        value = self.row.cell(index)
        if index in self.row.problems:
            self.fail(name, self.row.problems[index])
            return ""
        limit = self.limits.get(name, 40)
        if len(value) > limit:
            self.fail(name, f"Quá dài ({len(value)} ký tự); tối đa {limit}.")
            return ""
        return value

    def require(self, name: str, message: str) -> str:
        """The cell of a required column; an empty one is reported (a refused one already is)."""
        value = self.get(name)
        if not value and name not in self.refused:
            self.fail(name, message)
        return value

    def fail(self, name: str, message: str) -> None:
        index = self.cmap.positions.get(name, 0)
        self.plan.fail(message, self.sheet, cell_name(index, self.row.number))
        self.failed = True
        self.refused.add(name)


def _read_classes(plan: PastPlan, sheet: str, rows: list[SheetRow]) -> dict[str, PastClass] | None:
    table, cmap = _table(plan, sheet, rows, CLASS_COLUMNS, CLASS_REQUIRED)
    if table is None:
        return None
    classes: dict[str, PastClass] = {}
    first_row: dict[str, int] = {}
    for row in table.rows:
        cells = _Cells(plan, sheet, row, cmap, CLASS_COLUMNS)
        code = cells.require("code", "Chưa nhập mã lớp (cột bắt buộc).")
        title = cells.require("title", "Chưa nhập tên lớp (cột bắt buộc).")
        if code and code.lower() in first_row:
            cells.fail("code", f"Mã lớp “{code}” trùng với dòng {first_row[code.lower()]}.")
        elif code:
            first_row[code.lower()] = row.number
        fmt = FORMAT_KEYS.get(key(cells.get("format")) or key(FORMATS[IN_PERSON]))
        if fmt is None:
            cells.fail("format", f"Hình thức “{cells.get('format')}” không hợp lệ. Dùng: "
                                 f"{', '.join(FORMATS.values())}.")
        sessions = _sessions(cells)
        share = _share(cells)
        document = cells.require("source_document",
                                 "Chưa nhập số văn bản làm căn cứ (cột bắt buộc).")
        if cells.failed:
            continue
        classes[code.lower()] = PastClass(
            row.number, code, title, fmt, cells.get("place"), cells.get("trainers"), sessions,
            share, document, cells.get("description"))
    return classes


def _sessions(cells: _Cells) -> list[tuple[datetime, datetime]]:
    raw = cells.require("sessions", "Chưa nhập ngày các buổi học (cột bắt buộc), ví dụ "
                                    "“05/03/2024; 12/03/2024 13:30-17:00”.")
    parts = [p.strip() for p in re.split(r"[;,\n]", raw) if p.strip()]
    if not parts:
        if raw and "sessions" not in cells.refused:
            cells.fail("sessions", "Chưa nhập ngày các buổi học (cột bắt buộc).")
        return []
    if len(parts) > MAX_SESSIONS:
        cells.fail("sessions", f"Quá nhiều buổi học ({len(parts)}); tối đa {MAX_SESSIONS}.")
        return []
    found: list[tuple[datetime, datetime]] = []
    now = utcnow()
    for part in parts:
        match = _SESSION.match(part)
        day = parse_day(match.group("day")) if match else None
        if day is None:
            cells.fail("sessions", f"Buổi học “{part[:40]}” không đọc được: ghi ngày dạng "
                                   "dd/mm/yyyy, có thể kèm giờ như “08:00-11:30”.")
            return []
        hours = DEFAULT_HOURS
        if match.group("sh"):
            try:
                hours = (time(int(match.group("sh")), int(match.group("sm") or 0)),
                         time(int(match.group("eh")), int(match.group("em") or 0)))
            except ValueError:
                cells.fail("sessions", f"Giờ không hợp lệ ở buổi “{part[:40]}”.")
                return []
        starts, ends = (datetime.combine(day, h, LOCAL_TZ).astimezone(UTC) for h in hours)
        if ends <= starts:
            cells.fail("sessions", f"Buổi “{part[:40]}”: giờ kết thúc phải sau giờ bắt đầu.")
            return []
        if ends > now:
            cells.fail("sessions", f"Buổi “{part[:40]}” chưa diễn ra xong: hồ sơ lớp cũ chỉ "
                                   "gồm các buổi đã diễn ra.")
            return []
        if any(s == starts for s, _ in found):
            cells.fail("sessions", f"Buổi “{part[:40]}” được ghi hai lần.")
            return []
        found.append((starts, ends))
    return sorted(found)


def _share(cells: _Cells) -> int:
    raw = cells.get("min_percent").replace("%", "").replace(",", ".").strip()
    if not raw:
        return 100
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value.is_integer() or not 1 <= value <= 100:
        cells.fail("min_percent", f"Tỉ lệ tối thiểu “{cells.get('min_percent')}” không hợp lệ: "
                                  "một số nguyên từ 1 đến 100 (phần trăm số buổi phải dự).")
        return 100
    return int(value)


def _session_column(header: str) -> Column | None:
    match = _SESSION_COLUMN.match(key(header))
    if match and 1 <= int(match.group(1)) <= MAX_SESSIONS:
        return Column(f"s{int(match.group(1))}", f"Buổi {int(match.group(1))}", 40)
    return None


def _read_learners(plan: PastPlan, classes: dict[str, PastClass], sheet: str,
                   rows: list[SheetRow]) -> None:
    table, cmap = _table(plan, sheet, rows, LEARNER_COLUMNS, ("code",), _session_column)
    if table is None:
        return
    have = cmap.positions
    if "username" not in have and not ("full_name" in have and "unit" in have):
        plan.fail("Thiếu cột để nhận ra từng người: cần “Tên đăng nhập”, hoặc cả “Họ và tên” "
                  "và “Đơn vị”.", sheet)
    per_session = sorted(int(k[1:]) for k in have if k.startswith("s"))
    if "attended" not in have and not per_session:
        plan.fail("Thiếu cột “Tham dự” (Có/Không) hoặc các cột “Buổi 1”, “Buổi 2”… ghi trạng "
                  "thái từng buổi.", sheet)
    if plan.problems:
        return
    directory = Directory(utcnow().astimezone(LOCAL_TZ).date())
    directory.load((row.cell(have.get("username")) for row in table.rows),
                   (row.cell(have.get("unit")) for row in table.rows))
    seen: dict[tuple[str, int], int] = {}
    for row in table.rows:
        cells = _Cells(plan, sheet, row, cmap, (*LEARNER_COLUMNS,
                                                *(Column(f"s{n}", "", 40) for n in per_session)))
        code = cells.get("code")
        klass = classes.get(code.lower()) if code else None
        if klass is None and not cells.failed:
            cells.fail("code", f"Mã lớp “{code}” không có ở trang “{CLASS_SHEET}”." if code
                       else "Chưa nhập mã lớp (cột bắt buộc).")
        person = _person(cells, directory, klass)
        statuses = _statuses(cells, klass, per_session) if klass else None
        if cells.failed or klass is None or person is None or statuses is None:
            continue
        other = seen.get((klass.code.lower(), person.id))
        if other is not None:
            cells.fail("username" if "username" in have else "full_name",
                       f"{person.label} đã có ở dòng {other} cho cùng lớp {klass.code}.")
            continue
        seen[(klass.code.lower(), person.id)] = row.number
        klass.learners.append(PastLearner(row.number, person, statuses))


def _person(cells: _Cells, directory: Directory, klass: PastClass | None) -> Person | None:
    username, full_name, unit = cells.get("username"), cells.get("full_name"), cells.get("unit")
    if cells.failed:
        return None
    if klass is not None:
        directory.on = klass.first_day
    if username:
        found, column = directory.by_login(username, full_name), "username"
    elif full_name and unit:
        found, column = directory.by_name(full_name, unit), "full_name"
    else:
        cells.fail("full_name" if full_name or not unit else "unit",
                   "Cần tên đăng nhập, hoặc cả họ và tên lẫn đơn vị, để biết là ai.")
        return None
    if found.person is None:
        cells.fail(column, found.problem or "")
    return found.person


def _statuses(cells: _Cells, klass: PastClass, per_session: list[int]) -> list[str | None] | None:
    count = len(klass.sessions)
    attended = cells.get("attended")
    given = {n: cells.get(f"s{n}") for n in per_session}
    given = {n: v for n, v in given.items() if v}
    if attended and given:
        cells.fail("attended", "Ghi hoặc “Tham dự” hoặc trạng thái từng buổi, không ghi cả hai.")
        return None
    if attended:
        if key(attended) in YES:
            return [PRESENT] * count
        if key(attended) in NO:
            return [ABSENT] * count
        cells.fail("attended", f"“{attended[:40]}” không hợp lệ: ghi Có hoặc Không.")
        return None
    if not given:
        cells.fail("attended" if "attended" in cells.cmap.positions else f"s{per_session[0]}",
                   "Chưa ghi tham dự: ghi “Tham dự” (Có/Không) hoặc trạng thái từng buổi.")
        return None
    statuses: list[str | None] = [None] * count
    for n, value in sorted(given.items()):
        if n > count:
            cells.fail(f"s{n}", f"Lớp {klass.code} chỉ có {count} buổi, không có buổi {n}.")
            return None
        status = parse_status(value)
        if status is None:
            cells.fail(f"s{n}", f"Trạng thái “{value[:40]}” không hợp lệ. Dùng: {STATUS_HINT}.")
            return None
        statuses[n - 1] = status
    return statuses


def read(plan: PastPlan, class_sheet: tuple[str, list[SheetRow]],
         learner_sheet: tuple[str, list[SheetRow]]) -> None:
    """Plan the classes of `Lop` with their learners from `HocVien` (sheet name, rows each)."""
    plan.class_sheet = class_sheet[0]
    classes = _read_classes(plan, *class_sheet)
    if classes is not None:
        _read_learners(plan, classes, *learner_sheet)
        plan.classes = list(classes.values())
