"""Rebuild tables that the source flattened to one cell per paragraph.

A table starts with a "STT"/"TT" cell followed by short header cells; each row starts with a
running number ("1", "1.", "01", "1.2", "a)", "B1", "Bước 1") and section rows ("A. …",
"I" + title, "CẤP TỈNH") may sit between rows. Flattening drops empty cells and repeats no
merged cell, so a row may come out short: its cells are then put under the columns whose
other values they resemble most. When the rows fit the header the cells become a Markdown
table; otherwise (a two-level header, say) each recognised row becomes one list item.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from vanban_markdown import bold, clean_text, escape_cell, escape_line

MAX_HEADER_CELLS = 16
MAX_HEADER_CHARS = 240
MAX_GROUP_CHARS = 250
MAX_GROUP_CHAIN = 3
MAX_FIRST_NUMBER = 999

_HEADER_START = re.compile(r"^(stt|tt|số tt|số thứ tự|s tt)$", re.IGNORECASE)
_INT_MARKER = re.compile(r"^0*(\d{1,3})[.)]?$")
_SUB_MARKER = re.compile(r"^((\d{1,3}|[IVXLC]{1,6})(\.\d{1,3}){1,3}\.?|[a-zđ]\))$")
_STEP_MARKER = re.compile(r"^(?:B|Bước )(\d{1,2})\.?$")
_COLUMN_NUMBER = re.compile(r"^\(\S{1,2}\)$")
_GROUP_LABEL = re.compile(r"^([A-ZĐ]|[IVXL]{1,6})[.)]?$")
_GROUP_PREFIXED = re.compile(r"^([A-ZĐ]|[IVXL]{1,6})[.)]\s+\S")
_TERMINATOR = re.compile(
    r"^(Điều \d|Chương\b|CHƯƠNG [IVXL\d]|PHỤ LỤC|Phụ lục [IVXL\d]|PHẦN [IVXL\d]|Phần [IVXL\d]"
    r"|Phần$|Nơi nhận|\[\d+\]|\((Ban hành )?[Kk]èm theo|Mẫu số|MẪU SỐ|Ghi chú:)"
)
_NOTE_HEADER = re.compile(r"^ghi chú", re.IGNORECASE)
_CODE = re.compile(r"^\d[\d.]*(\.[A-Z]\d+)?$")


@dataclass
class Row:
    """One table row: its cells and whether it is a section (group) row."""

    cells: list[str]
    group: bool = False


@dataclass
class Table:
    """Cells recovered from a flattened table, before rendering."""

    header: list[str]
    rows: list[Row] = field(default_factory=list)
    column_numbers: list[str] | None = None
    ncols: int = 0

    @property
    def grid_ready(self) -> bool:
        """Tell whether the header names every column of the rows."""
        return self.ncols == len(self.header)

    @property
    def complete_width(self) -> int:
        """Return how many cells make a complete row.

        Flattening drops empty cells, and a trailing "Ghi chú" column is mostly empty, so a
        row that lacks only that cell counts as complete.
        """
        if _NOTE_HEADER.match(self.header[-1]) and self.ncols == len(self.header):
            return self.ncols - 1
        return self.ncols


def is_header_start(cell: str) -> bool:
    """Tell whether a paragraph is the first header cell of a numbered table."""
    return bool(_HEADER_START.match(cell.strip()))


def _is_upper_text(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _int_value(cell: str) -> int | None:
    match = _INT_MARKER.match(cell)
    return int(match.group(1)) if match else None


def _step_value(cell: str) -> int | None:
    match = _STEP_MARKER.match(cell)
    return int(match.group(1)) if match else None


def _is_terminator(cell: str) -> bool:
    return bool(_TERMINATOR.match(cell)) or is_header_start(cell)


def _is_label(cell: str) -> bool:
    return bool(_GROUP_LABEL.match(cell) or _GROUP_PREFIXED.match(cell))


def _is_header_cell(cell: str) -> bool:
    if not cell or len(cell) > MAX_HEADER_CHARS or _is_terminator(cell):
        return False
    if _int_value(cell) is not None or _SUB_MARKER.match(cell) or _step_value(cell) is not None:
        return False
    if _COLUMN_NUMBER.match(cell) or _is_label(cell):
        return False
    return not (_is_upper_text(cell) and len(cell.split()) >= 3)


@dataclass
class _Counter:
    """Track running numbers so that a number inside a cell is not taken for a new row."""

    last_int: int = 0
    last_step: int = 0
    after_group: bool = True
    started: bool = False

    def copy(self, *, after_group: bool) -> _Counter:
        return _Counter(self.last_int, self.last_step, after_group, self.started)

    def accepts(self, cell: str) -> bool:
        value = _int_value(cell)
        if value is not None:
            if not self.started:
                return 1 <= value <= MAX_FIRST_NUMBER
            return value == self.last_int + 1 or (value == 1 and self.after_group)
        step = _step_value(cell)
        if step is not None:
            return step == self.last_step + 1 or step == 1
        return bool(_SUB_MARKER.match(cell))

    def take(self, cell: str) -> None:
        value = _int_value(cell)
        if value is not None:
            self.last_int = value
        step = _step_value(cell)
        if step is not None:
            self.last_step = step
        # Numbering restarts under a sub-numbered row ("I.2", "1.1"), as under a section row.
        self.after_group = bool(_SUB_MARKER.match(cell))
        self.started = True


def _group_length(cells: list[str], i: int, counter: _Counter, depth: int = 0) -> int:
    """Return how many cells form a section row at ``i`` (0 when there is none)."""
    cell = cells[i]
    if depth > MAX_GROUP_CHAIN or _is_terminator(cell) or len(cell) > MAX_GROUP_CHARS:
        return 0
    probe = counter.copy(after_group=True)
    nxt = cells[i + 1] if i + 1 < len(cells) else ""
    if _GROUP_LABEL.match(cell) and nxt and not _is_terminator(nxt) and not probe.accepts(nxt):
        size = 2
    elif _GROUP_PREFIXED.match(cell) or _is_upper_text(cell):
        size = 1
    elif i + 1 < len(cells) and _int_value(cells[i + 1]) == 1:
        size = 1
    else:
        return 0
    following = i + size
    if following >= len(cells):
        return 0
    if probe.accepts(cells[following]) or _group_length(cells, following, probe, depth + 1):
        return size
    return 0


def _row_end(cells: list[str], start: int, ncols: int, counter: _Counter) -> int:
    """Return the index one past the last cell of the row that starts at ``start``."""
    limit = min(start + ncols, len(cells))
    probe = counter.copy(after_group=counter.after_group)

    def starts_next(k: int) -> bool:
        cell = cells[k]
        if probe.accepts(cell) or _is_terminator(cell):
            return True
        return _int_value(cell) is None and _group_length(cells, k, probe) > 0

    full = start + ncols
    if full == len(cells) or (full < len(cells) and starts_next(full)):
        # A labelled section row ("III" + title) inside the span means the row was short.
        inside = range(start + 1, min(full, len(cells)))
        if not any(
            _is_terminator(cells[k])
            or (_GROUP_LABEL.match(cells[k]) and _group_length(cells, k, probe) == 2)
            for k in inside
        ):
            return full
    for k in range(start + 2, limit):
        if starts_next(k):
            return k
    return limit


def _column_numbers(cells: list[str], i: int, ncols: int) -> list[str]:
    """Return the "(1)", "(2)", … cells that number the columns under a header."""
    numbers: list[str] = []
    while i + len(numbers) < len(cells) and len(numbers) < ncols:
        cell = cells[i + len(numbers)]
        if not _COLUMN_NUMBER.match(cell):
            break
        numbers.append(cell)
    return numbers if len(numbers) >= 2 and numbers[0] == "(1)" else []


def parse_table(cells: list[str], start: int = 0) -> tuple[Table, int] | None:
    """Parse the table whose header starts at ``cells[start]``; return it and the cells used."""
    if start >= len(cells) or not is_header_start(cells[start]):
        return None
    header = [cells[start]]
    i = start + 1
    while i < len(cells) and len(header) < MAX_HEADER_CELLS and _is_header_cell(cells[i]):
        header.append(cells[i])
        i += 1
    if len(header) < 2:
        return None
    table = Table(header=header, ncols=len(header))
    numbers = _column_numbers(cells, i, len(header))
    if numbers:
        table.column_numbers, table.ncols = numbers, len(numbers)
        i += len(numbers)
    counter = _Counter()
    while i < len(cells):
        cell = cells[i]
        if _is_terminator(cell):
            break
        if counter.accepts(cell):
            counter.take(cell)
            end = _row_end(cells, i, table.ncols, counter)
            table.rows.append(Row(cells=cells[i:end]))
            i = end
            continue
        size = _group_length(cells, i, counter)
        if not size:
            break
        table.rows.append(Row(cells=cells[i : i + size], group=True))
        counter.after_group = True
        i += size
    while table.rows and table.rows[-1].group:
        table.rows.pop()
    if not table.rows:
        return table, len(header)
    used = len(header) + len(table.column_numbers or [])
    return table, used + sum(len(row.cells) for row in table.rows)


def _kind(cell: str) -> str:
    if _CODE.match(cell.replace(" ", "")):
        return "code"
    if cell.lower() in {"x", "không", "có"}:
        return "mark"
    return "text"


def _first_word(cell: str) -> str:
    words = cell.split()
    return words[0].lower() if words else ""


@dataclass
class _Column:
    """What the values of one column look like in the rows that are complete."""

    values: set[str] = field(default_factory=set)
    kinds: dict[str, int] = field(default_factory=dict)
    first_words: dict[str, int] = field(default_factory=dict)
    log_lengths: list[float] = field(default_factory=list)

    def add(self, cell: str) -> None:
        self.values.add(cell)
        self.kinds[_kind(cell)] = self.kinds.get(_kind(cell), 0) + 1
        word = _first_word(cell)
        self.first_words[word] = self.first_words.get(word, 0) + 1
        self.log_lengths.append(math.log1p(len(cell)))

    def score(self, cell: str) -> float:
        seen = len(self.log_lengths)
        if not seen:
            return 0.0
        mean = sum(self.log_lengths) / seen
        return (
            (1.0 if cell in self.values else 0.0)
            + 1.5 * self.kinds.get(_kind(cell), 0) / seen
            + 1.0 * self.first_words.get(_first_word(cell), 0) / seen
            - 0.5 * abs(math.log1p(len(cell)) - mean)
        )


def _align(cells: list[str], columns: list[_Column]) -> list[str]:
    """Place the cells of a short row under the best-matching columns, in order."""
    ncols, count = len(columns), len(cells)
    # A number and one text is a heading-like row: the text belongs to the first text column.
    if count >= ncols or count <= 2 or not any(c.log_lengths for c in columns):
        return cells + [""] * (ncols - count)
    # best[i][j]: best score placing cells[i:] into columns[j:], the first cell fixed at column 0.
    best = [[-math.inf] * (ncols + 1) for _ in range(count + 1)]
    for j in range(ncols + 1):
        best[count][j] = 0.0
    for i in range(count - 1, 0, -1):
        for j in range(ncols - 1, 0, -1):
            take = columns[j].score(cells[i]) + best[i + 1][j + 1]
            best[i][j] = max(take, best[i][j + 1])
    out = [""] * ncols
    out[0] = cells[0]
    j = 1
    for i in range(1, count):
        while best[i][j + 1] > columns[j].score(cells[i]) + best[i + 1][j + 1]:
            j += 1
        out[j] = cells[i]
        j += 1
    return out


def _fits_grid(table: Table) -> bool:
    data = [row for row in table.rows if not row.group]
    if not table.grid_ready or not data:
        return False
    full = sum(1 for row in data if len(row.cells) >= table.complete_width)
    return full > 0 and full * 5 >= len(data)


def _group_cells(row: Row, ncols: int) -> list[str]:
    if len(row.cells) == 2:
        label, title = row.cells
    else:
        match = _GROUP_PREFIXED.match(row.cells[0])
        if match:
            label = row.cells[0][: match.end(1) + 1]
            title = row.cells[0][match.end(1) + 1 :].strip()
        else:
            label, title = "", row.cells[0]
    return [escape_cell(label), bold(" ".join(title.split()))] + [""] * (ncols - 2)


def _grid_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_table(table: Table) -> str:
    """Render a parsed table as Markdown: a grid when the columns fit, else a list of rows."""
    if not _fits_grid(table):
        items = [table.header, *([table.column_numbers] if table.column_numbers else [])]
        return render_cell_list(items + [row.cells for row in table.rows])
    ncols = table.ncols
    columns = [_Column() for _ in range(ncols)]
    data = [row.cells for row in table.rows if not row.group]
    complete = [c for c in data if len(c) == ncols] or [
        c for c in data if len(c) == table.complete_width
    ]
    for cells in complete:
        for column, cell in zip(columns, cells, strict=False):
            column.add(cell)
    lines = [_grid_line([escape_cell(h) for h in table.header]), "|" + " --- |" * ncols]
    if table.column_numbers:
        lines.append(_grid_line([escape_cell(c) for c in table.column_numbers]))
    for row in table.rows:
        if row.group:
            lines.append(_grid_line(_group_cells(row, ncols)))
        else:
            lines.append(_grid_line([escape_cell(c) for c in _align(row.cells, columns)]))
    return "\n".join(lines)


def render_cell_list(rows: list[list[str]]) -> str:
    """Render rows of cells as a list, one item per row, cells separated by " — "."""
    lines = []
    for cells in rows:
        text = " — ".join(clean_text(" ".join(c.split("\n"))) for c in cells if c.strip())
        if text:
            lines.append("- " + escape_line(text))
    return "\n".join(lines)
