"""What comes first: document numbers, exact accents, phrases, words with or without accents."""

from __future__ import annotations

import pytest
from search_engine_samples import build_index, keys, make_doc

from cchc_learn.search.engine import SearchIndex


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("ranking") / "index")


@pytest.mark.parametrize(
    "typed", ["4599/QĐ-UBND", "4599/QD-UBND", "4599/qd-ubnd", "4599/qđ-ubnd", " 4599 / QĐ - UBND"]
)
def test_a_document_number_as_written_or_folded_finds_that_document_first(index, typed):
    found = keys(index.search(typed))
    assert found[0] == "document:1"
    # 4599/QĐ-TTg shares the number, 1814/QĐ-UBND the suffix: neither is the document.
    assert "document:2" not in found
    # The decision that cites 4599/QĐ-UBND in its text comes after it.
    assert found[1:] == ["document:3"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("143/2025/qd-ubnd", "document:5"),
        ("143/2025/QĐ-UBND", "document:5"),
        ("143/2024/QD-UBND", "document:6"),
        ("1814/QĐ-UBND", "document:3"),
        ("1610/qd-ubnd", "document:4"),
        ("61/2018/ND-CP", "document:7"),
        ("08-NQ/TU", "document:8"),
        ("08-nq/tu", "document:8"),
    ],
)
def test_numbers_of_the_same_shape_are_told_apart(index, typed, expected):
    assert keys(index.search(typed)) == [expected]


@pytest.mark.parametrize(
    "typed", ["quyết định 1610", "Quyết định số 1610", "qd 1610", "QĐ 1610", "quyet dinh 1610"]
)
def test_natural_forms_of_a_number_find_the_document_first(index, typed):
    assert keys(index.search(typed))[0] == "document:4"


def test_topics_issuer_and_type_are_searchable_words(index):
    assert keys(index.search("PAPI"))[0] == "document:8"
    assert set(keys(index.search("tỉnh Lai Châu"))) == {"document:4"}


def test_digits_alone_find_the_numbered_document_first(index):
    assert keys(index.search("1814"))[0] == "document:3"


def test_unaccented_query_matches_accented_text(index):
    found = keys(index.search("cai cach hanh chinh"))
    assert {"document:1", "lesson:1"} <= set(found)


def test_accented_word_matches_only_itself(index, tmp_path):
    assert keys(index.search("thủy lợi")) == ["lesson:2"]
    assert keys(index.search("thuy")) == ["lesson:2"]
    # A tone the index does not hold is taken for a typing error ("thúy" for "thủy"); the
    # literal search, without the query features, finds nothing.
    assert keys(index.search("thúy")) == ["lesson:2"]
    literal = SearchIndex(index.index_dir, features=())
    assert keys(literal.search("thúy")) == []
    literal.close()


@pytest.mark.parametrize("typed", ["hoá đơn", "hóa đơn", "hoa don", "HOÁ ĐƠN", "khỏe", "thuỷ"])
def test_old_and_new_tone_placement_find_the_same_text(index, typed):
    assert keys(index.search(typed)) == ["lesson:2"]


def test_exact_accent_match_ranks_above_folded_only(tmp_path):
    docs = [
        make_doc("lesson:1", title="Bàn giao hồ sơ", body="Bàn giao hồ sơ công tác."),
        make_doc("lesson:2", title="Ban giao hồ sơ", body="Ban giao hồ sơ công tác."),
        make_doc("lesson:3", title="Bạn giao hồ sơ", body="Bạn giao hồ sơ công tác."),
    ]
    index = build_index(tmp_path / "index", docs)
    for typed in ("ban", "ban giao", "ban giao ho so", '"ban giao"'):
        found = keys(index.search(typed))
        assert found[0] == "lesson:2", typed
        assert set(found) == {"lesson:1", "lesson:2", "lesson:3"}
    assert keys(index.search("bàn giao")) == ["lesson:1"]


def test_quoted_phrase_requires_the_words_in_order(tmp_path):
    docs = [
        make_doc("lesson:1", body="Trung tâm phục vụ hành chính công của tỉnh."),
        make_doc("lesson:2", body="Công chức hành chính làm việc tại trung tâm phục vụ."),
        make_doc("lesson:3", body="Hạnh chính công là một cụm sai chính tả."),
    ]
    index = build_index(tmp_path / "index", docs)
    assert keys(index.search('"hành chính công"')) == ["lesson:1"]
    assert keys(index.search('"hanh chinh cong"')) == ["lesson:1", "lesson:3"]
    assert keys(index.search('"phục vụ hành chính"')) == ["lesson:1"]
    assert set(keys(index.search("hành chính công"))) == {"lesson:1", "lesson:2"}
    assert keys(index.search('"chính hành"')) == []


def test_phrase_and_words_together(index):
    found = keys(index.search('"một cửa" hồ sơ'))
    assert set(found) == {"document:3", "question:1"}


def test_words_next_to_each_other_rank_above_scattered_ones(tmp_path):
    docs = [
        make_doc("lesson:1", body="Chính sách về công tác hành chính và phục vụ nhân dân."),
        make_doc("lesson:2", body="Trung tâm phục vụ hành chính công và nhân dân."),
    ]
    index = build_index(tmp_path / "index", docs)
    assert keys(index.search("phục vụ hành chính")) == ["lesson:2", "lesson:1"]


def test_long_question_still_finds_the_answer(index):
    question = (
        "Cho tôi hỏi hồ sơ nộp tại Bộ phận Một cửa cấp xã thì bao lâu sẽ được trả kết quả "
        "theo quy định hiện hành của Nhà nước về thủ tục hành chính?"
    )
    found = keys(index.search(question))
    assert found[0] == "question:1"


def test_short_query_requires_every_word_then_falls_back_to_any(index):
    assert keys(index.search("năng lực đội ngũ")) == ["document:1"]
    fallback = keys(index.search("papi xyzzyq"))
    assert fallback == ["document:8"]


def test_long_query_leaves_out_words_found_almost_everywhere(tmp_path):
    filler = [make_doc(f"lesson:{i}", body=f"của và các là mục {i}") for i in range(10)]
    docs = [
        *filler,
        make_doc("lesson:20", body="Của và các là hành."),
        make_doc("lesson:21", body="Tòa án xét xử vụ án hành chính."),
    ]
    index = build_index(tmp_path / "index", docs)
    found = keys(index.search("của và các là xét xử vụ án hành chính"))
    # Only the rare words count: lesson:20 holds one of six, fewer than half.
    assert found == ["lesson:21"]
    assert index.search("của và các là").total == 11
