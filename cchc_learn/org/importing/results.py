"""What an import found and did: problems, planned rows, the plan and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = {"units": "Đơn vị", "accounts": "Tài khoản cán bộ"}

CREATE = "create"
UNCHANGED = "unchanged"
ERROR = "error"
STATUS_LABELS = {CREATE: "Tạo mới", UNCHANGED: "Không đổi", ERROR: "Lỗi"}


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong with a spreadsheet: a cell (row and column), or the whole file (row None).

    Not a content-file `content.problems.Problem` (path, line): the preview shows the column.
    """

    message: str
    row: int | None = None
    column: str | None = None

    def located(self, filename: str) -> str:
        """Render as `FILE:ROW: column: message` (or `FILE: message` for the whole file)."""
        if self.row is None:
            return f"{filename}: {self.message}"
        return f"{filename}:{self.row}: {self.column or '—'}: {self.message}"


@dataclass
class PlannedRow:
    """One data row: its cleaned cells, the parsed record, what will happen, what is wrong."""

    row: int
    cells: dict[str, str]
    record: Any = None
    status: str = CREATE
    problems: list[CellProblem] = field(default_factory=list)
    note: str = ""

    def fail(self, column: str | None, message: str) -> None:
        """Attach a problem to this row."""
        self.problems.append(CellProblem(message, self.row, column))
        self.status = ERROR

    def match_existing(self, differences: list[str], column: str | None, existing: str) -> None:
        """For a row naming what exists already: unchanged when it says the same, else fail."""
        if differences:
            self.fail(
                column, f"{existing} đã tồn tại với thông tin khác: {', '.join(differences)}."
            )
        else:
            self.status = UNCHANGED

    @property
    def status_label(self) -> str:
        """The status in Vietnamese."""
        return STATUS_LABELS[self.status]


@dataclass
class ImportPlan:
    """What an import would do, computed without writing anything."""

    kind: str
    filename: str
    sha256: str
    columns: list[tuple[str, str]] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    file_problems: list[CellProblem] = field(default_factory=list)

    @property
    def problems(self) -> list[CellProblem]:
        """File-level problems first, then every row problem in row order."""
        found = list(self.file_problems)
        for row in self.rows:
            found.extend(row.problems)
        return found

    @property
    def ok(self) -> bool:
        """Tell whether the file can be imported as it is."""
        return not self.file_problems and all(r.status != ERROR for r in self.rows)

    @property
    def to_create(self) -> list[PlannedRow]:
        """Rows that would be created."""
        return [r for r in self.rows if r.status == CREATE]

    @property
    def counts(self) -> dict[str, int]:
        """How many rows have each status."""
        counts = {CREATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def fail_file(self, message: str) -> None:
        """Record a problem with the whole file."""
        self.file_problems.append(CellProblem(message))


@dataclass
class ImportResult:
    """What a committed import did; passwords are shown once and never stored."""

    kind: str
    filename: str
    created: list[str] = field(default_factory=list)
    unchanged: int = 0
    passwords: list[tuple[str, str]] = field(default_factory=list)


class FileRejected(Exception):
    """The whole file is unusable; the message says why, in Vietnamese."""


class ImportRejected(Exception):
    """The file has problems (listed in plan); nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(f"{len(plan.problems)} problem(s) in {plan.filename}")
        self.plan = plan


class BatchMissing(Exception):
    """No pending upload with that token for this account (expired or never made)."""


class BatchAlreadyCommitted(Exception):
    """The upload was imported already; a second confirmation does nothing."""

    def __init__(self, batch: Any) -> None:
        super().__init__(f"batch {batch.id} already committed")
        self.batch = batch
