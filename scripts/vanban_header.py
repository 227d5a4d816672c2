"""Read the header of an official document: issuer, motto, number, date, type and title.

The header lines are often hard-wrapped ("ỦY BAN NHÂN" / "DÂN", "Số: 3783/QĐ-" / "UBND");
they are re-joined and rendered as short bold paragraphs.
"""

from __future__ import annotations

import re

from vanban_markdown import bold, clean_text, escape_inline, escape_line

DASHES = re.compile(r"^[-_=.]{3,}$")
TRAILING_DASHES = re.compile(r"\s*[-_]{3,}$")
_DATE = re.compile(r"ngày\s*\S+\s*tháng", re.IGNORECASE)
AUTHORITY = re.compile(
    r"^(CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|CHÍNH PHỦ|ỦY BAN|UỶ BAN|HỘI ĐỒNG|GIÁM ĐỐC|CỤC TRƯỞNG"
    r"|TỔNG CỤC TRƯỞNG|CHÁNH VĂN PHÒNG|BỘ CHÍNH TRỊ|BAN THƯỜNG VỤ)"
)
TYPE_WORDS = {
    "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "KẾ HOẠCH", "THÔNG BÁO", "CHỈ THỊ", "CÔNG ĐIỆN", "THÔNG TƯ",
    "NGHỊ ĐỊNH", "TỜ TRÌNH", "BÁO CÁO", "BIÊN BẢN", "CÔNG VĂN",
}  # fmt: skip
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.DOTALL)


def ends_sentence(text: str) -> bool:
    """Tell whether a line ends like a sentence or an introduction (".", ":", "!", "?")."""
    return text.rstrip()[-1:] in {".", ":", "!", "?"}


def is_upper_text(text: str) -> bool:
    """Tell whether every letter of the text is upper case (and it has two letters or more)."""
    return text == text.upper() and _TWO_LETTERS.search(text) is not None


def split_blocks(text: str) -> list[list[str]]:
    """Split text into blocks of lines separated by blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [clean_text(line) for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    return blocks


def _squash(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


class _Cursor:
    """Walk the lines of a list of blocks while remembering block boundaries."""

    def __init__(self, blocks: list[list[str]]) -> None:
        self.items = [(b, line) for b, block in enumerate(blocks) for line in block]
        self.pos = 0

    def peek(self, ahead: int = 0) -> str | None:
        k = self.pos + ahead
        return self.items[k][1] if k < len(self.items) else None

    def take(self) -> str:
        self.pos += 1
        return self.items[self.pos - 1][1]

    def rest(self) -> list[list[str]]:
        blocks: dict[int, list[str]] = {}
        for b, line in self.items[self.pos :]:
            blocks.setdefault(b, []).append(line)
        return list(blocks.values())


def _take_issuer_and_motto(cur: _Cursor, chunks: list[str]) -> None:
    issuer: list[str] = []
    for ahead in range(8):
        line = cur.peek(ahead)
        if line is None or line.upper().startswith("CỘNG HÒA") or DASHES.match(line):
            break
        issuer.append(line)
    else:
        return
    if not issuer or not all(is_upper_text(x) for x in issuer):
        return
    for _ in issuer:
        cur.take()
    chunks.append(bold(" ".join(issuer)))
    while cur.peek() is not None and DASHES.match(cur.peek() or ""):
        cur.take()
    motto: list[str] = []
    while cur.peek() is not None and is_upper_text(cur.peek() or "") and len(motto) < 4:
        motto.append(cur.take())
    if motto:
        chunks.append(bold(" ".join(motto)))
    line = cur.peek()
    if line and line.startswith("Độc lập"):
        cur.take()
        chunks.append(bold(TRAILING_DASHES.sub("", line)))
    while cur.peek() is not None and DASHES.match(cur.peek() or ""):
        cur.take()


def _take_number_and_date(cur: _Cursor, chunks: list[str]) -> None:
    line = cur.peek()
    if line is None or not line.startswith("Số"):
        return
    parts = [cur.take()]
    while cur.peek() is not None and len(parts) < 3 and not _DATE.search(cur.peek() or ""):
        nxt = cur.peek() or ""
        if len(nxt) > 60 or nxt.startswith(("Kính gửi", "V/v")) or nxt in TYPE_WORDS:
            break
        parts.append(cur.take())
    number = parts[0]
    for part in parts[1:]:
        glue = "" if number.endswith(("-", "/")) else " "
        number += glue + part
    subject = ""
    match = re.search(r"\s(V/v\s.*)$", number)
    if match:
        number, subject = number[: match.start()], match.group(1)
    chunks.append(escape_line(number))
    if subject:
        chunks.append(escape_line(subject))
    line = cur.peek()
    if line and _DATE.search(line) and len(line) <= 120:
        chunks.append("*" + escape_inline(cur.take()) + "*")


def _take_title(cur: _Cursor, chunks: list[str], title: str) -> None:
    line = cur.peek()
    if line is None or line.upper() not in TYPE_WORDS:
        return
    chunks.append(bold(cur.take()))
    target = _squash(title)
    taken: list[str] = []
    while cur.peek() is not None and is_upper_text(cur.peek() or "") and len(taken) < 12:
        candidate = _squash(" ".join([*taken, cur.peek() or ""]))
        if taken and target and not target.startswith(candidate):
            break
        if not target and taken and AUTHORITY.match(cur.peek() or ""):
            break
        taken.append(cur.take())
        if target and candidate == target:
            break
    if taken:
        chunks.append(bold(" ".join(taken)))
    authority: list[str] = []
    while cur.peek() is not None and len(authority) < 3:
        nxt = cur.peek() or ""
        if not is_upper_text(nxt) or ends_sentence(nxt):
            break
        if not authority and not AUTHORITY.match(nxt):
            break
        authority.append(cur.take())
    if authority:
        chunks.append(bold(" ".join(authority)))


def convert_front(blocks: list[list[str]], title: str) -> tuple[list[str], list[list[str]]]:
    """Render the document header; return its Markdown chunks and the remaining blocks."""
    cur = _Cursor(blocks)
    chunks: list[str] = []
    _take_issuer_and_motto(cur, chunks)
    _take_number_and_date(cur, chunks)
    _take_title(cur, chunks, title)
    return chunks, cur.rest()
