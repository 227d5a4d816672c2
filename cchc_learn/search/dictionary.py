"""The domain dictionary (dictionary.yaml): abbreviations, document types, phrase synonyms.

The file is reviewed like content and read once, with yaml.safe_load and bounded sizes. Each
entry becomes rules "typing these words also looks for those": an abbreviation and its long
form both ways, the words of a synonym group each way, a paraphrase one way, and a document
type's code towards its name. Words are compared folded, so a rule applies however the query
was accented; what is looked for keeps the dictionary's own accents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cchc_learn.search.analysis import fold_word, query_words
from cchc_learn.search.expansion import (
    PARAPHRASE,
    SYNONYM,
    Additions,
    Alternative,
    QueryFeature,
)
from cchc_learn.search.query import QueryPlan
from cchc_learn.search.snapshot import IndexSnapshot

DICTIONARY_FILE = Path(__file__).with_name("dictionary.yaml")
MAX_FILE_BYTES = 64_000
MAX_ENTRIES = 400
MAX_FORM_WORDS = 12
MAX_FORM_CHARS = 120
_SECTIONS = ("document_types", "abbreviations", "synonyms", "paraphrases", "how_to")


class DictionaryError(Exception):
    """The dictionary file is missing, too large or not in the expected shape."""


@dataclass(frozen=True)
class DocumentType:
    """A document type: the code used in numbers (folded) and the type's name (canonical)."""

    code: str
    name: tuple[str, ...]
    expand: bool = True

    @property
    def folded_name(self) -> tuple[str, ...]:
        """Return the name's words without diacritics."""
        return tuple(fold_word(w) for w in self.name)


@dataclass(frozen=True)
class Rule:
    """Typing the folded words of source also looks for each target (canonical words).

    paraphrase: the source is a plain way of saying the targets (paraphrases), not another
    name for the same thing; its words scattered in a text are no literal match of it.
    """

    source: tuple[str, ...]
    targets: tuple[tuple[str, ...], ...]
    paraphrase: bool = False


@dataclass(frozen=True)
class Entry:
    """One entry as written in the file: its forms and whether each form finds the others."""

    section: str
    forms: tuple[str, ...]
    both_ways: bool


@dataclass
class Dictionary:
    """The parsed dictionary with its rules indexed by their first folded word."""

    types: tuple[DocumentType, ...] = ()
    entries: tuple[Entry, ...] = ()
    how_to: tuple[tuple[str, ...], ...] = ()
    rules: dict[str, list[Rule]] = field(default_factory=dict)

    def type_codes(self) -> dict[str, DocumentType]:
        """Return the document types by folded code."""
        return {t.code: t for t in self.types}

    def matches(self, folded: list[str]) -> list[tuple[int, int, Rule]]:
        """Return (start, end, rule) for every rule whose source occurs in the folded words."""
        found = []
        for start, word in enumerate(folded):
            for rule in self.rules.get(word, ()):
                end = start + len(rule.source)
                if tuple(folded[start:end]) == rule.source:
                    found.append((start, end, rule))
        return found


def _words(text: object, where: str) -> tuple[str, ...]:
    """Return the canonical words of one form, or raise DictionaryError."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_FORM_CHARS:
        raise DictionaryError(f"{where}: cần một cụm từ không rỗng, tối đa {MAX_FORM_CHARS} ký tự")
    words = tuple(query_words(text))
    if not words or len(words) > MAX_FORM_WORDS:
        raise DictionaryError(f"{where}: cụm từ phải có từ 1 đến {MAX_FORM_WORDS} từ")
    return words


def _forms(value: object, where: str) -> list[str]:
    """Return a non-empty list of strings, or raise DictionaryError."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise DictionaryError(f"{where}: cần một danh sách cụm từ")
    return value


def _mapping(value: object, keys: set[str], where: str) -> dict:
    """Return value if it is a mapping holding only known keys, or raise DictionaryError."""
    if not isinstance(value, dict) or not set(value) <= keys:
        raise DictionaryError(f"{where}: cần các khóa {sorted(keys)}")
    return value


def _fold(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(fold_word(w) for w in words)


def parse(text: str) -> Dictionary:
    """Parse the dictionary's YAML text; raise DictionaryError on anything unexpected."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise DictionaryError(f"từ điển quá lớn (tối đa {MAX_FILE_BYTES} byte)")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DictionaryError(f"từ điển không đọc được: {exc}") from exc
    data = _mapping(data, set(_SECTIONS), "từ điển")
    sections = {name: data.get(name) or [] for name in _SECTIONS}
    if not all(isinstance(v, list) for v in sections.values()):
        raise DictionaryError("mỗi mục của từ điển phải là một danh sách")
    if sum(len(v) for v in sections.values()) > MAX_ENTRIES:
        raise DictionaryError(f"từ điển có quá {MAX_ENTRIES} mục")
    result = Dictionary()
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    paraphrases: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    entries: list[Entry] = []
    types: list[DocumentType] = []
    for i, item in enumerate(sections["document_types"]):
        where = f"document_types[{i}]"
        item = _mapping(item, {"code", "name", "expand"}, where)
        code = _words(item.get("code"), where + ".code")
        name = _words(item.get("name"), where + ".name")
        if len(code) != 1:
            raise DictionaryError(f"{where}.code: mã loại văn bản là một từ")
        expand = item.get("expand", True)
        if not isinstance(expand, bool):
            raise DictionaryError(f"{where}.expand: cần true hoặc false")
        types.append(DocumentType(fold_word(code[0]), name, expand))
        entries.append(Entry("document_types", (item["code"], item["name"]), False))
        if expand:
            pairs.append((code, name))
    for i, item in enumerate(sections["abbreviations"]):
        where = f"abbreviations[{i}]"
        item = _mapping(item, {"short", "long"}, where)
        short = _words(item.get("short"), where + ".short")
        longs = [_words(f, where + ".long") for f in _forms(item.get("long"), where + ".long")]
        entries.append(Entry("abbreviations", (item["short"], *item["long"]), True))
        for form in longs:
            pairs += [(short, form), (form, short)]
    for i, group in enumerate(sections["synonyms"]):
        where = f"synonyms[{i}]"
        forms = _forms(group, where)
        if len(forms) < 2:
            raise DictionaryError(f"{where}: một nhóm đồng nghĩa cần ít nhất hai cụm")
        parsed = [_words(f, where) for f in forms]
        entries.append(Entry("synonyms", tuple(forms), True))
        pairs += [(a, b) for a in parsed for b in parsed if a != b]
    for i, item in enumerate(sections["paraphrases"]):
        where = f"paraphrases[{i}]"
        item = _mapping(item, {"from", "to"}, where)
        source = _words(item.get("from"), where + ".from")
        targets = [_words(f, where + ".to") for f in _forms(item.get("to"), where + ".to")]
        entries.append(Entry("paraphrases", (item["from"], *item["to"]), False))
        paraphrases += [(source, target) for target in targets]
    cues = [_fold(_words(cue, f"how_to[{i}]")) for i, cue in enumerate(sections["how_to"])]
    for found, paraphrase in ((pairs, False), (paraphrases, True)):
        grouped: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for source, target in found:
            targets = grouped.setdefault(_fold(source), [])
            if target not in targets and _fold(target) != _fold(source):
                targets.append(target)
        for source, targets in grouped.items():
            rule = Rule(source, tuple(targets), paraphrase)
            result.rules.setdefault(source[0], []).append(rule)
    result.types = tuple(types)
    result.entries = tuple(entries)
    result.how_to = tuple(cues)
    return result


@lru_cache(maxsize=4)
def load(path: Path = DICTIONARY_FILE) -> Dictionary:
    """Read and parse the dictionary file once per path."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DictionaryError(f"không đọc được từ điển {path}: {exc}") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise DictionaryError(f"từ điển quá lớn (tối đa {MAX_FILE_BYTES} byte)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DictionaryError(f"từ điển {path} không phải UTF-8") from exc
    return parse(text)


def expand(snapshot: IndexSnapshot, plan: QueryPlan, additions: Additions) -> None:
    """Add the dictionary's alternatives for the words typed, and note a how-to question.

    The words of a how-to cue ("như thế nào", "là gì") say what kind of answer is wanted, not
    what it holds: they still score, but a result need not contain them.
    """
    dictionary = load()
    folded = [fold_word(word) for word in plan.sequence]
    for start, end, rule in dictionary.matches(folded):
        covers = tuple(plan.sequence[start:end])
        source = PARAPHRASE if rule.paraphrase else SYNONYM
        for target in rule.targets:
            additions.add_alternative(Alternative(covers, target, source))
    for cue in dictionary.how_to:
        for start in range(len(folded)):
            if tuple(folded[start : start + len(cue)]) == cue:
                additions.how_to = True
                plan.optional.update(plan.sequence[start : start + len(cue)])


FEATURE = QueryFeature("dictionary", expand=expand)
