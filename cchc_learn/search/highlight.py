"""Snippets: the best stretch of a text around the query words, escaped, hits in <mark>."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from cchc_learn.search.analysis import canonical_word, fold_word, normalize_text

SNIPPET_CHARS = 240
# Hits collected per text, and how far into a text they are looked for: a long document's
# first 50,000 characters nearly always hold a good stretch, and scanning costs.
_MAX_HITS = 400
_MAX_SCAN = 50_000
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    """Return, for each folded letter, a regex class of every Latin letter folding to it."""
    variants: dict[str, set[str]] = {}
    for code in (
        *range(0x41, 0x5B),
        *range(0x61, 0x7B),
        *range(0xC0, 0x250),
        *range(0x1E00, 0x1F00),
    ):
        ch = chr(code)
        if not ch.isalpha():
            continue
        base = fold_word(ch.lower())
        if len(base) == 1 and "a" <= base <= "z":
            forms = {ch, ch.lower(), ch.upper()}
            variants.setdefault(base, set()).update(f for f in forms if len(f) == 1)
    return {base: "[" + "".join(sorted(chars)) + "]" for base, chars in variants.items()}


@lru_cache(maxsize=256)
def _pattern(skeletons: tuple[str, ...]) -> re.Pattern[str]:
    """Return a regex finding any of the folded words, whatever their accents or case."""
    classes = _letter_classes()
    parts = [
        "".join(classes.get(ch, re.escape(ch)) for ch in skeleton)
        for skeleton in sorted(skeletons, key=len, reverse=True)
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def find_hits(text: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Return (start, end, query word) for each place the text holds one of the words.

    An accented query word matches only itself (any tone placement, any case); an
    unaccented one matches every accented variant, as in search.
    """
    words = set(words)
    if not words or not text:
        return []
    skeletons = tuple(sorted({fold_word(w) for w in words}))
    unaccented = {w for w in words if fold_word(w) == w}
    hits: list[tuple[int, int, str]] = []
    for match in _pattern(skeletons).finditer(text, 0, _MAX_SCAN):
        word = canonical_word(match.group())
        if word in words:
            hits.append((match.start(), match.end(), word))
        elif fold_word(word) in unaccented:
            hits.append((match.start(), match.end(), fold_word(word)))
        if len(hits) >= _MAX_HITS:
            break
    return hits


def _best_window(hits: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """Return (index of first hit, distinct words) of the window holding most distinct words."""
    best = (0, 0)
    counts: dict[str, int] = {}
    end = 0
    for i, (start, _, word) in enumerate(hits):
        end = max(end, i)
        while end < len(hits) and (end == i or hits[end][1] - start <= width):
            counts[hits[end][2]] = counts.get(hits[end][2], 0) + 1
            end += 1
        if len(counts) > best[1]:
            best = (i, len(counts))
        counts[word] -= 1
        if not counts[word]:
            del counts[word]
    return best


def _clip(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words."""
    while start > 0 and not text[start - 1].isspace() and end - start < SNIPPET_CHARS * 2:
        start -= 1
    while end < len(text) and not text[end].isspace() and end - start < SNIPPET_CHARS * 2:
        end += 1
    return start, end


def _render(text: str, start: int, end: int, hits: list[tuple[int, int, str]]) -> str:
    """Escape text[start:end] and wrap the hits inside it in <mark>."""
    out = ["…"] if start > 0 else []
    cursor = start
    for hit_start, hit_end, _ in hits:
        if hit_start < cursor or hit_end > end:
            continue
        out.append(html.escape(text[cursor:hit_start], quote=False))
        out.append("<mark>" + html.escape(text[hit_start:hit_end], quote=False) + "</mark>")
        cursor = hit_end
    out.append(html.escape(text[cursor:end], quote=False))
    if end < len(text):
        out.append("…")
    return _SPACE_RE.sub(" ", "".join(out)).strip()


def make_snippet(texts: Iterable[str], words: Iterable[str], width: int = SNIPPET_CHARS) -> str:
    """Return safe HTML: the stretch of the texts holding most query words, hits marked.

    Texts are tried in order (e.g. summary, then body); with no hit anywhere, the opening of
    the first non-empty text is shown without marks.
    """
    words = set(words)
    best: tuple[int, str, list[tuple[int, int, str]], int] | None = None
    first_text = ""
    for raw in texts:
        text = normalize_text(raw or "")
        if not text.strip():
            continue
        first_text = first_text or text
        hits = find_hits(text, words)
        if not hits:
            continue
        index, distinct = _best_window(hits, width)
        if best is None or distinct > best[0]:
            best = (distinct, text, hits, index)
    if best is None:
        if not first_text:
            return ""
        _, end = _clip(first_text, 0, min(len(first_text), width))
        return _render(first_text, 0, end, [])
    _, text, hits, index = best
    anchor = hits[index][0]
    # Some words before the first hit give it context.
    start, end = _clip(text, max(0, anchor - width // 4), min(len(text), anchor + width))
    return _render(text, start, end, hits)
