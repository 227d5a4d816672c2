"""Vietnamese text analysis: normalisation, tone placement, folding and the Whoosh tokenizer."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Token, Tokenizer

WORD_RE = re.compile(r"\w+")
# Longer runs are encoded blobs or garbage, never words someone searches for.
MAX_TOKEN_CHARS = 64

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_QUALITY = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aeiouy")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def normalize_text(text: str) -> str:
    """Return text in NFC with invisible control characters replaced by spaces."""
    return _CONTROL_RE.sub(" ", unicodedata.normalize("NFC", text))


def _split_letters(word: str) -> list[tuple[str, list[str]]] | None:
    """Split an NFD word into (base letter, combining marks); None if it is not plain Latin."""
    letters: list[tuple[str, list[str]]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            if not letters:
                return None
            letters[-1][1].append(ch)
        elif "a" <= ch <= "z" or ch == "đ":
            letters.append((ch, []))
        else:
            return None
    return letters


def _tone_target(letters: list[tuple[str, list[str]]], vowels: list[int]) -> int:
    """Return the index of the letter that carries the tone in canonical spelling.

    Typists differ only on open "oa", "oe", "uy" (hoá/hóa, khoẻ/khỏe, thuỷ/thủy); the old
    placement on the first vowel is canonical because it dominates in legal texts.
    """
    first = vowels[0]
    # "qu" and "gi" before another vowel are consonants: quý, giá, not qúy, gía.
    if len(vowels) > 1 and first > 0:
        onset = letters[first - 1][0] + letters[first][0]
        if onset in ("qu", "gi"):
            vowels = vowels[1:]
    marked = [i for i in vowels if any(m in _QUALITY for m in letters[i][1])]
    if marked:
        return marked[-1]
    if len(vowels) == 1:
        return vowels[0]
    if vowels[-1] < len(letters) - 1:
        return vowels[-1]
    if len(vowels) >= 3:
        return vowels[1]
    return vowels[0]


@lru_cache(maxsize=200_000)
def canonical_word(word: str) -> str:
    """Lowercase a word and put its tone mark where the canonical spelling has it."""
    word = unicodedata.normalize("NFC", word).lower()
    if word.isascii():
        return word
    letters = _split_letters(word)
    if not letters:
        return word
    tones = [m for _, marks in letters for m in marks if m in _TONES]
    if len(tones) != 1:
        return word
    vowels = [i for i, (base, _) in enumerate(letters) if base in _VOWELS]
    # A word with two separate vowel groups is not one Vietnamese syllable: leave it alone.
    if not vowels or vowels[-1] - vowels[0] != len(vowels) - 1:
        return word
    target = _tone_target(letters, vowels)
    tone = tones[0]
    rebuilt = []
    for i, (base, marks) in enumerate(letters):
        kept = [m for m in marks if m not in _TONES]
        if i == target:
            kept.append(tone)
        rebuilt.append(base + "".join(kept))
    return unicodedata.normalize("NFC", "".join(rebuilt))


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """Strip every diacritic from a lowercase word and map đ to d."""
    if word.isascii():
        return word
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch)
    )
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (canonical word, start, end) for each word of an already normalised text."""
    for match in WORD_RE.finditer(text):
        raw = match.group()
        if len(raw) <= MAX_TOKEN_CHARS:
            yield canonical_word(raw), match.start(), match.end()


def index_terms(text: str) -> tuple[list[str], list[str], list[str]]:
    """Return the DUAL, PLAIN and PAIRS terms of a text in one pass (see VietnameseTokenizer)."""
    dual: list[str] = []
    plain: list[str] = []
    pairs: list[str] = []
    previous = ""
    for word, _, _ in iter_words(normalize_text(text)):
        folded = fold_word(word)
        dual.append(word)
        if folded == word:
            plain.append(word)
        else:
            dual.append(folded)
        if previous:
            pairs.append(_pair(previous, folded))
        previous = folded
    return dual, plain, pairs


def query_words(text: str) -> list[str]:
    """Return the canonical words of a query as typed (accents kept)."""
    return [word for word, _, _ in iter_words(normalize_text(text))]


DUAL = "dual"
PLAIN = "plain"
PAIRS = "pairs"


def _pair(first_folded: str, second_folded: str) -> str:
    """Return the PAIRS term of two folded words."""
    return f"{first_folded} {second_folded}"


def word_pair(first: str, second: str) -> str:
    """Return the index term for two adjacent words: both folded, joined by a space."""
    return _pair(fold_word(first), fold_word(second))


class VietnameseTokenizer(Tokenizer):
    """Tokenize on \\w+ after NFC, lowercase and with canonical tone placement.

    form=DUAL (the main text fields): each accented word is indexed together with its folded
    form at the same position, so an unaccented query word matches every accented variant
    while an accented one matches only itself; at query time words are kept as typed.
    form=PLAIN: only the words written without any diacritic, so an unaccented query word
    found there is an exact match, not a folded one.
    form=PAIRS: each pair of adjacent words, folded, as one term; phrase queries and the
    proximity bonus look these up instead of checking word positions.
    """

    def __init__(self, form: str = DUAL):
        if form not in (DUAL, PLAIN, PAIRS):
            raise ValueError(f"unknown token form {form!r}")
        self.form = form

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VietnameseTokenizer) and other.form == self.form

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.form))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        """Yield tokens for value; see the class docstring."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        form = self.form
        with_folded = form == DUAL and mode != "query"
        pos = start_pos - 1
        previous: tuple[str, int] | None = None
        for word, start, end in iter_words(normalize_text(value)):
            pos += 1
            folded = fold_word(word)
            if form == PAIRS:
                if previous is None:
                    previous = (folded, start)
                    continue
                text = _pair(previous[0], folded)
                previous, start = (folded, start), previous[1]
            elif form == PLAIN and folded != word:
                continue
            else:
                text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            token.text = text
            if keeporiginal:
                token.original = text
            yield token
            if with_folded and folded != word:
                token.text = folded
                yield token
