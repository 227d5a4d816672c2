"""Keyboard leftovers: Telex or VNI keys typed while the input method was off.

"cair cachs hanhf chinhs" is "cải cách hành chính" typed in Telex, "mo65t cu73a" is "một cửa"
in VNI. A word is decoded only when it reads as one Vietnamese syllable with the keys applied
(a consonant onset, one to three vowels, an allowed final consonant, at least one key used),
and replaced only when the index holds no word as typed but holds the decoded one. Real
Vietnamese, typed with or without diacritics, never contains these keys in these places, and
ordinary English words and numbers do not read as a syllable ("index", "email", "2025"), so
both are left alone.
"""

from __future__ import annotations

import re
import unicodedata

from cchc_learn.search.analysis import WORD_RE, canonical_word
from cchc_learn.search.expansion import QueryFeature
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.schema import WORD_FIELDS
from cchc_learn.search.snapshot import IndexSnapshot

_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TELEX_TONES = {"s": _ACUTE, "f": _GRAVE, "r": _HOOK, "x": _TILDE, "j": _DOT}
_VNI_TONES = {"1": _ACUTE, "2": _GRAVE, "3": _HOOK, "4": _TILDE, "5": _DOT}
_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
_CODAS = frozenset({"", "c", "ch", "m", "n", "ng", "nh", "p", "t"})
_CODA_LETTERS = frozenset("cghmnpt")
# Vowel groups of Vietnamese syllables, without diacritics.
_NUCLEI = frozenset(
    "a e i o u y ai ao au ay eo eu ia ie iu oa oe oi oo ua ue ui uo uu uy ya ye "
    "ieu oai oay oao oeo uoi uou uya uye uyu uay uai yeu".split()
)
_MIN_LETTERS = 3
_MAX_LETTERS = 10
_CANDIDATE_RE = re.compile(r"[a-z][a-z0-9]*")


def decode(word: str) -> str | None:
    """Return the syllable a Telex or VNI key sequence spells, or None if it spells none."""
    word = word.lower()
    if not _CANDIDATE_RE.fullmatch(word) or not _MIN_LETTERS <= len(word) <= _MAX_LETTERS:
        return None
    crossed = False
    if word.startswith("dd"):
        word, crossed = word[1:], True
    elif word.startswith("d9"):
        word, crossed = "d" + word[2:], True
    onset = next((o for o in _ONSETS if word.startswith(o)), "")
    rest = word[len(onset) :]
    if onset == "gi" and not any(ch in "aeiouy" for ch in rest):
        # "gif" is "gì": the i is the vowel, not part of the onset.
        onset, rest = "g", "i" + rest
    vowels: list[list[str]] = []
    coda = ""
    tone = ""
    keys = 1 if crossed else 0
    for ch in rest:
        if ch in "aeiouy":
            previous = vowels[-1] if vowels else None
            if previous and previous[0] == ch and ch in "aeo" and not previous[1:]:
                previous.append(_CIRCUMFLEX)
                keys += 1
            elif coda or (previous and previous[1:] and previous[0] == ch and ch in "aeo"):
                return None
            else:
                vowels.append([ch])
        elif not vowels:
            return None
        elif ch == "w":
            if not _hook(vowels):
                return None
            keys += 1
        elif ch in _TELEX_TONES or ch in _VNI_TONES:
            if tone:
                return None
            tone = _TELEX_TONES.get(ch) or _VNI_TONES[ch]
            keys += 1
        elif ch in "678":
            if not _modify(vowels, ch):
                return None
            keys += 1
        elif ch == "9" and onset == "d" and not crossed:
            crossed = True
            keys += 1
        elif ch in _CODA_LETTERS:
            coda += ch
        else:
            return None
    nucleus = "".join(v[0] for v in vowels)
    if not keys or coda not in _CODAS or nucleus not in _NUCLEI:
        return None
    if tone:
        vowels[0].append(tone)
    letters = ("đ" + onset[1:] if crossed else onset) + "".join("".join(v) for v in vowels) + coda
    return canonical_word(unicodedata.normalize("NFC", letters))


def _hook(vowels: list[list[str]]) -> bool:
    """Apply Telex "w": ươ for "uo", ơ, ư or ă on the last fitting vowel."""
    last = vowels[-1]
    if last[0] == "o" and len(vowels) > 1 and vowels[-2][0] == "u":
        vowels[-2][1:] = [_HORN]
        last[1:] = [_HORN]
        return True
    for vowel in reversed(vowels):
        if vowel[0] in "ou" and not vowel[1:]:
            vowel.append(_HORN)
            return True
        if vowel[0] == "a" and not vowel[1:]:
            vowel.append(_BREVE)
            return True
    return False


def _modify(vowels: list[list[str]], key: str) -> bool:
    """Apply a VNI quality key: 6 circumflex (â ê ô), 7 horn (ơ ư), 8 breve (ă)."""
    if key == "7":
        fitting = [v for v in vowels if v[0] in "ou"]
        return bool(fitting) and _hook(fitting)
    fitting = "aeo" if key == "6" else "a"
    for vowel in reversed(vowels):
        if vowel[0] in fitting and not vowel[1:]:
            vowel.append(_CIRCUMFLEX if key == "6" else _BREVE)
            return True
    return False


def _frequency(snapshot: IndexSnapshot, word: str) -> int:
    """Return in how many documents a word occurs (the field where it occurs most)."""
    return max(snapshot.reader.doc_frequency(name, word) for name in WORD_FIELDS)


def repair_text(snapshot: IndexSnapshot, text: str) -> str | None:
    """Return the text with keyboard leftovers decoded, or None when nothing changes."""
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        typed = match.group()
        decoded = decode(typed)
        if decoded is None or decoded == canonical_word(typed):
            return typed
        if _frequency(snapshot, canonical_word(typed)) or not _frequency(snapshot, decoded):
            return typed
        changed = True
        return decoded.capitalize() if typed[:1].isupper() else decoded

    repaired = WORD_RE.sub(replace, text)
    return repaired if changed else None


def rewrite(snapshot: IndexSnapshot, plan: QueryPlan) -> str | None:
    """Return the plan's text with keyboard leftovers decoded, or None."""
    return repair_text(snapshot, plan.text)


FEATURE = QueryFeature("repair", rewrite=rewrite)
