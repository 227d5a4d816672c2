"""Turn the bytes or text of a bank file into clean lines, refusing what cannot be read."""

from __future__ import annotations

from ...numbers import vi_count
from ..questions import bad_control_char
from .errors import Problem, Problems, QuestionFormatError

MAX_BANK_CHARS = 5_000_000
BOM = "\ufeff"


def decode_bank(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM); name the line of the first bad byte."""
    if len(data) > MAX_BANK_CHARS * 4:
        raise QuestionFormatError([Problem(path, None, "tệp quá lớn")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QuestionFormatError(
            [Problem(path, line, "tệp không phải văn bản UTF-8 hợp lệ")]
        ) from None


def source_lines(text: str, problems: Problems) -> list[str]:
    """Return the lines of text, recording oversize files and control characters."""
    if len(text) > MAX_BANK_CHARS:
        problems.add(None, f"tệp quá lớn (tối đa {vi_count(MAX_BANK_CHARS)} ký tự)")
        return []
    text = text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
    # str.splitlines() would also break on U+2028, U+0085 and friends, shifting line numbers.
    # No NFC here: each extracted text is normalised on its own, so that a text starting with a
    # combining mark never fuses with the syntax before it (`=` + U+0338 would become `≠`).
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        char = bad_control_char(line.replace("\ufeff", ""))
        if char is not None:
            problems.add(number, f"dòng chứa ký tự điều khiển không hợp lệ U+{ord(char):04X}")
    return lines
