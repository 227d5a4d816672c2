"""A report as CSV (UTF-8 with BOM, for Excel), XLSX (a report-annex layout) or JSON."""

from __future__ import annotations

import csv
import io
import json

from ..org.models import LEVELS
from ..sheets import XLSX_TYPE, plain
from ..timefmt import vn_date
from .counting import DEFINITIONS
from .report import Report, UnitRow

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
    "json": "application/json",
}
ISSUER = "SỞ NỘI VỤ"
HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Cấp",
    "Mã đơn vị cấp trên",
    "Đối tượng (người)",
    "Đã tiếp cận (người)",
    "Tỷ lệ tiếp cận (%)",
    "Đạt chỉ tiêu tiếp cận",
    "Đã được bồi dưỡng (người)",
    "Tỷ lệ bồi dưỡng (%)",
    "Đạt chỉ tiêu bồi dưỡng",
    "Chưa đăng nhập (người)",
    "Lớp bồi dưỡng đã tham dự (lớp)",
    "Tham dự lớp (lượt)",
]
WIDTHS = [16, 40, 22, 18, 12, 12, 12, 12, 14, 12, 12, 12, 12, 12]


def _met(value: bool | None) -> str:
    return "" if value is None else ("Đạt" if value else "Chưa đạt")


def _cells(row: UnitRow) -> list[object]:
    c = row.counts
    return [
        row.code,
        ("    " * row.depth) + row.name,
        LEVELS.get(row.level, row.level),
        row.parent_code or "",
        c.roster,
        c.accessed,
        row.accessed_pct,
        _met(row.accessed_target_met),
        c.trained,
        row.trained_pct,
        _met(row.trained_target_met),
        c.never_signed_in,
        c.classes,
        c.participations,
    ]


def title_lines(report: Report) -> list[str]:
    """What heads an export: issuer, title, plan, as-of date, scope."""
    scope = report.scope.name if report.scope else "Toàn bộ đối tượng của kế hoạch"
    return [
        ISSUER,
        f"BÁO CÁO KẾT QUẢ BỒI DƯỠNG — {report.plan.title.upper()}",
        f"Tính đến ngày {vn_date(report.as_of)} · Phạm vi: {scope}",
        f"Chỉ tiêu: tiếp cận {report.plan.target_accessed:g} %, "
        f"được bồi dưỡng {report.plan.target_trained:g} %",
    ]


def footnotes() -> list[str]:
    """The definitions, as the footnote of an export."""
    return [f"{term}: {text}" for term, text in DEFINITIONS]


def to_csv(report: Report) -> bytes:
    """CSV with a BOM, so Excel on Vietnamese Windows reads the accents."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in report.rows:
        writer.writerow(["" if v is None else plain(v) for v in _cells(row)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_json(report: Report) -> bytes:
    """The Contracts' JSON."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def to_xlsx(report: Report) -> bytes:
    """A report annex: issuer and title on top, a frozen header with filters, values only."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})  # fmt: skip
    sheet = book.add_worksheet("Báo cáo")
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13, "align": "center"})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1,
         "bg_color": "#DDEBF7"}
    )  # fmt: skip
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "#,##0"})
    percent = book.add_format({"border": 1, "num_format": "0.0"})
    note = book.add_format({"italic": True, "text_wrap": True, "valign": "top"})
    lines = title_lines(report)
    last = len(HEADERS) - 1
    sheet.write(0, 0, plain(lines[0]), bold)
    for i, line in enumerate(lines[1:], start=1):
        sheet.merge_range(i, 0, i, last, plain(line), title if i == 1 else book.add_format())
    top = len(lines) + 1
    sheet.set_row(top, 45)
    for col, (text, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.write(top, col, text, head)
        sheet.set_column(col, col, width)
    for r, row in enumerate(report.rows, start=top + 1):
        for col, value in enumerate(_cells(row)):
            if value is None:
                sheet.write_blank(r, col, None, cell)
            elif isinstance(value, float):
                sheet.write_number(r, col, value, percent)
            elif isinstance(value, int):
                sheet.write_number(r, col, value, number)
            else:
                sheet.write_string(r, col, str(plain(value)), cell)
    end = top + len(report.rows)
    sheet.freeze_panes(top + 1, 2)
    sheet.autofilter(top, 0, max(end, top), last)
    foot = end + 2
    sheet.write(foot, 0, "Ghi chú (định nghĩa):", bold)
    for i, text in enumerate(footnotes(), start=1):
        sheet.merge_range(foot + i, 0, foot + i, last, plain(text), note)
        sheet.set_row(foot + i, 30)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top)
    book.close()
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    """The report in one of FORMATS."""
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "json":
        return to_json(report)
    raise ValueError(f"unknown format {fmt}")


def file_name(report: Report, fmt: str) -> str:
    """bao-cao-<plan>-<as of>.<fmt>"""
    scope = f"-{report.scope.code}" if report.scope else ""
    return f"bao-cao-{report.plan.slug}{scope}-{report.as_of.isoformat()}.{fmt}"
