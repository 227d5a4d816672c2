"""The Vietnamese analyzer: NFC, tone placement, folding, case, and the three token forms."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc_learn.search.analysis import (
    DUAL,
    MAX_TOKEN_CHARS,
    PAIRS,
    PLAIN,
    VietnameseTokenizer,
    canonical_word,
    fold_word,
    index_terms,
    normalize_text,
    query_words,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def tokens(text: str, form: str = DUAL, mode: str = "index") -> list[tuple[str, int, int, int]]:
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in VietnameseTokenizer(form)(text, positions=True, chars=True, mode=mode)
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hóa", "hoá"),
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
        ("hòa", "hoà"),
        ("ủy", "uỷ"),
        ("Thủy", "THUỶ"),
        ("tòa", "toà"),
    ],
)
def test_old_and_new_tone_placement_give_one_word(old, new):
    assert canonical_word(old) == canonical_word(new) == canonical_word(old).lower()
    assert query_words(f"{old} {new}") == [canonical_word(old)] * 2


@pytest.mark.parametrize(
    "word",
    ["quý", "quỳnh", "quà", "giá", "gì", "giữ", "hoàng", "thuyết", "người", "ngoáy", "khuỷu"],
)
def test_tone_stays_where_every_spelling_puts_it(word):
    assert canonical_word(word) == word
    assert canonical_word(nfd(word)) == word


def test_quy_is_not_moved_onto_the_u():
    assert canonical_word("quý") == "quý"
    assert canonical_word("qúy") == "quý"


def test_words_that_are_not_one_syllable_are_left_alone():
    assert canonical_word("café") == "café"
    assert canonical_word("naïve") == "naïve"
    assert canonical_word("東京") == "東京"


def test_nfd_input_gives_the_same_tokens_as_nfc():
    text = "Cải cách hành chính, thủ tục Đăng ký"
    assert tokens(nfd(text)) == tokens(text)
    assert normalize_text(nfd(text)) == text


def test_offsets_point_into_the_nfc_text():
    text = "Quyết định hoá đơn"
    normalized = normalize_text(nfd(text))
    for word, _, start, end in tokens(nfd(text)):
        assert fold_word(canonical_word(normalized[start:end])) == fold_word(word)


def test_folding_removes_accents_and_maps_d_bar():
    assert fold_word("đường") == "duong"
    assert fold_word(canonical_word("ĐẠI")) == "dai"
    folded = [fold_word(w) for w in query_words("Cải cách HÀNH CHÍNH, Đề án 4599/QĐ-UBND")]
    assert folded == ["cai", "cach", "hanh", "chinh", "de", "an", "4599", "qd", "ubnd"]


def test_case_is_lowered():
    assert query_words("HÀNH Chính UBND") == ["hành", "chính", "ubnd"]


def test_dual_form_puts_the_folded_word_at_the_same_position():
    assert tokens("Ban hành 4599/QĐ-UBND") == [
        ("ban", 0, 0, 3),
        ("hành", 1, 4, 8),
        ("hanh", 1, 4, 8),
        ("4599", 2, 9, 13),
        ("qđ", 3, 14, 16),
        ("qd", 3, 14, 16),
        ("ubnd", 4, 17, 21),
    ]


def test_query_mode_keeps_words_as_typed():
    assert [t[0] for t in tokens("Hoá đơn hoa don", mode="query")] == ["hóa", "đơn", "hoa", "don"]


def test_plain_form_keeps_only_words_written_without_diacritics():
    assert [t[0] for t in tokens("Ban hành văn bản số 12 của UBND", PLAIN)] == [
        "ban",
        "12",
        "ubnd",
    ]


def test_pairs_form_joins_adjacent_folded_words():
    assert [t[0] for t in tokens("Thủ tục hành chính", PAIRS)] == [
        "thu tuc",
        "tuc hanh",
        "hanh chinh",
    ]


def test_index_terms_match_the_tokenizer():
    text = "Quyết định 4599/QĐ-UBND về cải cách hành chính (CCHC) năm 2022"
    dual, plain, pairs = index_terms(text)
    assert dual == [t[0] for t in tokens(text, DUAL)]
    assert plain == [t[0] for t in tokens(text, PLAIN)]
    assert pairs == [t[0] for t in tokens(text, PAIRS)]


def test_hostile_text_is_tokenised_without_surprises():
    text = "a" * 10_000 + " \x00\x07 x\u200by\ufeff " + "đ" * (MAX_TOKEN_CHARS + 1) + " 🙂 ok"
    assert query_words(text) == ["x", "y", "ok"]
    assert tokens("") == []
    assert tokens("!!! ??? ***") == []


@given(st.text())
def test_any_text_analyses_and_canonical_forms_are_stable(text):
    for word in query_words(text):
        assert canonical_word(word) == word
        assert fold_word(word) == fold_word(canonical_word(nfd(word)))
    dual, plain, pairs = index_terms(text)
    assert set(plain) <= set(dual)
    assert len(pairs) == max(0, len(query_words(text)) - 1)
