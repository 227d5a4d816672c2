"""Document numbers typed the short way: type words or codes, no year, no zeros, any order."""

from __future__ import annotations

import pytest
from search_engine_samples import CORPUS, build_index, keys, make_doc

from cchc_learn.search.engine import SearchIndex
from cchc_learn.search.references import parse

MORE = [
    make_doc(
        "document:20",
        number="45/2025/TT-BYT",
        title="Thông tư 45/2025/TT-BYT bãi bỏ Thông tư 31/2015/TT-BYT",
        summary="Bãi bỏ một thông tư về khám bệnh",
        type="Thông tư",
        issuer="Bộ Y tế",
        year=2025,
    ),
    make_doc(
        "document:21",
        number="45/2020/NĐ-CP",
        title="Nghị định 45/2020/NĐ-CP",
        summary="Về thực hiện thủ tục hành chính trên môi trường điện tử",
        type="Nghị định",
        issuer="Chính phủ",
        year=2020,
    ),
    make_doc(
        "document:22",
        number="5487/CT-CS",
        title="Công văn 5487/CT-CS",
        summary="V/v chính sách thuế GTGT",
        type="Công văn",
        issuer="Cục Thuế (Bộ Tài chính)",
        year=2025,
    ),
    make_doc(
        "document:23",
        number="012/CT-UBND",
        title="Chỉ thị 012/CT-UBND",
        summary="Tăng cường cải cách thủ tục hành chính",
        type="Chỉ thị",
        issuer="UBND tỉnh Đắk Lắk",
        year=2025,
    ),
    make_doc(
        "document:24",
        number="01763/QĐ-UBND",
        title="Quyết định 01763/QĐ-UBND",
        summary="Công bố danh mục thủ tục hành chính lĩnh vực báo chí",
        type="Quyết định",
        issuer="UBND tỉnh Cà Mau",
        year=2025,
    ),
    make_doc(
        "lesson:30",
        title="Bài 30. Cơ chế một cửa",
        body="Nghị định 61/2018/NĐ-CP quy định cơ chế một cửa; nghị định 61 đã được thay thế.",
    ),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("references") / "index", CORPUS + MORE)


def _one(text: str):
    found = parse(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("typed", "serial", "code", "year", "parts"),
    [
        ("nghị định 61", "61", "nd", None, ()),
        ("nđ 61/2018", "61", "nd", "2018", ()),
        ("61/nđ-cp", "61", "nd", None, ("cp",)),
        ("qđ 4599 an giang", "4599", "qd", None, ("an", "giang")),
        ("thông tư 45 năm 2025 byt", "45", "tt", "2025", ("byt",)),
        ("CT 5487 cục thuế", "5487", "ct", None, ("cuc", "thue")),
        ("nghi dinh 45 nam 2020", "45", "nd", "2020", ()),
        ("chỉ thị 012", "12", "ct", None, ()),
        ("61 nghị định", "61", "nd", None, ()),
        ("quyết định số 1610", "1610", "qd", None, ()),
        ("1610", "1610", None, None, ()),
        ("4599 / QĐ - UBND", "4599", "qd", None, ("ubnd",)),
    ],
)
def test_each_form_of_a_reference_is_read(typed, serial, code, year, parts):
    found = _one(typed)
    assert found.serial == serial
    assert (found.type.code if found.type else None) == code
    assert found.year == year
    assert found.parts == parts


@pytest.mark.parametrize(
    "typed",
    [
        "cải cách hành chính",
        "trả kết quả trong 15 ngày",
        "Điều 5 của luật",
        "năm 2025",
        "9" * 500,
        "nghị định " + "9" * 500,
    ],
)
def test_numbers_that_are_not_references_are_left_to_text(typed):
    assert parse(typed) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nghị định 61", "document:7"),
        ("nđ 61/2018", "document:7"),
        ("61/nđ-cp", "document:7"),
        ("61 nghị định", "document:7"),
        ("qđ 4599 an giang", "document:1"),
        ("thông tư 45 năm 2025 byt", "document:20"),
        ("nghi dinh 45 nam 2020", "document:21"),
        ("CT 5487 cục thuế", "document:22"),
        ("công văn 5487", "document:22"),
        ("chỉ thị 12 đắk lắk", "document:23"),
        ("qđ 1763 cà mau", "document:24"),
        ("QUYẾT ĐỊNH 1814", "document:3"),
    ],
)
def test_a_short_reference_finds_its_document_first(index, typed, expected):
    assert keys(index.search(typed))[0] == expected


def test_the_rest_of_the_query_orders_documents_sharing_a_serial(index):
    found = keys(index.search("qđ 4599 an giang"))
    assert found.index("document:1") < found.index("document:2")
    found = keys(index.search("qđ 4599 thủ tướng"))
    assert found[0] == "document:2"


def test_a_year_or_type_that_disagrees_is_not_the_document_named(index):
    found = keys(index.search("nghị định 45 năm 2020"))
    assert found[0] == "document:21"
    assert "document:20" not in found[:1]
    found = keys(index.search("thông tư 45"))
    assert found[0] == "document:20"


def test_a_text_citing_the_number_comes_after_the_document(index):
    found = keys(index.search("nghị định 61"))
    assert found[0] == "document:7"
    assert "lesson:30" in found[1:]


def test_a_full_number_that_matches_nothing_falls_back(index):
    # 61/nđ-cp is no document's number as written; its parts still find 61/2018/NĐ-CP.
    assert keys(index.search("61/nđ-cp"))[0] == "document:7"
    # No document has this number: the decisions numbered 4599 come first.
    results = index.search("4599/QĐ-XYZ")
    assert {"document:1", "document:2"} == set(keys(results)[:2])
    # No document has this serial at all: an ordinary text search, not an empty page.
    results = index.search("quyết định 9999")
    assert results.total > 0
    assert keys(results)[0].startswith("document:")


def test_references_need_the_query_features(index):
    literal = SearchIndex(index.index_dir, features=())
    assert keys(literal.search("61/nđ-cp")) == []
    assert keys(literal.search("qđ 1763"))[0] != "document:24"
    literal.close()
