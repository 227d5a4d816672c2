"""Document files: the schema, with problems as path:line: message."""

from __future__ import annotations

from datetime import date

from cchc_learn.kb.loader import load_documents

GOOD = """---
number: 4599/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh An Giang
issued: 2022-12-30
topics: [Đào tạo bồi dưỡng, TTHC]
summary: Phê duyệt Đề án tăng cường năng lực đội ngũ làm công tác CCHC
---
Nội dung.
"""


def tree(tmp_path, files: dict[str, str]):
    folder = tmp_path / "content" / "documents"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_documents(tmp_path / "content")


def test_valid_document_loads(tmp_path):
    docs, problems = tree(tmp_path, {"4599-qd-ubnd.md": GOOD})
    assert problems == []
    [doc] = docs
    assert doc.number == "4599/QĐ-UBND" and doc.key == "4599/qd-ubnd"
    assert doc.issued == date(2022, 12, 30)
    assert doc.topics == ["TTHC", "Đào tạo bồi dưỡng"]
    assert doc.status == "in_force" and doc.path == "documents/4599-qd-ubnd.md"


def test_each_schema_error_names_file_and_line(tmp_path):
    bad = (
        GOOD.replace("type: Quyết định", "type: Bài báo")
        .replace("issued: 2022-12-30", "issued: 30/12/2022")
        .replace("summary:", "colour: red\nsummary:")
    )
    docs, problems = tree(tmp_path, {"bad.md": bad})
    text = [str(p) for p in problems]
    assert docs == []
    assert any(t.startswith("content/documents/bad.md:3: loại văn bản không hợp lệ") for t in text)
    assert any(t.startswith("content/documents/bad.md:5: 'issued' phải là ngày") for t in text)
    assert any(
        t.startswith("content/documents/bad.md:7: khóa không được hỗ trợ 'colour'") for t in text
    )


def test_missing_keys_and_replaced_without_successor(tmp_path):
    bad = "---\nnumber: 1/QĐ-UBND\nstatus: replaced\n---\n"
    _, problems = tree(tmp_path, {"x.md": bad})
    text = " | ".join(str(p) for p in problems)
    for key in ("type", "issuer", "issued", "summary"):
        assert f"thiếu khóa bắt buộc '{key}'" in text
    assert "phải có 'replaced_by'" in text


def test_same_number_and_issuer_twice_is_an_error(tmp_path):
    _, problems = tree(tmp_path, {"a.md": GOOD, "b.md": GOOD})
    assert any("trùng số ký hiệu 4599/QĐ-UBND" in str(p) for p in problems)


def test_bad_file_name_and_number(tmp_path):
    bad = GOOD.replace("number: 4599/QĐ-UBND", 'number: "<script>"')
    _, problems = tree(tmp_path, {"Tên Có Dấu.md": bad})
    text = " | ".join(str(p) for p in problems)
    assert "tên tệp chỉ gồm" in text and "số ký hiệu không hợp lệ" in text


def test_file_names_follow_the_one_slug_rule_of_80_characters(tmp_path):
    docs, problems = tree(tmp_path, {"a" * 80 + ".md": GOOD, "b" * 81 + ".md": GOOD})
    assert [doc.slug for doc in docs] == ["a" * 80]
    assert [str(p) for p in problems] == [
        f"content/documents/{'b' * 81}.md:1: tên tệp chỉ gồm chữ thường không dấu, chữ số và "
        "dấu gạch ngang",
    ]
