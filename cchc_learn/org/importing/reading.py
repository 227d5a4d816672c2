"""Turn an uploaded CSV or XLSX file into a header and clean rows, or refuse the whole file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from ...numbers import vi_count
from . import workbook
from .cells import clean
from .results import FileRejected

NOT_UTF8 = (
    "Tệp CSV không ở dạng mã hoá UTF-8 (có thể là Windows-1258, TCVN3, UTF-16 hoặc Latin-1), "
    "nên chữ tiếng Việt sẽ bị sai. Trong Excel chọn Tệp → Lưu thành (File → Save As), "
    "ở ô “Kiểu tệp” chọn “CSV UTF-8 (Phân cách bằng dấu phẩy) (*.csv)”, lưu rồi tải tệp đó lên; "
    "hoặc tải lên thẳng tệp .xlsx."
)
OLD_EXCEL = (
    "Tệp là bảng tính Excel cũ (.xls) hoặc tệp Excel có đặt mật khẩu, không đọc được. "
    "Hãy mở trong Excel, bỏ mật khẩu nếu có, rồi lưu thành .xlsx hoặc “CSV UTF-8”."
)
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class SheetRow:
    """A data row as the user sees it: its spreadsheet row number and cleaned cells."""

    number: int
    cells: list[str]
    problems: dict[int, str] = field(default_factory=dict)

    def cell(self, index: int | None) -> str:
        """The cell at a column index ('' when the row is shorter or the column absent)."""
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    """A header row and the non-blank data rows below it."""

    headers: list[str]
    rows: list[SheetRow]

    def used_columns(self) -> set[int]:
        """Indexes of columns that hold data in at least one row."""
        return {i for row in self.rows for i, value in enumerate(row.cells) if value}


RawRow = tuple[int, list[str], dict[int, str]]


def read_table(filename: str, data: bytes, *, max_bytes: int, max_rows: int) -> Table:
    """Read a CSV or XLSX file (chosen by content, then by name) into a Table."""
    if len(data) > max_bytes:
        raise FileRejected(too_large(len(data), max_bytes))
    if not data.strip():
        raise FileRejected("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.")
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        raise FileRejected(OLD_EXCEL)
    if data.startswith(ZIP_MAGIC) or suffix in XLSX_SUFFIXES:
        rows = workbook.read_rows(data, max_rows=max_rows)
    else:
        rows = _csv_rows(data)
    return _build_table(rows, max_rows)


def too_large(size: int, max_bytes: int) -> str:
    """Say that a file of size bytes is over the import limit."""
    return (
        f"Tệp quá lớn ({_megabytes(size)}); tối đa {_megabytes(max_bytes)}. "
        "Hãy chia thành nhiều tệp nhỏ hơn."
    )


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _decode(data: bytes) -> str:
    # UTF-16 text of plain ASCII is valid UTF-8 byte for byte, apart from its NUL bytes.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise FileRejected(NOT_UTF8)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(NOT_UTF8) from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {",": 0, ";": 0}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return ";" if counts[";"] > counts[","] else ","


def _csv_rows(data: bytes) -> Iterable[RawRow]:
    text = _decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    if "\t" in first_line and "," not in first_line and ";" not in first_line:
        raise FileRejected(
            "Tệp dùng dấu tab để phân cách cột. Hãy lưu thành “CSV UTF-8” "
            "(phân cách bằng dấu phẩy hoặc dấu chấm phẩy)."
        )
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line), strict=True
    )
    number = 0
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileRejected(
                f'Tệp CSV sai định dạng ở dòng {number + 1}: dấu ngoặc kép (") không khớp '
                "hoặc một ô quá dài. Hãy mở tệp bằng Excel và lưu lại thành “CSV UTF-8”."
            ) from None
        number += 1
        cells: list[str] = []
        problems: dict[int, str] = {}
        for index, value in enumerate(raw):
            text_value, problem = clean(value)
            cells.append(text_value)
            if problem:
                problems[index] = problem
        yield number, cells, problems


def _build_table(rows: Iterable[RawRow], max_rows: int) -> Table:
    header: list[str] | None = None
    body: list[SheetRow] = []
    for number, cells, problems in rows:
        while cells and not cells[-1] and (len(cells) - 1) not in problems:
            cells.pop()
        if not cells and not problems:
            continue
        if header is None:
            header = cells
            continue
        if len(body) >= max_rows:
            raise FileRejected(
                f"Tệp có hơn {vi_count(max_rows)} dòng dữ liệu (giới hạn mỗi lần nhập). "
                "Hãy chia thành nhiều tệp."
            )
        body.append(SheetRow(number, cells, problems))
    if header is None:
        raise FileRejected("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.")
    if not body:
        raise FileRejected("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    return Table(header, body)
