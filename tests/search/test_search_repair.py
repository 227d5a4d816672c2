"""Telex and VNI leftovers are repaired; real Vietnamese and other words are left alone."""

from __future__ import annotations

import pytest
from search_engine_samples import CORPUS, build_index, keys

from cchc_learn.search.engine import SearchIndex
from cchc_learn.search.repair import decode, repair_text


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("repair") / "index", CORPUS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # Telex
        ("cair", "cải"),
        ("cachs", "cách"),
        ("hanhf", "hành"),
        ("chinhs", "chính"),
        ("mootj", "một"),
        ("cuwar", "cửa"),
        ("dduowcj", "được"),
        ("nguwowif", "người"),
        ("tieengs", "tiếng"),
        ("thur", "thủ"),
        ("tucj", "tục"),
        ("hoof", "hồ"),
        ("sow", "sơ"),
        ("gif", "gì"),
        ("quas", "quá"),
        ("ddeef", "đề"),
        ("hoas", "hóa"),
        # VNI
        ("mo65t", "một"),
        ("cu73a", "cửa"),
        ("d9e62", "đề"),
        ("thu3", "thủ"),
        ("lie6n", "liên"),
        ("tho6ng", "thông"),
    ],
)
def test_telex_and_vni_keys_spell_the_syllable_meant(typed, meant):
    assert decode(typed) == meant


@pytest.mark.parametrize(
    "word",
    [
        # Vietnamese typed without diacritics: no keys in key places.
        "cai", "cach", "hanh", "chinh", "mot", "cua", "nguoi", "thanh", "truong", "quyet",
        "dinh", "nghi", "uy", "ban", "nhan", "dan", "tinh", "xa", "phuong", "giai", "quyet",
        # Abbreviations, English words, codes and numbers.
        "ubnd", "tthc", "cchc", "papi", "sipas", "index", "email", "online", "covid",
        "process", "internet", "website", "the", "and", "2025", "4599", "qh13", "b2", "h5n1",
    ],
)
def test_words_that_are_not_key_sequences_are_not_decoded(word):
    assert decode(word) is None


@pytest.mark.parametrize(
    "text",
    [
        "cải cách hành chính",
        "cai cach hanh chinh",
        "Trung tâm Phục vụ hành chính công",
        "trung tam phuc vu hanh chinh cong",
        "quyết định 4599/QĐ-UBND",
        "chỉ số PAPI cấp xã",
        "PAR INDEX và SIPAS",
        "email công vụ online năm 2025",
        "thủy lợi, hoá đơn, khoẻ mạnh",
    ],
)
def test_real_text_is_left_alone(index, text):
    snapshot = index._open_snapshot()
    assert repair_text(snapshot, text) is None
    assert index.search(text).suggestion != text


def test_a_telex_query_is_searched_repaired_and_offered(index):
    results = index.search("cair cachs hanhf chinhs")
    assert results.suggestion == "cải cách hành chính"
    assert results.query == "cair cachs hanhf chinhs"
    assert keys(results) == keys(index.search("cải cách hành chính"))
    assert "lesson:1" in keys(results)


def test_a_vni_query_is_searched_repaired_and_offered(index):
    results = index.search("Mo65t cu73a")
    assert results.suggestion == "Một cửa"
    assert keys(results) == keys(index.search("một cửa"))


def test_only_the_leftovers_change(index):
    results = index.search("thur tục hành chính 1814")
    assert results.suggestion == "thủ tục hành chính 1814"


def test_a_word_the_index_holds_as_typed_is_kept(tmp_path):
    docs = CORPUS + [
        CORPUS[0].__class__(key="lesson:9", kind="lesson", id=9, title="Nồi xoong và boong tàu")
    ]
    index = build_index(tmp_path / "index", docs)
    assert index.search("xoong").suggestion is None
    assert keys(index.search("xoong")) == ["lesson:9"]
    index.close()


def test_repair_needs_the_query_features(index):
    literal = SearchIndex(index.index_dir, features=())
    results = literal.search("cair cachs hanhf chinhs")
    assert results.total == 0
    assert results.suggestion != "cải cách hành chính"
    literal.close()
