"""The domain dictionary: every entry works both ways it claims, and a bad file is refused."""

from __future__ import annotations

import pytest
from search_engine_samples import build_index, keys, make_doc

from cchc_learn.search import expansion
from cchc_learn.search.analysis import fold_word, query_words
from cchc_learn.search.dictionary import (
    MAX_FILE_BYTES,
    DictionaryError,
    load,
    parse,
)
from cchc_learn.search.query import plan_query

DICTIONARY = load()


def _directions() -> list[tuple[str, str, str]]:
    """Return (entry id, typed form, form it must find) for every entry that expands."""
    found = []
    types = iter(DICTIONARY.types)
    for i, entry in enumerate(DICTIONARY.entries):
        name = f"{entry.section}[{i}]:{entry.forms[0]}"
        if entry.section == "document_types":
            if next(types).expand:
                found.append((name, entry.forms[0], entry.forms[1]))
        elif entry.both_ways:
            found += [(name, a, b) for a in entry.forms for b in entry.forms if a != b]
        else:
            found += [(name, entry.forms[0], target) for target in entry.forms[1:]]
    return found


DIRECTIONS = _directions()


def test_every_entry_that_expands_is_tested():
    named = {name for name, _, _ in DIRECTIONS}
    kept = [t for t in DICTIONARY.types if not t.expand]
    assert len(named) == len(DICTIONARY.entries) - len(kept)
    assert [t.code for t in kept] == ["da"]
    assert len(DICTIONARY.entries) >= 60


@pytest.mark.parametrize(("entry", "typed", "target"), DIRECTIONS, ids=[d[0] for d in DIRECTIONS])
def test_entry_finds_the_other_form_just_below_the_literal_one(tmp_path, entry, typed, target):
    docs = [
        make_doc("lesson:1", title="Bài một", body=f"Tài liệu này viết về {typed} ở địa phương."),
        make_doc("lesson:2", title="Bài hai", body=f"Tài liệu này viết về {target} ở địa phương."),
        make_doc("lesson:3", title="Bài ba", body="Tài liệu này viết về thời tiết ở địa phương."),
    ]
    index = build_index(tmp_path / "index", docs)
    found = keys(index.search(typed))
    if entry.startswith("paraphrases"):
        # A plain way of saying a term finds the term; it has no literal rank to stay below.
        assert set(found[:2]) == {"lesson:1", "lesson:2"}, (typed, target, found)
    else:
        assert found[:2] == ["lesson:1", "lesson:2"], (typed, target, found)
    assert "lesson:3" not in found
    index.close()


def test_a_type_code_that_is_also_a_word_is_not_expanded(tmp_path):
    docs = [make_doc("lesson:1", body="Đề án tăng cường năng lực.")]
    index = build_index(tmp_path / "index", docs)
    assert keys(index.search("đa")) == []
    index.close()


@pytest.mark.parametrize("cue", [" ".join(words) for words in DICTIONARY.how_to])
def test_each_how_to_cue_marks_a_question_and_is_not_required(tmp_path, cue):
    index = build_index(tmp_path / "index", [make_doc("lesson:1", body="Tiếp nhận hồ sơ.")])
    snapshot = index._open_snapshot()
    plan, additions = expansion.prepare(snapshot, plan_query(f"tiếp nhận hồ sơ {cue}"), ())
    assert additions.how_to is False
    from cchc_learn.search.features import DEFAULT_FEATURES

    plan, additions = expansion.prepare(
        snapshot, plan_query(f"tiếp nhận hồ sơ {cue}"), DEFAULT_FEATURES
    )
    assert additions.how_to is True
    assert {fold_word(w) for w in plan.optional} == set(cue.split())
    assert keys(index.search(f"tiếp nhận hồ sơ {cue}")) == ["lesson:1"]
    index.close()


def test_forms_keep_their_accents_and_match_without_them():
    rules = {rule.source: rule for rules in DICTIONARY.rules.values() for rule in rules}
    rule = rules[("cchc",)]
    assert tuple(query_words("cải cách hành chính")) in rule.targets
    assert ("cchc",) in rules[("cai", "cach", "hanh", "chinh")].targets


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "cần các khóa"),
        ("abbreviations: {short: X}\n", "danh sách"),
        ("abbreviations:\n  - {short: X, long: [], extra: 1}\n", "cần các khóa"),
        ("abbreviations:\n  - {short: '', long: [a]}\n", "không rỗng"),
        ("synonyms:\n  - [một mình]\n", "ít nhất hai"),
        ("abbreviations:\n  - {short: X, long: [" + "từ " * 20 + "]}\n", "từ 1 đến"),
        ("document_types:\n  - {code: Q Đ, name: quyết định}\n", "một từ"),
        ("document_types:\n  - {code: QĐ, name: quyết định, expand: maybe}\n", "true hoặc false"),
        ("abbreviations: [\n", "không đọc được"),
        ("!!python/object:os.system 'echo'\n", "không đọc được"),
        ("x" * (MAX_FILE_BYTES + 1), "quá lớn"),
        ("synonyms:\n" + "  - [a, b]\n" * 401, "quá 400"),
    ],
)
def test_a_bad_dictionary_is_refused_with_a_reason(text, message):
    with pytest.raises(DictionaryError, match=message):
        parse(text)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(DictionaryError):
        load(tmp_path / "missing.yaml")
