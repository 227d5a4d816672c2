"""Read the files the class imports take: CSV (UTF-8 or Windows-1258) and XLSX sheets.

A cell is always read as text: a formula in an XLSX cell arrives as the formula's own text and
a CSV cell starting with `= + - @` stays as typed; nothing is ever evaluated. Cells are
NFC-normalised and trimmed; control or invisible characters are refused cell by cell, and a
NUL byte refuses the whole CSV file (PostgreSQL cannot store it in text anyway).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter

from ..numbers import vi_count
from ..org.importing import workbook
from ..org.importing.reading import OLE_MAGIC, ZIP_MAGIC, SheetRow, too_large
from ..org.importing.results import FileRejected
from ..textnorm import fold

__all__ = ["FileRejected", "SheetRow"]

MAX_CELL_CHARS = 1000
HEADER_SEARCH_ROWS = 10
OLD_EXCEL = (
    "Tệp là bảng tính Excel cũ (.xls) hoặc tệp Excel có đặt mật khẩu, không đọc được. "
    "Hãy mở trong Excel, bỏ mật khẩu nếu có, rồi lưu thành .xlsx."
)
UTF16 = (
    "Tệp CSV ở dạng mã hoá UTF-16 (Excel gọi là “Unicode Text”), không đọc được. Hãy lưu thành "
    "“CSV UTF-8 (Phân cách bằng dấu phẩy) (*.csv)” hoặc tải lên thẳng tệp .xlsx."
)
UTF8, CP1258 = "UTF-8", "Windows-1258"
_KEEP_INSIDE = "\n"


@dataclass
class Table:
    """The header row (its number and cells) and the non-blank rows below it."""

    header_row: int
    headers: list[str]
    rows: list[SheetRow]
    encoding: str = ""


def column_letter(index: int) -> str:
    """A 0-based column index as a spreadsheet letter (0 → A)."""
    return get_column_letter(index + 1)


def cell_name(index: int, row: int) -> str:
    """A cell address such as `B7`."""
    return f"{column_letter(index)}{row}"


def key(text: str) -> str:
    """A header or value reduced to ASCII letters and digits (case, spaces, accents ignored)."""
    return "".join(ch for ch in fold(text or "") if ch.isascii() and ch.isalnum())


def clean_cell(raw: str) -> tuple[str, str | None]:
    """The cell NFC-normalised and trimmed, and why it is refused (or None).

    Text that a spreadsheet would run as a formula is kept as text: it is only ever compared
    with names and codes or stored as typed, and every export writes it back as plain text.
    """
    value = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\t", " ")).strip()
    if not value:
        return "", None
    for ch in value:
        if ch not in _KEEP_INSIDE and unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs"):
            return value.replace("\x00", ""), (
                f"Ô chứa ký tự điều khiển hoặc ký tự ẩn (U+{ord(ch):04X}); "
                "hãy xoá ký tự đó hoặc gõ lại ô."
            )
    if len(value) > MAX_CELL_CHARS:
        return value[:MAX_CELL_CHARS], (
            f"Ô quá dài ({vi_count(len(value))} ký tự; tối đa {vi_count(MAX_CELL_CHARS)})."
        )
    return value, None


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse a file over the import cap before anything reads it."""
    if len(data) > max_bytes:
        raise FileRejected(too_large(len(data), max_bytes))
    if not data.strip():
        raise FileRejected("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.")


def is_xlsx(filename: str, data: bytes) -> bool:
    """Whether the file is a workbook (by content, then by name); refuse an old .xls."""
    suffix = PurePath(filename).suffix.lower()
    if data.startswith(OLE_MAGIC) or suffix == ".xls":
        raise FileRejected(OLD_EXCEL)
    return data.startswith(ZIP_MAGIC) or suffix in (".xlsx", ".xlsm")


# -- CSV ----------------------------------------------------------------------------------------


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: UTF-8 (BOM or not) or Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(UTF16)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileRejected(
            f"Tệp CSV chứa ký tự NUL (byte 0) ở dòng {vi_count(line)}: đây không phải tệp văn "
            "bản CSV (có thể là tệp UTF-16 hoặc tệp nhị phân đổi đuôi). Hãy lưu lại thành "
            "“CSV UTF-8” hoặc tải lên tệp .xlsx."
        )
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1258 writes most tone marks as separate combining characters: NFC joins them.
        return unicodedata.normalize("NFC", data.decode("cp1258")), CP1258
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRejected(
            f"Không đọc được chữ ở dòng {vi_count(line)} (byte 0x{data[exc.start]:02X}): tệp "
            "không ở mã hoá UTF-8 hay Windows-1258. Hãy lưu thành “CSV UTF-8” hoặc .xlsx."
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return max(counts, key=lambda d: (counts[d], d == ","))


def csv_rows(text: str) -> Iterator[SheetRow]:
    """Every line of CSV text as a row of cleaned cells (blank lines included)."""
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line),
                        strict=True)
    number = 0
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileRejected(
                f'Tệp CSV sai định dạng ở dòng {vi_count(number + 1)}: dấu ngoặc kép (") không '
                "khớp hoặc một ô quá dài. Hãy mở tệp bằng Excel và lưu lại thành “CSV UTF-8”."
            ) from None
        number += 1  # a record is one spreadsheet row, even with line breaks inside a cell
        yield _row(number, raw)


def _row(number: int, raw: Iterable[str]) -> SheetRow:
    row = SheetRow(number, [])
    for index, value in enumerate(raw):
        text, problem = clean_cell(value)
        row.cells.append(text)
        if problem:
            row.problems[index] = problem
    return row


# -- XLSX ---------------------------------------------------------------------------------------

BROKEN = (
    "Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx). "
    "Hãy mở bằng Excel và lưu lại."
)


def _refusal(exc: BaseException) -> FileRejected:
    if isinstance(exc, FileRejected):
        return exc
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return FileRejected(workbook.UNSAFE_XML)
        cause = cause.__cause__ or cause.__context__
    return FileRejected(BROKEN)


class Workbook:
    """An XLSX file opened safely (archive checked first, XML through defusedxml)."""

    def __init__(self, data: bytes) -> None:
        workbook.check_archive(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.book = openpyxl.load_workbook(
                    io.BytesIO(data), read_only=True, data_only=False, keep_links=False
                )
        except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError…)
            raise _refusal(exc) from None
        if not self.book.worksheets:
            self.close()
            raise FileRejected("Tệp Excel không có trang tính nào.")

    @property
    def names(self) -> list[str]:
        """The sheets' names, in order."""
        return list(self.book.sheetnames)

    def find(self, *names: str) -> str | None:
        """The name of the first sheet whose name matches one of names (accents, case ignored)."""
        wanted = {key(n) for n in names}
        return next((n for n in self.book.sheetnames if key(n) in wanted), None)

    def rows(self, name: str | None, max_rows: int) -> list[SheetRow]:
        """The rows of a sheet (the first one when name is None), read as text."""
        sheet = self.book[name] if name is not None else self.book.worksheets[0]
        found: list[SheetRow] = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sheet.reset_dimensions()  # the stored dimension may be stale or a lie
                filled = 0
                for number, cells in enumerate(sheet.iter_rows(), start=1):
                    row = SheetRow(number, [])
                    for index, cell in enumerate(cells):
                        text, problem = _xlsx_text(cell)
                        row.cells.append(text)
                        if problem:
                            row.problems[index] = problem
                    if any(row.cells) or row.problems:
                        filled += 1
                        found.append(row)
                        if filled > max_rows + 1:
                            break  # the caller names the row cap
        except Exception as exc:
            raise _refusal(exc) from None
        return found

    def close(self) -> None:
        """Release the file."""
        self.book.close()


def _xlsx_text(cell) -> tuple[str, str | None]:
    value = getattr(cell, "value", None)
    kind = getattr(cell, "data_type", "s")
    if value is None:
        return "", None
    if kind == "f":
        # The formula's own text, never its result: nothing in a file is evaluated.
        shown = value if isinstance(value, str) else str(getattr(value, "text", "") or "")
        return clean_cell(shown if shown.startswith("=") else "=" + shown)
    if kind == "e":
        return str(value), f"Ô chứa giá trị lỗi của Excel ({value}); hãy nhập giá trị đúng."
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), None
        return value.strftime("%Y-%m-%d %H:%M"), None
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, time):
        return value.strftime("%H:%M"), None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int | float):
        if "%" in (getattr(cell, "number_format", "") or ""):
            value = round(value * 100, 4)
            return f"{value:g}%", None
        if isinstance(value, float) and value.is_integer():
            return str(int(value)), None
        return str(value), None
    return clean_cell(str(value))


# -- tables -------------------------------------------------------------------------------------


def build_table(rows: Iterable[SheetRow], *, is_header: Callable[[list[str]], bool],
                max_rows: int, encoding: str = "") -> Table:
    """Split rows into a header and data rows.

    The header is the first non-blank row among the first few that is_header accepts, so a
    title above it (“DANH SÁCH KÝ TÊN …”) is skipped; with none, the first non-blank row.
    """
    filled = [r for r in rows if _trim(r)]
    if not filled:
        raise FileRejected("Tệp rỗng: không có dòng tiêu đề và không có dữ liệu.")
    at = next((i for i, r in enumerate(filled[:HEADER_SEARCH_ROWS]) if is_header(r.cells)), 0)
    header = filled[at]
    body = filled[at + 1:]
    if len(body) > max_rows:
        raise FileRejected(
            f"Tệp có hơn {vi_count(max_rows)} dòng dữ liệu (giới hạn mỗi lần nhập). "
            "Hãy chia thành nhiều tệp."
        )
    if not body:
        raise FileRejected(
            f"Chỉ có dòng tiêu đề (dòng {vi_count(header.number)}), không có dòng dữ liệu nào."
        )
    return Table(header.number, header.cells, body, encoding)


def _trim(row: SheetRow) -> bool:
    while row.cells and not row.cells[-1] and (len(row.cells) - 1) not in row.problems:
        row.cells.pop()
    return bool(row.cells or row.problems)


def read_table(filename: str, data: bytes, *, max_bytes: int, max_rows: int,
               is_header: Callable[[list[str]], bool]) -> Table:
    """Read a CSV file or the first sheet of an XLSX file into a Table, or refuse the file."""
    check_size(data, max_bytes)
    if is_xlsx(filename, data):
        book = Workbook(data)
        try:
            rows = book.rows(None, max_rows)
        finally:
            book.close()
        return build_table(rows, is_header=is_header, max_rows=max_rows, encoding="XLSX")
    text, encoding = decode_csv(data)
    return build_table(csv_rows(text), is_header=is_header, max_rows=max_rows,
                       encoding=encoding)
