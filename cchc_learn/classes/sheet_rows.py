"""What a sign-in sheet or roster file says, row by row, and what importing it would do."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..org.importing import CellProblem
from .import_columns import IGNORED_HEADERS, Column
from .import_files import key
from .import_people import AMBIGUOUS, INVALID, UNKNOWN, Person
from .models import ABSENT, EXCUSED, LATE, PRESENT, STATUSES

SIGN_IN, ROSTER = "sheet", "roster"
KIND_LABELS = {SIGN_IN: "Danh sách ký của buổi học", ROSTER: "Danh sách học viên của lớp"}

USERNAME = Column("username", "Tên đăng nhập", 64,
                  ("user", "login", "tài khoản", "tên tài khoản"))
FULL_NAME = Column("full_name", "Họ và tên", 200,
                   ("họ tên", "name", "tên cán bộ", "họ và tên cán bộ", "họ tên học viên"))
UNIT = Column("unit", "Đơn vị", 200,
              ("unit_code", "mã đơn vị", "tên đơn vị", "cơ quan", "cơ quan đơn vị",
               "đơn vị công tác", "nơi công tác"))
STATUS = Column("status", "Trạng thái", 40, ("điểm danh", "tình trạng", "có mặt"))
NOTE = Column("note", "Ghi chú", 300, ())
COLUMNS = {SIGN_IN: (USERNAME, FULL_NAME, UNIT, STATUS, NOTE), ROSTER: (USERNAME, FULL_NAME, UNIT)}
IGNORED = {SIGN_IN: IGNORED_HEADERS, ROSTER: (*IGNORED_HEADERS, "ghi chú", "note")}

STATUS_WORDS = {
    PRESENT: ("có mặt", "có", "x", "present", "1"),
    LATE: ("đến muộn", "muộn", "đi muộn", "đến trễ", "đi trễ", "trễ", "late"),
    ABSENT: ("vắng", "vắng mặt", "không", "absent", "0"),
    EXCUSED: ("vắng có phép", "có phép", "phép", "vắng có lý do", "excused"),
}
STATUS_BY_KEY = {key(word): status for status, words in STATUS_WORDS.items() for word in words}
STATUS_HINT = ", ".join(STATUSES.values())

NEW, UPDATE, SAME, ADD, ERROR = "new", "update", "same", "add", "error"
ACTION_LABELS = {NEW: "Ghi mới", UPDATE: "Cập nhật", SAME: "Không đổi",
                 ADD: "Thêm vào danh sách lớp", ERROR: "Lỗi"}
DUPLICATE = "duplicate"
PROBLEM_KINDS = {UNKNOWN: "Không tìm thấy người", AMBIGUOUS: "Không rõ là ai (trùng họ tên)",
                 DUPLICATE: "Một người ở nhiều dòng", INVALID: "Dữ liệu sai"}


class ClassImportError(Exception):
    """The import cannot go on; the message says why, in Vietnamese. Nothing was written."""


class StalePreview(ClassImportError):
    """The roster, the attendance or the file changed since the preview; here is a new one."""

    def __init__(self, message: str, plan: SheetPlan) -> None:
        super().__init__(message)
        self.plan = plan


def parse_status(text: str) -> str | None:
    """An attendance status from its Vietnamese (or English) wording; None when unknown."""
    return STATUS_BY_KEY.get(key(text))


@dataclass
class Line:
    """One data row: its cells, who it names, the status it gives and what will happen."""

    row: int
    cells: dict[str, str]
    person: Person | None = None
    status: str = PRESENT
    note: str = ""
    action: str = NEW
    on_roster: bool = True
    previous: str | None = None
    match_note: str = ""
    problems: list[CellProblem] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)

    def fail(self, column: str | None, message: str, kind: str = INVALID) -> None:
        """Attach a problem to this row."""
        self.problems.append(CellProblem(message, self.row, column))
        self.kinds.add(kind)
        self.action = ERROR

    @property
    def action_label(self) -> str:
        """What will happen, in Vietnamese."""
        return ACTION_LABELS[self.action]

    @property
    def status_label(self) -> str:
        """The status the row records, in Vietnamese."""
        return STATUSES.get(self.status, "")

    @property
    def previous_label(self) -> str:
        """The status recorded before, in Vietnamese."""
        return STATUSES.get(self.previous or "", "")


@dataclass
class SheetPlan:
    """What importing a file would do, computed without writing anything."""

    kind: str
    filename: str
    sha256: str
    class_id: int
    session_id: int | None = None
    encoding: str = ""
    columns: list[tuple[str, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    file_problems: list[CellProblem] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def problems(self) -> list[CellProblem]:
        """File problems first, then every row's, in row order."""
        return [*self.file_problems, *(p for line in self.lines for p in line.problems)]

    @property
    def row_problems(self) -> list[CellProblem]:
        """The data rows' problems, in row order."""
        return [p for line in self.lines for p in line.problems]

    @property
    def ok(self) -> bool:
        """Whether the file can be imported as it is."""
        return not self.file_problems and all(line.action != ERROR for line in self.lines)

    @property
    def counts(self) -> dict[str, int]:
        """How many rows will have each action."""
        counts = dict.fromkeys(ACTION_LABELS, 0)
        for line in self.lines:
            counts[line.action] += 1
        return counts

    def rows_with(self, kind: str) -> list[int]:
        """The row numbers that have a problem of this kind."""
        return [line.row for line in self.lines if kind in line.kinds]

    @property
    def not_on_roster(self) -> list[Line]:
        """Sign-in rows naming someone who is not on the class's roster."""
        return [ln for ln in self.lines if ln.action != ERROR and not ln.on_roster]

    @property
    def has_work(self) -> bool:
        """Whether confirming would change anything."""
        return any(line.action not in (SAME, ERROR) for line in self.lines)

    def fail_file(self, message: str, row: int | None = None, column: str | None = None) -> None:
        """Record a problem with the whole file (or its header row)."""
        self.file_problems.append(CellProblem(message, row, column))


@dataclass
class SheetResult:
    """What a confirmed import did."""

    kind: str
    filename: str
    written: int = 0
    updated: int = 0
    unchanged: int = 0
    added: int = 0
    skipped: int = 0
    attended: int = 0
