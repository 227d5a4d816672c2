"""Read the first sheet of an XLSX file safely: archive checks first, then openpyxl read-only."""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

import openpyxl
from defusedxml import DefusedXmlException

from .cells import clean, formula_message
from .results import FileRejected

# An .xlsx is a zip of XML parts. These bounds are far above any real import file (50,000 rows
# of six columns is ~20 MB of XML) and far below what a zip bomb unpacks to; they are checked
# from the archive's directory, before a single byte is decompressed. Python's zipfile never
# inflates an entry past the size its directory declares, so a lying directory cannot slip by.
MAX_ENTRIES = 500
MAX_UNZIPPED_BYTES = 150 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_FROM = 1024 * 1024

NOT_XLSX = (
    "Tệp có đuôi .xlsx nhưng không phải là bảng tính Excel (.xlsx) thật. "
    "Hãy mở tệp bằng Excel và lưu lại thành “Sổ làm việc Excel (*.xlsx)” hoặc “CSV UTF-8”."
)
UNSAFE_ARCHIVE = (
    "Tệp Excel bị từ chối vì cấu trúc nén bất thường ({reason}); đây có thể là tệp độc hại "
    "(“bom nén”). Hãy mở tệp bằng Excel, sao chép dữ liệu sang một sổ làm việc mới rồi lưu lại."
)
UNSAFE_XML = "Tệp Excel chứa khai báo XML không an toàn (DTD hoặc thực thể) và bị từ chối."
BROKEN = (
    "Không đọc được tệp Excel (tệp hỏng hoặc không đúng định dạng .xlsx). "
    "Hãy mở bằng Excel và lưu lại, hoặc lưu thành “CSV UTF-8”."
)


def check_archive(data: bytes) -> None:
    """Refuse a file that is not a zip or whose directory announces a zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(NOT_XLSX) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise FileRejected(UNSAFE_ARCHIVE.format(reason=f"hơn {MAX_ENTRIES} thành phần"))
        total = 0
        squeezed = None
        for entry in entries:
            total += entry.file_size
            if entry.flag_bits & 0x1:
                raise FileRejected(UNSAFE_ARCHIVE.format(reason="có thành phần bị mã hoá"))
            if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise FileRejected(UNSAFE_ARCHIVE.format(reason="kiểu nén không dùng cho .xlsx"))
            ratio = entry.file_size / max(entry.compress_size, 1)
            if squeezed is None and entry.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO:
                squeezed = f"tỉ lệ nén {ratio:.0f}:1 ở {entry.filename[:80]}"
        if total > MAX_UNZIPPED_BYTES:
            reason = f"giải nén ra {total // (1024 * 1024)} MB"
            raise FileRejected(UNSAFE_ARCHIVE.format(reason=reason))
        if squeezed:
            raise FileRejected(UNSAFE_ARCHIVE.format(reason=squeezed))


def _text(value: object, data_type: str) -> tuple[str, str | None]:
    if value is None:
        return "", None
    if data_type == "f":
        shown = value if isinstance(value, str) else str(getattr(value, "text", "") or "=")
        return shown, formula_message(shown if shown.startswith("=") else "=" + shown)
    if data_type == "e":
        return str(value), f"Ô chứa giá trị lỗi của Excel ({value}); hãy nhập giá trị đúng."
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), None
        return value.isoformat(sep=" "), None
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    return clean(str(value))


def _unsafe_xml(exc: BaseException | None) -> bool:
    # openpyxl wraps parser errors in its own ValueError; the cause says what really happened.
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _refusal(exc: Exception) -> FileRejected:
    if isinstance(exc, FileRejected):
        return exc
    if _unsafe_xml(exc):
        return FileRejected(UNSAFE_XML)
    return FileRejected(BROKEN)


def read_rows(data: bytes, *, max_rows: int) -> Iterator[tuple[int, list[str], dict[int, str]]]:
    """Yield (row number, cleaned cells, refused cells) of the first sheet."""
    check_archive(data)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (styles, validation); none matter here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError…) for bad parts
        raise _refusal(exc) from None
    try:
        if not book.worksheets:
            raise FileRejected("Tệp Excel không có trang tính nào.")
        sheet = book.worksheets[0]
        # The stored dimension may be stale or a lie; read every row that is really there.
        sheet.reset_dimensions()
        yield from _sheet_rows(sheet, max_rows)
    except Exception as exc:
        raise _refusal(exc) from None
    finally:
        book.close()


def _sheet_rows(sheet, max_rows: int) -> Iterator[tuple[int, list[str], dict[int, str]]]:
    seen = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
            cells: list[str] = []
            problems: dict[int, str] = {}
            for index, cell in enumerate(row):
                value, problem = _text(getattr(cell, "value", None), cell.data_type)
                cells.append(value)
                if problem:
                    problems[index] = problem
            if any(cells) or problems:
                seen += 1
                if seen > max_rows + 1:
                    # The caller raises the row-cap message; stop parsing the rest now.
                    yield number, cells, problems
                    return
            yield number, cells, problems
