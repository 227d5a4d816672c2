"""One wrong letter or tone, d for đ, doubled letters, words run together: tolerated sparingly."""

from __future__ import annotations

import pytest
from search_engine_samples import CORPUS, build_index, keys

from cchc_learn.search import expansion
from cchc_learn.search.expansion import SPELLING
from cchc_learn.search.features import DEFAULT_FEATURES
from cchc_learn.search.query import plan_query


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("spelling") / "index", CORPUS)


def _spelling(index, typed: str) -> dict[str, tuple[str, ...]]:
    snapshot = index._open_snapshot()
    _, additions = expansion.prepare(snapshot, plan_query(typed), DEFAULT_FEATURES)
    return {a.covers[0]: a.words for a in additions.alternatives if a.source == SPELLING}


@pytest.mark.parametrize(
    ("typed", "word", "meant"),
    [
        ("cải cáhc hành chính", "cáhc", ("cách",)),  # two letters swapped
        ("cai cachh hanh chinh", "cachh", ("cach",)),  # a doubled letter
        ("cai cac hanh chinh", "cac", None),  # too short to guess: left alone
        ("quyêt định", "quyêt", ("quyết",)),  # a missing tone
        ("quyết đinh", "đinh", ("định",)),  # a missing dot
        ("dề án", "dề", ("đề",)),  # d for đ
        ("thủ tuc hành chinh", "tuc", None),  # unaccented words are not errors
        ("motcua", "motcua", ("mot", "cua")),  # two words run together
    ],
)
def test_the_error_gets_one_alternative(index, typed, word, meant):
    found = _spelling(index, typed)
    assert found.get(word) == meant


@pytest.mark.parametrize(
    ("typed", "same_as"),
    [
        ("cải cáhc hành chính", "cải cách hành chính"),
        ("quyêt định", "quyết định"),
        ("dề án tăng cường", "đề án tăng cường"),
        ("motcua", "một cửa"),
    ],
)
def test_the_error_finds_what_the_right_spelling_finds(index, typed, same_as):
    assert set(keys(index.search(typed))) == set(keys(index.search(same_as)))
    assert keys(index.search(typed))


def test_words_the_index_holds_get_no_alternative(index):
    assert _spelling(index, "thủ tục hành chính một cửa") == {}
    assert _spelling(index, "cai cach hanh chinh mot cua") == {}


def test_a_correction_ranks_below_a_literal_match(tmp_path):
    from search_engine_samples import make_doc

    docs = [
        make_doc("lesson:1", body="Tài liệu về thủ tục hành chính."),
        make_doc("lesson:2", body="Tài liệu về thủ tục hành chín."),
    ]
    index = build_index(tmp_path / "index", docs)
    # "chín" is a word of its own: the document holding it literally comes first.
    assert keys(index.search("thủ tục hành chín"))[0] == "lesson:2"
    index.close()


def test_a_common_syllable_is_not_flooded(index):
    # "hành" is everywhere; a wrong tone on it ("hãnh") gets one spelling, not every variant.
    found = _spelling(index, "hãnh chính")
    assert found == {"hãnh": ("hành",)}
    assert "hạnh" not in {w for words in found.values() for w in words}
