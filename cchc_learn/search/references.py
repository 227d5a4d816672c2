"""Document references typed the short way: "nđ 61/2018", "61/nđ-cp", "qđ 4599 an giang".

A reference is a serial number (leading zeros ignored) with what was typed around it: a
document type (its name or its code, from the dictionary), a year ("năm 2025", "/2018") and
other code words (the issuer's: CP, UBND, BYT…), in any order, with or without diacritics.
It is read only where a number is clearly meant: next to a type, joined to other parts by
"/" or "-", in a short query that names a type, or in a query of digits alone ("1610").

A document matches when the first number of its own number is the serial; it is named
exactly when every type and year typed agrees too (and every code joined to the serial, as
in "4599 / QĐ - UBND"), partly when one of them disagrees; partial matches count only when
no document matches exactly. Both rank above text matches; the words stay text as well, so
the issuer or province typed ("an giang", "cục thuế") orders documents sharing a serial, and
a reference that matches no number leaves an ordinary text search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc_learn.search.analysis import MAX_TOKEN_CHARS, canonical_word, fold_word, query_words
from cchc_learn.search.dictionary import Dictionary, DocumentType
from cchc_learn.search.dictionary import load as load_dictionary
from cchc_learn.search.expansion import Additions, QueryFeature
from cchc_learn.search.matching import number_docs, phrase_docs
from cchc_learn.search.query import MAX_NUMBERS, MAX_WORDS, NUMBER_RE, QueryPlan
from cchc_learn.search.schema import NUMBER_FIELD
from cchc_learn.search.snapshot import IndexSnapshot

# Bonuses: an exact reference ranks just below a full number typed as written (1000).
EXACT_BONUS = 800.0
PART_BONUS = 40.0
PARTIAL_BONUS = 300.0
# A query of at most this many words that names a type may hold its parts in any order.
SHORT_QUERY = 8
MAX_SERIAL_DIGITS = 6
MAX_PARTS = 4
YEARS = range(1945, 2101)
_FILLERS = frozenset({"so", "nam", "ngay", "va"})
_TOKEN_RE = re.compile(r"\w+")
_GROUP_RE = re.compile(r"[a-z]+|\d+")
_QUOTED_RE = re.compile(r"[\"“”„«»][^\"“”„«»]*[\"“”„«»]")
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Reference:
    """A document reference read from a query; every value folded."""

    serial: str
    type: DocumentType | None = None
    year: str | None = None
    # Code words typed near the serial: each one the document's number holds earns a little.
    parts: tuple[str, ...] = ()
    # Code words joined to the serial ("4599/QĐ-UBND" typed with spaces): all must agree.
    joined: tuple[str, ...] = ()
    # The words that only said "a number follows": the type's name or code, "số", "năm".
    consumed: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Token:
    folded: str
    joined: bool  # joined to the previous token by "/" or "-"


@dataclass(frozen=True)
class _Number:
    """A document's own number, read once from its stored fields."""

    serial: str
    year: str | None
    codes: frozenset[str]
    type_name: tuple[str, ...]


def _consumed(
    words: list[str], in_mention: set[int], doc_type: DocumentType | None
) -> tuple[str, ...]:
    """Return the words that only announce a number: the type's name or code, "số", "năm"."""
    naming = {doc_type.code, *doc_type.folded_name} if doc_type else set()
    found = [
        word
        for j, word in enumerate(words)
        if (j in in_mention and word in naming)
        or (word in ("so", "nam") and j + 1 < len(words) and words[j + 1].isdigit())
    ]
    return tuple(dict.fromkeys(found))


def _is_year(word: str) -> bool:
    """Return True for four digits that can be a document's year."""
    return len(word) == 4 and word.isdigit() and int(word) in YEARS


def _serial(digits: str) -> str:
    """Return the value of a run of digits as text, without leading zeros."""
    return digits.lstrip("0") or "0"


def _tokens(text: str) -> list[_Token]:
    """Return the folded words of a text, each noting whether "/" or "-" joins it to the last."""
    tokens: list[_Token] = []
    end = None
    for match in _TOKEN_RE.finditer(text):
        raw = match.group()
        if len(raw) > MAX_TOKEN_CHARS:
            end = None
            continue
        gap = text[end : match.start()].replace(" ", "") if end is not None else " "
        tokens.append(_Token(fold_word(canonical_word(raw)), gap in ("/", "-")))
        end = match.end()
    return tokens


def _mentions(tokens: list[_Token], dictionary: Dictionary) -> dict[int, tuple[int, DocumentType]]:
    """Return {start: (end, type)} for each type name or code in the tokens (longest first)."""
    codes = dictionary.type_codes()
    names = sorted(dictionary.types, key=lambda t: -len(t.name))
    found: dict[int, tuple[int, DocumentType]] = {}
    words = [t.folded for t in tokens]
    for i, word in enumerate(words):
        for doc_type in names:
            name = doc_type.folded_name
            if tuple(words[i : i + len(name)]) == name:
                found[i] = (i + len(name), doc_type)
                break
        else:
            if word in codes:
                found[i] = (i + 1, codes[word])
    return found


def parse(text: str, dictionary: Dictionary | None = None) -> list[Reference]:
    """Return the references a query holds (at most MAX_NUMBERS); never raises."""
    dictionary = dictionary or load_dictionary()
    tokens = _tokens(_QUOTED_RE.sub(" ", text))[: MAX_WORDS * 4]
    words = [t.folded for t in tokens]
    mentions = _mentions(tokens, dictionary)
    in_mention = {j for start, (end, _) in mentions.items() for j in range(start, end)}
    ends = {end: doc_type for _, (end, doc_type) in mentions.items()}
    short = len(tokens) <= SHORT_QUERY
    digits_only = bool(words) and all(w.isdigit() for w in words)
    # A year follows "năm" or is joined to the number before it ("61/2018").
    years = {
        i
        for i, w in enumerate(words)
        if i > 0 and _is_year(w)
        and (words[i - 1] == "nam" or (tokens[i].joined and words[i - 1].isdigit()))
    }
    references: list[Reference] = []
    for i, word in enumerate(words):
        if not word.isdigit() or i in years or len(_serial(word)) > MAX_SERIAL_DIGITS:
            continue
        if _serial(word) == "0" or (tokens[i].joined and words[i - 1].isdigit()):
            continue
        before = i - 1 if i > 0 and words[i - 1] != "so" else i - 2
        doc_type = ends.get(before + 1) if before >= 0 else None
        after = mentions.get(i + 1)
        if doc_type is None and after is not None:
            doc_type = after[1]
        if doc_type is None and short and mentions:
            doc_type = min(mentions.items(), key=lambda m: abs(m[0] - i))[1][1]
        # The parts joined to the serial ("61/2018/nđ-cp"), and in a short query every word.
        chain = [i + 1]
        while chain[-1] < len(tokens) and tokens[chain[-1]].joined:
            chain.append(chain[-1] + 1)
        joined_words = words[i + 1 : chain[-1]]
        if joined_words and all(w.isdigit() for w in joined_words):
            # "61/2018" is a number and its year; "20/01/2023" and "15/11" are dates.
            if len(joined_words) > 1 or not _is_year(joined_words[0]):
                continue
        chained = bool(joined_words)
        if doc_type is None and not chained and not digits_only:
            continue
        nearby = set(range(i + 1, chain[-1])) | (set(range(len(words))) if short else set())
        year = next((words[j] for j in sorted(nearby) if j in years), None)
        parts = tuple(
            dict.fromkeys(
                words[j]
                for j in sorted(nearby)
                if j != i and j not in in_mention and words[j].isalpha()
                and words[j] not in _FILLERS and (doc_type is None or words[j] != doc_type.code)
            )
        )[:MAX_PARTS]
        joined = tuple(dict.fromkeys(w for w in words[i + 1 : chain[-1]] if w in parts))
        consumed = _consumed(words, in_mention, doc_type)
        reference = Reference(_serial(word), doc_type, year, parts, joined, consumed)
        if reference not in references:
            references.append(reference)
        if len(references) >= MAX_NUMBERS:
            break
    return references


def _serial_terms(snapshot: IndexSnapshot) -> dict[str, list[str]]:
    """Return, by value, the digit terms of the number field (cached with the snapshot)."""
    cached = snapshot.extras.get("serial_terms")
    if isinstance(cached, dict):
        return cached
    terms: dict[str, list[str]] = {}
    for raw, _ in snapshot.reader.iter_field(NUMBER_FIELD):
        term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if term.isdigit() and len(term) <= MAX_SERIAL_DIGITS + 2:
            terms.setdefault(_serial(term), []).append(term)
    snapshot.extras["serial_terms"] = terms
    return terms


def _doc_number(snapshot: IndexSnapshot, doc: int) -> _Number:
    """Return a document's own number, type and year, read once per snapshot."""
    cache = snapshot.extras.setdefault("doc_numbers", {})
    found = cache.get(doc)  # type: ignore[union-attr]
    if found is not None:
        return found
    stored = snapshot.searcher.stored_fields(doc)
    words = query_words(stored.get("number") or "")
    groups = _GROUP_RE.findall(" ".join(fold_word(w) for w in words))
    digits = [g for g in groups if g.isdigit()]
    serial = _serial(digits[0]) if digits else ""
    year = next((g for g in digits[1:] if len(g) == 4 and int(g) in YEARS), None)
    year = year or (stored.get("year") or None)
    type_name = tuple(fold_word(w) for w in query_words(stored.get("type") or ""))
    number = _Number(serial, year, frozenset(g for g in groups if g.isalpha()), type_name)
    if len(cache) > _CACHE_LIMIT:  # type: ignore[arg-type]
        cache.clear()  # type: ignore[union-attr]
    cache[doc] = number  # type: ignore[index]
    return number


def match(snapshot: IndexSnapshot, reference: Reference) -> dict[int, tuple[bool, int]]:
    """Return {document: (named exactly, parts that agree)} for the documents it points to."""
    docs: set[int] = set()
    for term in _serial_terms(snapshot).get(reference.serial, ()):
        docs |= snapshot.doc_set(NUMBER_FIELD, term)
    found: dict[int, tuple[bool, int]] = {}
    for doc in docs:
        number = _doc_number(snapshot, doc)
        if number.serial != reference.serial:
            continue
        agrees = True
        if reference.type is not None:
            agrees = (
                reference.type.code in number.codes
                or reference.type.folded_name == number.type_name
            )
        if reference.year is not None and number.year != reference.year:
            agrees = False
        if not set(reference.joined) <= number.codes:
            agrees = False
        found[doc] = (agrees, sum(part in number.codes for part in reference.parts))
    return found


def _settle_numbers(snapshot: IndexSnapshot, plan: QueryPlan, additions: Additions) -> str:
    """Keep the full numbers that match something; return the text left to read references in.

    A full number no document holds ("61/nđ-cp" for 61/2018/NĐ-CP) is no longer required:
    its words become ordinary words and its parts are read as a reference.
    """
    text = plan.text
    kept: list[tuple[str, ...]] = []
    for number in plan.numbers:
        exact = additions.numbers[number] = number_docs(snapshot, number)
        if exact or phrase_docs(snapshot, number):
            kept.append(number)
        else:
            for word in number:
                if word not in plan.words and len(plan.words) < MAX_WORDS:
                    plan.words.append(word)
    for found in NUMBER_RE.finditer(text):
        if tuple(query_words(found.group())) in kept:
            text = text[: found.start()] + " " * len(found.group()) + text[found.end() :]
    plan.numbers = kept
    return text


def expand(snapshot: IndexSnapshot, plan: QueryPlan, additions: Additions) -> None:
    """Give the documents each reference points to their bonus."""
    text = _settle_numbers(snapshot, plan, additions)
    # References replace the older "type + digits" and "digits QĐ UBND" hints.
    plan.number_hints = []
    plan.number_runs = []
    consumed: set[str] = set()
    for reference in parse(text):
        found = match(snapshot, reference)
        if found:
            consumed.update(reference.consumed)
        # Documents that agree only in part count when none agrees in full.
        exact = any(agrees for agrees, _ in found.values())
        for doc, (agrees, parts) in found.items():
            if agrees:
                additions.add_bonus(doc, EXACT_BONUS + PART_BONUS * parts)
                additions.named.add(doc)
            elif not exact:
                additions.add_bonus(doc, PARTIAL_BONUS + PART_BONUS * parts)
    if consumed:
        _drop_words(plan, consumed)


def _drop_words(plan: QueryPlan, consumed: set[str]) -> None:
    """Leave out of the text the words a matched reference used up ("nghị định", "số").

    They only said that a number follows; as text they would match nearly every document
    (and cost the most to score). The serial, the year and every other word stay text.
    """
    kept = [w for w in plan.words if fold_word(w) not in consumed]
    if not kept:
        return
    plan.words = kept
    plan.adjacent = [
        (a, b)
        for a, b in plan.adjacent
        if fold_word(a) not in consumed and fold_word(b) not in consumed
    ]
    plan.sequence = [w for w in plan.sequence if fold_word(w) not in consumed]


FEATURE = QueryFeature("references", expand=expand)
