"""Time the Markdown renderer on hostile 200 KB inputs against ordinary lesson text.

Prints one row per input: seconds for `cchc_learn.markup.render` (parse, resolve, sanitize),
seconds for bare markdown-it-py on the same text (CommonMark, no plugins, no sanitizing) when
asked, and the ratio to a lesson of ordinary prose of the same size. A ratio near 1 means the
input costs what its size costs; quadratic behaviour shows up as ratios in the tens or more.

    python benchmarks/markup_hostile.py [--size 200000] [--repeat 3] [--bare] [CASE ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markdown_it import MarkdownIt  # noqa: E402

from cchc_learn.markup import render  # noqa: E402

LESSON = (
    "## Mục tiêu của Đề án\n\n"
    "Theo [[4599/QĐ-UBND|Đề án 4599]], **100 %** cán bộ, công chức làm công tác *cải cách "
    "hành chính* được tiếp cận tài liệu; xem thêm [cổng dịch vụ công](https://dichvucong.gov.vn/)"
    " và chú thích[^1].\n\n"
    "| Chỉ số | 2025 | 2030 |\n|:--|--:|--:|\n| Được đào tạo | > 85 % | > 95 % |\n\n"
    "- PAR-INDEX, PCI, PAPI\n- SIPAS, ICT-INDEX\n\n"
    '!!! note "Lưu ý"\n    Bộ phận một cửa tiếp nhận hồ sơ `TTHC`.\n\n'
    "[^1]: Nghị quyết [[76/NQ-CP]].\n\n"
)


def cases(size: int) -> dict[str, str]:
    """Return the inputs to time, each about `size` characters long."""
    return {
        "ordinary lesson": LESSON * (size // len(LESSON)),
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
        "\\* escapes": "\\*" * (size // 2),
        "&#x09; entities": "&#x09;" * (size // 6),
        "< × size": "<" * size,
        "# headings": "# a\n" * (size // 4),
        "!!! admonitions": "!!! note\n    " * (size // 13),
        "deflist": "a\n: b\n" * (size // 6),
        "table rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * (size // 6),
    }


def best_of(repeat: int, call: Callable[[], object]) -> float:
    """Return the median wall time of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    baseline = best_of(args.repeat, lambda: render(inputs["ordinary lesson"]))
    header = f"{'input':24} {'chars':>8} {'render s':>9} {'× lesson':>9}"
    if args.bare:
        header += f" {'bare md s':>10}"
    print(header)
    print("-" * len(header))
    for name, text in inputs.items():
        if args.names and name not in args.names:
            continue
        seconds = best_of(args.repeat, lambda text=text: render(text))
        row = f"{name:24} {len(text):>8} {seconds:>9.3f} {seconds / baseline:>9.2f}"
        if args.bare:
            row += f" {best_of(args.repeat, lambda text=text: bare.render(text)):>10.3f}"
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
