"""Any text typed into the search box gives a result page, never an exception."""

from __future__ import annotations

import unicodedata

import pytest
from search_engine_samples import build_index, keys

from cchc_learn.search.engine import NO_WORDS, TOO_LONG
from cchc_learn.search.query import MAX_WORDS, plan_query

HOSTILE = [
    "",
    " ",
    "\t\n\r",
    "\x00",
    "\x01\x02\x1f\x7f",
    "a" * 10_000,
    "cải " * 2_500,
    " ".join(f"từ{i}" for i in range(3_000)),
    "((((",
    "))))",
    "[[[[",
    "]]]]",
    "{{{{",
    '"',
    '"""""',
    '"' * 1_001,
    '"cải cách',
    'cải" cách" "hành',
    "“cải cách”",
    "AND",
    "OR",
    "NOT",
    "AND OR NOT",
    "cải AND NOT cách OR",
    "title:cải",
    "body:(cải OR cách)",
    "number:4599*",
    "*",
    "?",
    "~",
    "^",
    "*:*",
    "cải*",
    "c?i",
    "cải~2",
    "cải^100",
    "[a TO z]",
    "{1 TO 9}",
    "date:>2020",
    "\\",
    '\\\\"\\',
    "'; DROP TABLE documents; --",
    "<script>alert(1)</script>",
    "%00%ff",
    "🙂🙃",
    "مرحبا",
    "\u202ecải\u202c",
    "e\u0301\u0301\u0301\u0301",
    unicodedata.normalize("NFD", "cải cách hành chính"),
    "\ud800",
    "4599/",
    "/QĐ-UBND",
    "4599//--//QĐ",
    "-" * 5_000,
    "/" * 5_000,
    "0" * 5_000,
    "1/2/3/4/5/6/7/8/9/0/a/b/c/d/e/f",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("hostile") / "index")


@pytest.mark.parametrize("typed", HOSTILE, ids=range(len(HOSTILE)))
def test_any_input_gives_a_page(index, typed):
    results = index.search(typed, filters={"year": [typed], "topic": [typed]})
    assert results.total >= 0
    assert isinstance(results.hits, list)
    results = index.search(typed, page=3, per_page=5)
    assert results.page == 3


@pytest.mark.parametrize("typed", ["", "   ", "\x00"])
def test_empty_query_finds_nothing_without_complaint(index, typed):
    results = index.search(typed)
    assert (results.total, results.hits, results.error) == (0, [], None)


@pytest.mark.parametrize("typed", ["((((", '"""', "*", "?~^", "-/-"])
def test_query_without_words_says_so_in_vietnamese(index, typed):
    results = index.search(typed)
    assert results.total == 0
    assert results.error == NO_WORDS


def test_query_syntax_is_read_as_plain_words(index):
    assert set(keys(index.search("title:cải"))) == set(keys(index.search("cải")))
    assert keys(index.search("cải AND NOT cách OR")) == keys(index.search("cải cách and or not"))
    assert keys(index.search("cải*")) == keys(index.search("cải"))
    assert keys(index.search("PAPI~2^100")) == keys(index.search("papi 2 100"))


def test_nfd_query_finds_nfc_text(index):
    nfd = unicodedata.normalize("NFD", "cải cách hành chính")
    assert keys(index.search(nfd)) == keys(index.search("cải cách hành chính"))
    assert keys(index.search(nfd))


def test_unbalanced_quote_is_ignored(index):
    assert keys(index.search('"cải cách')) == keys(index.search("cải cách"))


def test_long_query_is_cut_and_says_so(index):
    results = index.search("cải cách hành chính " + " ".join(f"từ{i}" for i in range(100)))
    assert results.error == TOO_LONG
    assert results.total > 0
    plan = plan_query(" ".join(f"w{i}" for i in range(1_000)))
    assert len(plan.words) == MAX_WORDS and plan.truncated
    assert len(plan_query("x " * 10_000).text) <= 1_000


def test_control_characters_do_not_split_or_join_words(index):
    assert keys(index.search("hành\x00chính")) == keys(index.search("hành chính"))
    assert keys(index.search("hành\u200bchính")) == keys(index.search("hành chính"))


ABBREVIATIONS = " ".join(
    ["CCHC TTHC DVC TTPVHCC HĐND UBND NĐ-CP QĐ TT CĐS BNV PAPI PAR INDEX SIPAS"] * 200
)[:10_000]
TYPED_HOSTILE = [
    ABBREVIATIONS,
    "1" * 500,
    "nghị định " + "9" * 500,
    "qđ " + "0" * 500 + "/2025",
    "9" * 500 + "/QĐ-UBND",
    "1" * 60 + "/" + "2" * 60 + "/QĐ-UBND",
    "qđ " + " ".join(str(n) for n in range(2_000)),
    "nghị định " * 1_000,
    "cairs " * 1_700,
    "mo65t" * 2_000,
    "thông tư năm 2025 " * 500,
    "1/" * 2_500,
    "motcua" * 1_600,
]


@pytest.mark.parametrize("typed", TYPED_HOSTILE, ids=range(len(TYPED_HOSTILE)))
def test_hostile_references_abbreviations_and_leftovers_get_a_page(index, typed):
    from cchc_learn.search import expansion
    from cchc_learn.search.features import DEFAULT_FEATURES

    results = index.search(typed)
    assert results.total >= 0
    assert isinstance(results.hits, list)
    snapshot = index._open_snapshot()
    plan, additions = expansion.prepare(snapshot, plan_query(typed), DEFAULT_FEATURES)
    assert len(additions.alternatives) <= expansion.MAX_ALTERNATIVES
    assert len(plan.words) <= MAX_WORDS


def test_a_query_of_abbreviations_still_finds_what_they_stand_for(index):
    results = index.search(ABBREVIATIONS)
    assert results.error == TOO_LONG
    assert results.total > 0
