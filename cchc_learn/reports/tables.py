"""Report tables as files: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) and XLSX.

A cell a person typed (a unit's or a moderator's name) is always text, never a formula: in
CSV one starting with = + - @ (or a tab or carriage return) gets an apostrophe in front; in
XLSX it is written as a string marked with Excel's quote prefix. Numbers are values in XLSX
(counts, shares as fractions shown as percentages, working days), and written the Vietnamese
way in CSV, as the pages show them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import xlsxwriter

from ..numbers import vi_number
from ..sheets import looks_like_formula, plain

CSV_TYPE = "text/csv; charset=utf-8"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
KINDS = ("text", "count", "share", "days")


@dataclass(frozen=True)
class Column:
    """A column: its heading and what its values are (one of KINDS)."""

    title: str
    kind: str = "text"


@dataclass
class Table:
    """A titled table: notes under the title, one row of values per line (None: empty)."""

    title: str
    sheet: str
    columns: list[Column]
    notes: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    depths: list[int] = field(default_factory=list)
    """How far each row's first cell is indented (units under their parents)."""


def safe_text(value: str) -> str:
    """A typed text for a CSV cell: never read as a formula by a spreadsheet."""
    return str(plain(value))


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "share":
        return vi_number(value * 100)
    if kind == "days":
        return vi_number(value)
    if kind == "count":
        return str(int(value))
    return safe_text(str(value))


def to_csv(table: Table) -> bytes:
    """The table as CSV: a BOM, one heading line, then the rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.title for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: list[Table]) -> bytes:
    """The tables as a workbook, one sheet each: title on top, frozen heading row."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {
        "in_memory": True,
        # Typed text stays text, whatever it looks like.
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    })
    formats = _Formats(book)
    for table in tables:
        _write_sheet(book.add_worksheet(table.sheet[:31]), table, formats)
    book.close()
    return out.getvalue()


class _Formats:
    def __init__(self, book) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.note = book.add_format({"italic": True, "font_color": "#444444"})
        self.heading = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                        "bg_color": "#E4E6E8", "border": 1})
        self.count = book.add_format({"num_format": "#,##0"})
        self.share = book.add_format({"num_format": "0.00%"})
        self.days = book.add_format({"num_format": "0.00"})
        self._text: dict[tuple[int, bool], object] = {}

    def text(self, depth: int, quoted: bool):
        key = (min(depth, 15), quoted)
        if key not in self._text:
            spec: dict = {"indent": key[0]} if key[0] else {}
            if quoted:
                spec["quote_prefix"] = True
            self._text[key] = self.book.add_format(spec)
        return self._text[key]


def _write_sheet(sheet, table: Table, formats: _Formats) -> None:
    sheet.write_string(0, 0, _clean(table.title), formats.title)
    for i, note in enumerate(table.notes, start=1):
        sheet.write_string(i, 0, _clean(note), formats.note)
    heading = len(table.notes) + 2
    sheet.set_row(heading, 32)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(table.columns) - 1, 15)
    for col, column in enumerate(table.columns):
        sheet.write_string(heading, col, column.title, formats.heading)
    sheet.freeze_panes(heading + 1, 1)
    for r, row in enumerate(table.rows, start=heading + 1):
        depth = table.depths[r - heading - 1] if table.depths else 0
        for col, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            if value is None:
                continue
            if column.kind == "text":
                text = _clean(str(value))
                sheet.write_string(r, col, text,
                                   formats.text(depth if col == 0 else 0,
                                                looks_like_formula(text)))
            else:
                sheet.write_number(r, col, round(float(value), 4), getattr(formats, column.kind))


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)
