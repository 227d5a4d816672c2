"""Turn the plain text of one official document into readable Markdown.

The text comes as paragraphs separated by blank lines (table cells, too, one per paragraph),
with some lines hard-wrapped. After the header (``vanban_header``), "Chương"/"Mục"/"Phần"/
"Phụ lục" lines become ``##`` headings and "Điều N." lines ``###`` headings; numbered
clauses stay paragraphs that keep their own numbers; the "Nơi nhận:" list stays a list and
the signer's titles and name short bold paragraphs; tables are rebuilt by ``vanban_tables``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vanban_header import (
    AUTHORITY,
    DASHES,
    TRAILING_DASHES,
    TYPE_WORDS,
    convert_front,
    ends_sentence,
    is_upper_text,
    split_blocks,
)
from vanban_markdown import bold, clean_text, escape_inline, escape_line
from vanban_tables import is_header_start, parse_table, render_cell_list, render_table

_ARTICLE = re.compile(r"^Điều\s+(\d+[a-zđ]?)\s*[.:]?\s*(.*)$")
_ARTICLE_BARE = re.compile(r"^Điều\s+\d+[a-zđ]?\s*[.:]?$")
_CHAPTER = re.compile(r"^(Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+([IVXLC]+|\d+)\b\s*([.:]?)\s*(.*)$")
_APPENDIX = re.compile(r"^(PHỤ LỤC|Phụ lục)(\s+[IVXLC\d]+[a-z]?)?\.?(\s|$)")
_SECTION = re.compile(r"^([IVXLC]+|[A-ZĐ])\.\s+\S")
_ANNEX_NOTE = re.compile(r"^\((Ban hành )?(kèm|Kèm) theo")
_ENUMERATION = re.compile(r"^(\d+(\.\d+)*[.)]|[a-zđ]\d?[.)]|[-+•])(\s|$)")
_BULLET = re.compile(r"^[-+]\s+\S")
_LONE_WORD = re.compile(r"^(Chương|CHƯƠNG|Điều|Mục|MỤC|Phần|PHẦN)$")
_SIGNER_TITLE = re.compile(
    r"^(KT\.|TM\.|TL\.|TUQ\.|Q\.|(PHÓ )?(CHỦ TỊCH|THỦ TƯỚNG|GIÁM ĐỐC|CỤC TRƯỞNG|CHỦ NHIỆM"
    r"|TRƯỞNG BAN|CHÁNH VĂN PHÒNG)|BỘ TRƯỞNG|THỨ TRƯỞNG|TỔNG CỤC TRƯỞNG|VỤ TRƯỞNG|ỦY VIÊN)"
)
MAX_SIGNER_TITLE_CHARS = 40
MAX_TITLE_CHARS = 150
MAX_SIGNATURE_LINES = 8


def _is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


def _is_enumeration(text: str) -> bool:
    return bool(_ENUMERATION.match(text))


def _title_like(text: str) -> bool:
    return (
        len(text) <= MAX_TITLE_CHARS
        and text.rstrip()[-1:] not in {".", ";", ":", ","}
        and not _is_enumeration(text)
    )


def _chapter_rest_ok(rest: str) -> bool:
    return not rest or is_upper_text(rest) or (_title_like(rest) and len(rest) <= 100)


@dataclass
class _Paragraph:
    """Lines being re-joined into one paragraph; checks look at its first and last line."""

    parts: list[str]
    upper: bool

    @property
    def first(self) -> str:
        return self.parts[0]

    @property
    def last(self) -> str:
        return self.parts[-1]

    @property
    def single(self) -> str | None:
        return self.parts[0] if len(self.parts) == 1 else None


def _should_join(prev: _Paragraph, line: str) -> bool:
    """Tell whether ``line`` continues the paragraph ``prev`` after a hard wrap."""
    single = prev.single
    if single is not None and _LONE_WORD.match(single):
        return True
    if single is not None and _ARTICLE_BARE.match(single):
        return _title_like(line) and not is_upper_text(line)
    if prev.upper and is_upper_text(line):
        bare_chapter = single is not None and (chapter := _CHAPTER.match(single)) is not None
        return not (
            ends_sentence(prev.last)
            or single in TYPE_WORDS
            or _APPENDIX.match(prev.first)
            or (bare_chapter and not chapter.group(4))
            or _SECTION.match(line)
            or (
                _SIGNER_TITLE.match(line)
                and len(line) <= MAX_SIGNER_TITLE_CHARS
                and not prev.last.endswith(",")
            )
        )
    if ends_sentence(prev.last) or prev.upper or _is_enumeration(line):
        return False
    first = line[:1]
    if first.islower():
        return True
    if first.isdigit():
        words = prev.last.split()
        last_word = words[-1] if words else ""
        return last_word[:1].isalpha() and last_word[-1:].isalpha() and last_word.islower()
    return False


def rejoin_lines(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines of one paragraph block."""
    paragraphs: list[_Paragraph] = []
    for raw in lines:
        line = clean_text(raw)
        if not line:
            continue
        if paragraphs and _should_join(paragraphs[-1], line):
            prev = paragraphs[-1]
            if prev.last.endswith(("-", "/")) and is_upper_text(line):
                prev.parts[-1] += line
            else:
                prev.parts.append(line)
        else:
            paragraphs.append(_Paragraph([line], is_upper_text(line)))
    return [" ".join(p.parts) for p in paragraphs]


def convert_document(text: str, title: str = "") -> str:
    """Convert the full text of a document to Markdown (without front matter)."""
    front, blocks = convert_front(split_blocks(text), title)
    return "\n\n".join([*front, *convert_blocks(blocks)]) + "\n"


def convert_blocks(blocks: list[list[str]]) -> list[str]:
    """Render body blocks (paragraph runs and flattened tables) as Markdown chunks."""
    cells = ["\n".join(block) for block in blocks]
    items: list[tuple[int, str] | str] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if len(block) == 1 and is_header_start(block[0]):
            parsed = parse_table(cells, i)
            if parsed:
                table, used = parsed
                if table.rows:
                    items.append(render_table(table))
                else:
                    items.append(render_cell_list([[c] for c in cells[i : i + used]]))
                i += used
                continue
        items.extend((i, line) for line in rejoin_lines(block))
        i += 1
    return _Renderer(items).render()


class _Renderer:
    """Turn body lines (tagged with their block) and rendered tables into Markdown chunks."""

    def __init__(self, items: list[tuple[int, str] | str]) -> None:
        self.items = items
        self.pos = 0
        self.chunks: list[str] = []
        self.last_appendix = False

    def _line(self, ahead: int = 0) -> tuple[int, str] | None:
        k = self.pos + ahead
        if k < len(self.items) and isinstance(self.items[k], tuple):
            return self.items[k]  # type: ignore[return-value]
        return None

    def render(self) -> list[str]:
        while self.pos < len(self.items):
            item = self.items[self.pos]
            if isinstance(item, str):
                self.chunks.append(item)
                self.pos += 1
                self.last_appendix = False
                continue
            if self._signature():
                continue
            self._render_line(*item)
        return [c for c in self.chunks if c]

    def _signature(self) -> bool:
        """Render a signer block (titles in capitals, then the name) as short paragraphs."""
        first = self._line()
        if first is None:
            return False
        block = first[0]
        lines: list[str] = []
        while (nxt := self._line(len(lines))) is not None and nxt[0] == block:
            lines.append(nxt[1])
            if len(lines) > MAX_SIGNATURE_LINES:
                return False
        if len(lines) < 2 or not _is_name(lines[-1]):
            return False
        titles = lines[:-1]
        if not all(is_upper_text(t) and len(t) <= 80 for t in titles):
            return False
        if not _SIGNER_TITLE.match(titles[0]) and not AUTHORITY.match(titles[0]):
            return False
        self.chunks.extend(bold(t) for t in lines)
        self.pos += len(lines)
        return True

    def _render_line(self, block: int, text: str) -> None:
        self.pos += 1
        if DASHES.match(text):
            return
        text = TRAILING_DASHES.sub("", text)
        appendix = False
        if text.startswith("Nơi nhận"):
            label, _, rest = text.partition(":")
            self.chunks.append(bold(label.strip() + ":"))
            if rest.strip():
                self.items.insert(self.pos, (block, rest.strip()))
        elif article := _ARTICLE.match(text):
            self._article(article)
        elif (chapter := _CHAPTER.match(text)) and _chapter_rest_ok(chapter.group(4)):
            self._chapter(chapter)
        elif _APPENDIX.match(text) and (is_upper_text(text) or len(text) <= 20):
            self.chunks.append("## " + escape_inline(text))
            appendix = True
        elif is_upper_text(text) and self._annex_title(text):
            appendix = True
        elif is_upper_text(text) and _SECTION.match(text) and len(text) <= 250:
            self.chunks.append("### " + escape_inline(text))
        elif is_upper_text(text) and len(text.split()) >= 2:
            self.chunks.append(bold(text))
            appendix = self.last_appendix
        elif _ANNEX_NOTE.match(text):
            self.chunks.append("*" + escape_inline(text) + "*")
        elif _BULLET.match(text):
            self._bullets(block, text)
        else:
            self.chunks.append(escape_line(text))
        self.last_appendix = appendix

    def _chapter(self, match: re.Match[str]) -> None:
        word, number, separator, rest = match.groups()
        nxt = self._line()
        if not rest and nxt and is_upper_text(nxt[1]) and not _CHAPTER.match(nxt[1]):
            rest = nxt[1]
            self.pos += 1
        heading = f"{word} {number}{separator or '.'} {rest}" if rest else f"{word} {number}"
        self.chunks.append("## " + escape_inline(heading))

    def _article(self, match: re.Match[str]) -> None:
        number, rest = match.group(1), match.group(2).strip()
        if rest and _title_like(rest) and not rest.endswith((",", ";")):
            self.chunks.append(f"### Điều {escape_inline(number)}. {escape_inline(rest)}")
            return
        self.chunks.append(f"### Điều {escape_inline(number)}.")
        if rest:
            self.chunks.append(escape_line(rest))

    def _annex_title(self, text: str) -> bool:
        """Render capitals followed by "(Kèm theo …)" as an appendix heading."""
        run = [text, *[line for _, line in self._run_after()]]
        after = self._line(len(run) - 1)
        if after is None or not _ANNEX_NOTE.match(after[1]):
            return False
        self.pos += len(run) - 1
        joined = " ".join(run)
        self.chunks.append(bold(joined) if self.last_appendix else "## " + escape_inline(joined))
        return True

    def _run_after(self) -> list[tuple[int, str]]:
        run: list[tuple[int, str]] = []
        while (nxt := self._line(len(run))) is not None and is_upper_text(nxt[1]):
            if len(run) >= 3 or _CHAPTER.match(nxt[1]) or _APPENDIX.match(nxt[1]):
                break
            run.append(nxt)
        return run

    def _bullets(self, block: int, text: str) -> None:
        items = [text]
        while (nxt := self._line()) is not None and nxt[0] == block:
            if _BULLET.match(nxt[1]):
                items.append(nxt[1])
            elif items[-1].endswith((":", ",")):
                # A wrapped item: "- VPCP: …, các Vụ, Cục:" / "TH, KTTH, NN;"
                items[-1] = f"{items[-1]} {nxt[1]}"
            else:
                break
            self.pos += 1
        self.chunks.append("\n".join(escape_line(item, allow_bullet=True) for item in items))
