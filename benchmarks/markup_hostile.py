"""Time the Markdown renderer on hostile inputs against ordinary lesson text of the same size.

Every input is rendered by `cchc_learn.markup.render` (parse, resolve, sanitize). An input either
renders or is refused with a message naming a line, because it passes one of the limits: 200,000
characters, 5,000 lines, 20,000 elements. Both outcomes count: the time is what a worker spends
before it can answer. Three groups:

- ordinary text: the real lessons of `content/modules`, repeated up to the size;
- hostile characters: one construct repeated up to the size (200 KB by default);
- hostile lines: one line construct repeated up to the line limit, each line padded with words
  so the text also comes near the size (a 200 KB text of short lines is refused at once).

The "× ordinary" column divides by the ordinary text's time; the last line names the slowest
input. With `--bare`, a column times bare markdown-it-py (CommonMark, no plugins, no limits,
no sanitizing) on the same text: what the limits and linear stand-ins save.

    python benchmarks/markup_hostile.py [--size 200000] [--repeat 3] [--bare] [CASE ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from markdown_it import MarkdownIt  # noqa: E402

from cchc_learn.markup import MAX_INPUT_LINES, MarkupInputTooLarge, render  # noqa: E402

TARGET_SECONDS = 0.5
"""What "well under a second" means here, on the 2-core machine the figures come from."""

DENSE_LESSON = (
    "## Mục tiêu của Đề án\n\n"
    "Theo [[4599/QĐ-UBND|Đề án 4599]], **100 %** cán bộ, công chức làm công tác *cải cách "
    "hành chính* được tiếp cận tài liệu; xem thêm [cổng dịch vụ công](https://dichvucong.gov.vn/)"
    " và chú thích[^1].\n\n"
    "| Chỉ số | 2025 | 2030 |\n|:--|--:|--:|\n| Được đào tạo | > 85 % | > 95 % |\n\n"
    "- PAR-INDEX, PCI, PAPI\n- SIPAS, ICT-INDEX\n\n"
    '!!! note "Lưu ý"\n    Bộ phận một cửa tiếp nhận hồ sơ `TTHC`.\n\n'
    "[^1]: Nghị quyết [[76/NQ-CP]].\n\n"
)
"""Synthetic lesson markup: every construct every 530 characters, far denser than real text."""

FILLER = "cán bộ công chức cải cách hành chính một cửa liên thông "


def real_lessons(size: int) -> str:
    """Return the bodies of the real lessons, repeated and cut at a paragraph to `size`."""
    bodies = []
    for path in sorted((ROOT / "content" / "modules").glob("*/[0-9]*.md")):
        text = path.read_text(encoding="utf-8-sig")
        bodies.append(text.split("\n---\n", 1)[-1] if text.startswith("---") else text)
    joined = "\n\n".join(bodies)
    text = (joined + "\n\n") * (size // len(joined) + 1)
    return text[: text.rfind("\n\n", 0, size)]


def line_case(template: str, size: int) -> str:
    """Repeat a line template (with `{}` for words) up to the line limit and `size`."""
    head = "|a|b|\n|-|-|\n" if template.startswith("|") else ""
    count = (MAX_INPUT_LINES - 1 - head.count("\n")) // template.count("\n")
    room = max(0, (size - len(head)) // count - len(template) + 2)
    words = (FILLER * (room // len(FILLER) + 1))[:room].strip() or "a"
    return (head + template.format(words) * count)[:size]


def cases(size: int) -> dict[str, str]:
    """Return the inputs to time, each at most `size` characters long."""
    lines = {
        "# headings": "# {}\n",
        "paragraphs": "{}\n\n",
        "soft line breaks": "{}\n",
        "- list items": "- {}\n",
        "1. list items": "1. {}\n",
        "> quotes": "> {}\n\n",
        "deflist": "{}\n: b\n",
        "!!! admonitions": "!!! note\n    {}\n",
        "table rows": "|{}|y|\n",
        "reference definitions": "[a]: /u '{}'\n",
        "fenced code": "```\n{}\n```\n",
    }
    out = {
        "real lessons (ordinary)": real_lessons(size),
        "dense lesson markup": DENSE_LESSON * (size // len(DENSE_LESSON)),
        "8,000 × [ in prose": ("lorem ipsum dolor [ " * 8_000)[:size],
        "[ × size": "[" * size,
        "[ × size, one ]": "[" * (size - 1) + "]",
        "[a × size/2": "[a" * (size // 2),
        "[[ × size/2": "[[" * (size // 2),
        "many [[doc]] links": "[[4599/QĐ-UBND]] " * (size // 17),
        "unclosed [[doc": "[[4599/QĐ-UBND " * (size // 15),
        "*a_ emphasis": "*a_" * (size // 3),
        "*a** emphasis": "*a**" * (size // 4),
        "` runs 1..n": "".join("`" * n + " " for n in range(1, 630)),
        "`a`` pairs": "`a``" * (size // 4),
        "[^ footnotes": "[^" * (size // 2),
        "> nesting": ">" * size,
        "- nesting": "- " * (size // 2),
        "[]( destinations": "[](" * (size // 3),
        "[](…) closed at the end": "[](" * (size // 3 - 1) + ")",
        "[a](b  unclosed links": "[a](b " * (size // 6),
        "[a] shortcut references": "[a] " * (size // 4),
        "\\* escapes": "\\*" * (size // 2),
        "&#x09; entities": "&#x09;" * (size // 6),
        "&# not entities": "&#" * (size // 2),
        "< × size": "<" * size,
        "<a not autolinks": "<a" * (size // 2),
        "= × size": "=" * size,
        "] × size": "]" * size,
        "~a": "~a" * (size // 2),
        "wide table": "|" + "a|" * (size // 6) + "\n|" + "-|" * (size // 6) + "\n|"
        + "x|" * (size // 6) + "\n",
        "# headings, 200 KB": "# a\n" * (size // 4),
    }
    for name, template in lines.items():
        out[f"{name} × {MAX_INPUT_LINES - 1:,} lines"] = line_case(template, size)
    return out


def timed(repeat: int, call: Callable[[], str]) -> tuple[float, str]:
    """Return the median wall time of `repeat` calls, in seconds, and the last outcome."""
    times, outcome = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        outcome = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), outcome


def render_outcome(text: str) -> str:
    """Render `text` and say whether it rendered or where it was refused."""
    try:
        render(text)
    except MarkupInputTooLarge as exc:
        return f"refused, line {exc.line}"
    return "rendered"


def main(argv: list[str] | None = None) -> int:
    """Print the timing table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bare", action="store_true", help="also time bare markdown-it-py")
    parser.add_argument("names", nargs="*", help="only these cases (default: all)")
    args = parser.parse_args(argv)

    bare = MarkdownIt("commonmark", {"html": False})
    inputs = cases(args.size)
    render_outcome(inputs["real lessons (ordinary)"])  # warm-up: imports, compiled patterns
    baseline, _ = timed(args.repeat, lambda: render_outcome(inputs["real lessons (ordinary)"]))
    header = f"{'input':34} {'chars':>7} {'lines':>6} {'seconds':>8} {'× ordinary':>10}  outcome"
    if args.bare:
        header += f"{'':12} {'bare md s':>9}"
    print(header)
    print("-" * len(header))
    slowest = ("", 0.0)
    for name, text in inputs.items():
        if args.names and name not in args.names:
            continue
        seconds, outcome = timed(args.repeat, lambda text=text: render_outcome(text))
        slowest = max(slowest, (name, seconds), key=lambda pair: pair[1])
        row = (
            f"{name:34} {len(text):>7} {text.count(chr(10)) + 1:>6} {seconds:>8.3f} "
            f"{seconds / baseline:>10.2f}  {outcome:20}"
        )
        if args.bare:
            bare_seconds, _ = timed(1, lambda text=text: bare.render(text))
            row += f" {bare_seconds:>9.3f}"
        print(row, flush=True)
    verdict = "met" if slowest[1] < TARGET_SECONDS else "NOT met"
    print(f"\nslowest: {slowest[0]} at {slowest[1]:.3f} s; target < {TARGET_SECONDS} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
