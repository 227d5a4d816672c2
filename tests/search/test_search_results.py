"""What a result page holds: facets, filters, pages, visibility, snippets, "did you mean"."""

from __future__ import annotations

import unicodedata

import pytest
from search_engine_samples import CORPUS, PUBLIC_KEYS, build_index, keys, make_doc


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("results") / "index")


def test_facets_count_the_documents_matching_the_query(index):
    results = index.search("thủ tục hành chính", visible_to={"public"})
    assert results.total == 5
    assert dict(results.facets["kind"]) == {"document": 4, "lesson": 1}
    assert dict(results.facets["type"]) == {"Quyết định": 3, "Nghị định": 1}
    assert dict(results.facets["year"]) == {"2025": 2, "2023": 1, "2018": 1}
    assert [year for year, _ in results.facets["year"]] == ["2025", "2023", "2018"]
    topics = dict(results.facets["topic"])
    assert topics["TTHC"] == 3
    assert topics["Một cửa"] == 3
    assert dict(results.facets["issuer"]) == {
        "Chính phủ": 1,
        "UBND tỉnh An Giang": 1,
        "UBND tỉnh Lai Châu": 1,
        "UBND tỉnh Đắk Lắk": 1,
    }


def test_filters_narrow_the_hits_and_other_facets(index):
    results = index.search("thủ tục hành chính", filters={"year": ["2025"]})
    assert set(keys(results)) == {"document:4", "document:5"}
    assert results.total == 2
    # The year facet still offers the other years; the others count only 2025.
    assert dict(results.facets["year"]) == {"2025": 2, "2023": 1, "2018": 1}
    assert dict(results.facets["issuer"]) == {"UBND tỉnh Lai Châu": 1, "UBND tỉnh Đắk Lắk": 1}


def test_several_values_of_a_filter_are_alternatives(index):
    results = index.search(
        "thủ tục", filters={"topic": ["Một cửa", "Văn thư"], "kind": ["document"]}
    )
    assert set(keys(results)) == {"document:3", "document:4", "document:7"}


def test_kinds_restrict_to_lessons_documents_or_questions(index):
    assert set(keys(index.search("hành chính", kinds=["lesson"]))) == {"lesson:1"}
    assert keys(index.search("hành chính", kinds=["lesson"], filters={"kind": ["document"]})) == []


def test_facet_values_keep_their_commas_and_filter_exactly(index):
    results = index.search("quyết định", filters={"topic": ["Phí, lệ phí"]})
    assert keys(results) == ["document:2"]
    assert results.hits[0].topics == ("Phí, lệ phí",)
    assert ("Phí, lệ phí", 1) in index.search("quyết định").facets["topic"]


def test_unknown_filters_and_values_are_harmless(index):
    assert index.search("hành chính", filters={"color": ["red"]}).total > 0
    assert index.search("hành chính", filters={"year": ["1900"]}).total == 0
    assert index.search("hành chính", filters={"year": "2025"}).total == 2


def test_pages_split_the_hits_without_overlap(index):
    first = index.search("thủ tục hành chính", per_page=3)
    second = index.search("thủ tục hành chính", per_page=3, page=2)
    assert first.total == second.total == 5
    assert first.pages == 2
    assert len(first.hits) == 3 and len(second.hits) == 2
    assert not set(keys(first)) & set(keys(second))
    scores = [hit.score for hit in first.hits + second.hits]
    assert scores == sorted(scores, reverse=True)
    assert index.search("thủ tục hành chính", per_page=3, page=99).hits == []
    assert len(index.search("thủ tục hành chính", per_page=0).hits) == 1
    assert index.search("thủ tục hành chính", per_page=10_000).per_page == 100


def test_visibility_hides_items_from_those_outside_their_audience(index):
    assert keys(index.search("chế độ công vụ", visible_to={"public"})) == []
    assert keys(index.search("chế độ công vụ", visible_to={"public", "user:7"})) == ["question:2"]
    assert keys(index.search("chế độ công vụ", visible_to={"role:moderator"})) == ["question:2"]
    assert keys(index.search("chế độ công vụ")) == ["question:2"]
    assert index.search("hành chính", visible_to=set()).total == 0
    seen = {hit.key for hit in index.search("a e i o u", visible_to={"public"}, per_page=100).hits}
    assert seen <= PUBLIC_KEYS


def test_hits_carry_what_a_result_row_shows(index):
    hit = index.search("4599/QĐ-UBND").hits[0]
    assert (hit.kind, hit.id, hit.number, hit.url) == ("document", 1, "4599/QĐ-UBND", "/document/1")
    assert hit.title.startswith("Quyết định 4599/QĐ-UBND")
    assert (hit.type, hit.issuer, hit.year) == ("Quyết định", "UBND tỉnh An Giang", "2022")
    assert hit.topics == ("CCHC", "Đào tạo bồi dưỡng")
    assert hit.score > 0


def test_snippet_marks_the_words_found_with_or_without_accents(index):
    snippet = index.search("cai cach hanh chinh", kinds=["lesson"]).hits[0].snippet
    assert "<mark>Cải</mark> <mark>cách</mark> <mark>hành</mark> <mark>chính</mark>" in snippet
    snippet = index.search("hóa đơn").hits[0].snippet
    assert "<mark>hoá</mark> <mark>đơn</mark>" in snippet


def test_snippet_escapes_the_text_and_stays_on_nfc_offsets(tmp_path):
    body = unicodedata.normalize(
        "NFD", "Mở đầu <script>alert('x')</script> & <b>rồi</b> cải cách hành chính ở cuối."
    )
    index = build_index(tmp_path / "index", [make_doc("lesson:1", body=body)])
    snippet = index.search("hành chính").hits[0].snippet
    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;rồi&lt;/b&gt;" in snippet
    assert "cải cách <mark>hành</mark> <mark>chính</mark> ở cuối." in snippet
    assert unicodedata.is_normalized("NFC", snippet)


def test_snippet_of_a_long_text_shows_the_part_holding_the_words(tmp_path):
    body = "Phần mở đầu không liên quan. " * 200 + "Bộ phận một cửa tiếp nhận hồ sơ. " + "x " * 500
    index = build_index(tmp_path / "index", [make_doc("lesson:1", body=body)])
    snippet = index.search("tiếp nhận hồ sơ").hits[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>tiếp</mark> <mark>nhận</mark> <mark>hồ</mark> <mark>sơ</mark>" in snippet
    assert len(snippet) < 600


def test_did_you_mean_corrects_unknown_words(index):
    results = index.search("cai cachh hanh chinh")
    assert results.suggestion == "cai cach hanh chinh"
    assert index.search("quyêt định").suggestion == "quyết định"
    assert index.search("Thuu tuc").suggestion == "Thu tuc"
    assert index.search("cải cách hành chính").suggestion is None
    assert index.search("zzzzqqq").suggestion is None


def test_corpus_keys_are_unique():
    assert len({doc.key for doc in CORPUS}) == len(CORPUS)
