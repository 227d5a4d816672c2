"""The attempt list as files: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

Every cell a person typed is text in the file, never a formula: a name such as `=HYPERLINK(…)`
is written as the characters it is (XLSX) or behind an apostrophe (CSV).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ...numbers import vi_number
from ...sheets import plain
from ...timefmt import as_local, vn_datetime
from .listing import AttemptRow

HEADERS = (
    "Họ và tên",
    "Tên đăng nhập",
    "Đơn vị",
    "Lượt",
    "Bắt đầu",
    "Nộp",
    "Điểm",
    "Điểm tối đa",
    "Kết quả",
    "Trạng thái",
)


def _score(row: AttemptRow) -> float | None:
    # Two decimals, as the pages show it; the database keeps the exact value.
    score = row.attempt.score
    return None if score is None or row.state != "submitted" else round(score, 2)


def _values(row: AttemptRow) -> list:
    attempt = row.attempt
    return [
        row.user.full_name,
        row.user.username,
        row.unit_name or "",
        attempt.number,
        attempt.started_at,
        attempt.submitted_at,
        _score(row),
        round(attempt.max_score, 2),
        row.passed_label,
        row.state_label,
    ]


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return vn_datetime(value)
    if isinstance(value, float):
        return vi_number(value)
    return str(plain(str(value)))


def to_csv(rows: list[AttemptRow]) -> bytes:
    """The rows as CSV: a BOM, a header line, decimal commas and Vietnamese dates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_text(value) for value in _values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(sheet, value) -> WriteOnlyCell | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=as_local(value).replace(tzinfo=None))
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, int | float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.##"
        return cell
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"  # text, even when it starts with "=" or reads like "#N/A"
    return cell


def to_xlsx(rows: list[AttemptRow]) -> bytes:
    """The rows as a one-sheet workbook written in openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Lượt làm bài")
    sheet.append([_cell(sheet, header) for header in HEADERS])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in _values(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
