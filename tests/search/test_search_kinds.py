"""No kind of result crowds out another: named documents first, lessons for how-to questions."""

from __future__ import annotations

from search_engine_samples import CORPUS, build_index, keys, make_doc

from cchc_learn.search.engine import SearchIndex

DECISIONS = [
    make_doc(
        f"document:{100 + i}",
        number=f"{200 + i}/QĐ-UBND",
        title=f"Quyết định {200 + i}/QĐ-UBND công bố thủ tục hành chính tiếp nhận hồ sơ",
        summary="Công bố danh mục thủ tục hành chính tiếp nhận hồ sơ tại Bộ phận Một cửa",
        body="Tiếp nhận hồ sơ thủ tục hành chính. " * 20,
        type="Quyết định",
        issuer="UBND tỉnh",
        year=2025,
    )
    for i in range(12)
]
LESSON = make_doc(
    "lesson:50",
    title="Hướng dẫn và tiếp nhận hồ sơ tại Bộ phận Một cửa",
    body="Công chức tiếp nhận hồ sơ thủ tục hành chính: kiểm tra thành phần hồ sơ, hướng dẫn "
    "người dân bổ sung, rồi tiếp nhận và hẹn ngày trả kết quả.",
)


def test_a_how_to_question_puts_the_lesson_first(tmp_path):
    index = build_index(tmp_path / "index", [*DECISIONS, LESSON])
    literal = SearchIndex(index.index_dir, features=())
    question = "làm thế nào để tiếp nhận hồ sơ thủ tục hành chính"
    assert keys(literal.search(question))[:1] != ["lesson:50"]
    assert keys(index.search(question))[0] == "lesson:50"
    literal.close()
    index.close()


def test_every_kind_gets_a_place_near_the_top(tmp_path):
    index = build_index(tmp_path / "index", [*DECISIONS, LESSON])
    literal = SearchIndex(index.index_dir, features=())
    query = "tiếp nhận hồ sơ thủ tục hành chính"
    assert "lesson:50" not in keys(literal.search(query))[:3]
    found = keys(index.search(query))
    assert "lesson:50" in found[:3]
    assert found[0].startswith("document:")
    literal.close()
    index.close()


def test_a_document_named_stays_first_even_in_a_how_to_question(tmp_path):
    index = build_index(tmp_path / "index", [*CORPUS, *DECISIONS, LESSON])
    found = keys(index.search("nghị định 61 tiếp nhận hồ sơ như thế nào"))
    assert found[0] == "document:7"
    found = keys(index.search("quyết định 205 tiếp nhận hồ sơ"))
    assert found[0] == "document:105"
    index.close()


def test_a_weak_lesson_is_not_lifted(tmp_path):
    weak = make_doc("lesson:51", title="Thời tiết", body="Một câu có chữ hồ sơ.")
    index = build_index(tmp_path / "index", [*DECISIONS, weak])
    found = keys(index.search("tiếp nhận hồ sơ thủ tục hành chính công bố"))
    assert "lesson:51" not in found[:3]
    index.close()
