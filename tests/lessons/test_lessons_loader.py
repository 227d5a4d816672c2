"""Module folders: what loads, and every kind of error as `path:line: message`."""

from __future__ import annotations

import os
import re
import unicodedata

import pytest
from lesson_tree import (
    LESSON_1,
    LESSON_2,
    MODULE_MD,
    MODULES,
    PNG,
    SVG,
    content_root,
    problems,
    write_tree,
)

from cchc_learn.lessons import schema
from cchc_learn.lessons.loader import load_modules
from cchc_learn.textnorm import slug_problem


def resolve(number: str) -> str | None:
    return "/kb/4599-qd-ubnd" if number == "4599/QĐ-UBND" else None


def load(root, modules):
    write_tree(root, modules)
    return load_modules(root, resolve)


def variant(files: dict) -> dict:
    """The sample module with some files replaced (None removes a file)."""
    module = dict(MODULES["tong-quan"])
    for name, text in files.items():
        if text is None:
            module.pop(name, None)
        else:
            module[name] = text
    return {"tong-quan": module}


def messages(root, modules) -> list[str]:
    _, found = load(root, modules)
    return [str(p) for p in found]


def test_a_good_module_loads_in_order_with_images_links_and_toc(tmp_path):
    root = tmp_path / "content"
    modules, found = load(root, MODULES)
    assert found == []
    [module] = modules
    assert (module.slug, module.title, module.order) == (
        "tong-quan",
        "Tổng quan cải cách hành chính",
        1,
    )
    assert module.topics == ["CCHC", "Đào tạo bồi dưỡng"]
    assert module.audience == ["province", "commune"] and module.published is True
    assert module.path == "modules/tong-quan/module.md"
    assert [(x.position, x.slug, x.minutes) for x in module.lessons] == [
        (1, "cai-cach-la-gi", 15),
        (2, "de-an-4599", 20),
        (3, "kinh-nghiem", 10),
    ]
    first = module.lessons[0]
    assert first.path == "modules/tong-quan/01-cai-cach-la-gi.md"
    assert first.summary == "Sáu nội dung của chương trình tổng thể."
    assert module.lessons[1].summary == ""
    assert 'href="/kb/4599-qd-ubnd"' in first.html
    assert 'src="/modules/tong-quan/assets/so-do.svg"' in first.html
    assert "Sáu nội dung" in first.toc_html
    assert "Cải cách thể chế" in first.plain_text and "<" not in first.plain_text
    assert list(module.assets) == ["so-do.svg"]
    assert module.assets["so-do.svg"].content_type == "image/svg+xml"
    assert 'src="/modules/tong-quan/assets/so-do.svg"' in module.html


def test_unknown_keys_are_errors_on_their_line(tmp_path):
    found = messages(
        tmp_path / "content",
        variant(
            {
                "module.md": MODULE_MD.replace("order: 1", "order: 1\nauthor: Sở Nội vụ"),
                "01-cai-cach-la-gi.md": LESSON_1.replace("minutes: 15", "minutes: 15\ntags: [x]"),
            }
        ),
    )
    assert (
        "content/modules/tong-quan/module.md:6: khóa không được hỗ trợ 'author' (cho phép: "
        "title, summary, topics, order, audience, published)" in found
    )
    assert (
        "content/modules/tong-quan/01-cai-cach-la-gi.md:4: khóa không được hỗ trợ 'tags' "
        "(cho phép: title, minutes, summary, published)" in found
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("minutes: 15", "minutes: mười lăm", 3, "'minutes' phải là số nguyên từ 1 đến 600"),
        ("minutes: 15", "minutes: 0", 3, "'minutes' phải từ 1 đến 600 (đang là 0)"),
        ("minutes: 15", "minutes: true", 3, "'minutes' phải là số nguyên từ 1 đến 600"),
        ("title: Cải cách hành chính là gì", "title: [a, b]", 2, "'title' phải là chuỗi ký tự"),
        ("title: Cải cách hành chính là gì", "title: ''", 2, "thiếu khóa bắt buộc 'title'"),
        ("summary: Sáu", "published: có\nsummary: Sáu", 4, "'published' phải là true hoặc false"),
        ("minutes: 15\n", "", 1, "thiếu khóa bắt buộc 'minutes'"),
        (
            "title: Cải cách hành chính là gì",
            "title: " + "x" * 201,
            2,
            "'title' dài quá 200 ký tự (201 ký tự)",
        ),
    ],
)
def test_wrong_lesson_values_are_errors_on_their_line(tmp_path, old, new, line, message):
    found = messages(
        tmp_path / "content", variant({"01-cai-cach-la-gi.md": LESSON_1.replace(old, new)})
    )
    assert f"content/modules/tong-quan/01-cai-cach-la-gi.md:{line}: {message}" in found


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("order: 1", "order: '1'", 5, "'order' phải là số nguyên từ 0 đến 9999"),
        (
            "topics: [CCHC, Đào tạo bồi dưỡng]",
            "topics: CCHC",
            4,
            "'topics' phải là danh sách tên chủ đề, mỗi tên tối đa 60 ký tự",
        ),
        (
            "audience: [province, commune]",
            "audience: [province, huyen]",
            6,
            "'audience' có cấp không hợp lệ 'huyen' (cho phép: province, department, district, "
            "commune, office)",
        ),
        (
            "audience: [province, commune]",
            "audience: province",
            6,
            "'audience' phải là danh sách cấp đơn vị (cho phép: province, department, district, "
            "commune, office)",
        ),
        ("summary: Chương trình tổng thể và Đề án 4599.\n", "", 1, "thiếu khóa bắt buộc 'summary'"),
        ("order: 1", "order: 1\npublished: 1", 6, "'published' phải là true hoặc false"),
    ],
)
def test_wrong_module_values_are_errors_on_their_line(tmp_path, old, new, line, message):
    found = messages(tmp_path / "content", variant({"module.md": MODULE_MD.replace(old, new)}))
    assert f"content/modules/tong-quan/module.md:{line}: {message}" in found


def test_duplicate_lesson_slugs_and_positions_are_errors(tmp_path):
    found = messages(
        tmp_path / "content",
        variant({"04-cai-cach-la-gi.md": LESSON_2, "002-trung-vi-tri.md": LESSON_2}),
    )
    assert (
        "content/modules/tong-quan/04-cai-cach-la-gi.md:1: trùng tên bài học "
        "'cai-cach-la-gi' với tệp 01-cai-cach-la-gi.md" in found
    )
    assert (
        "content/modules/tong-quan/02-de-an-4599.md:1: trùng số thứ tự 2 với tệp "
        "002-trung-vi-tri.md" in found
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("1-mot-chu-so.md", "tên tệp bài học phải có dạng NN-ten-bai.md"),
        ("bai-khong-so.md", "tên tệp bài học phải có dạng NN-ten-bai.md"),
        ("05-Bài-Có-Dấu.md", "Tên bài học trong tên tệp 'Bài-Có-Dấu' không hợp lệ"),
        ("00-so-khong.md", "số thứ tự bài học phải từ 1 đến 999"),
    ],
)
def test_badly_named_lesson_files_are_errors(tmp_path, name, message):
    found = messages(tmp_path / "content", variant({name: LESSON_2}))
    assert any(p.startswith(f"content/modules/tong-quan/{name}:1: {message}") for p in found), found


def test_folders_without_module_md_or_with_bad_names_are_errors(tmp_path):
    modules = dict(MODULES)
    modules["thieu-module"] = {"01-bai.md": LESSON_2}
    modules["Có Dấu"] = {"module.md": MODULE_MD}
    found = messages(tmp_path / "content", modules)
    assert (
        "content/modules/thieu-module/module.md:1: thiếu tệp module.md của chuyên đề (tiêu "
        "đề, tóm tắt, chủ đề, thứ tự, đối tượng)" in found
    )
    assert any(
        p.startswith(
            "content/modules/Có Dấu/module.md:1: Tên thư mục chuyên đề 'Có Dấu' không hợp lệ"
        )
        for p in found
    )
    root = tmp_path / "content"
    (root / "modules" / "lac-cho.md").write_text(LESSON_2, encoding="utf-8")
    _, found = load_modules(root, resolve)
    assert (
        "content/modules/lac-cho.md:1: tệp bài học phải nằm trong thư mục của một chuyên "
        "đề (modules/<chuyen-de>/NN-ten-bai.md)" in [str(p) for p in found]
    )


def test_missing_and_external_images_are_errors_on_their_line(tmp_path):
    body = (
        LESSON_2 + "\nẢnh thiếu: ![x](assets/khong-co.png)\n\n![ngoài](https://example.com/a.png)\n"
    )
    body += "\n![lên trên](assets/../module.md)\n"
    found = messages(tmp_path / "content", variant({"02-de-an-4599.md": body}))
    where = "content/modules/tong-quan/02-de-an-4599.md"
    assert (
        f"{where}:9: không tìm thấy ảnh assets/khong-co.png: ảnh phải nằm trong thư mục "
        "assets/ của chuyên đề (png, jpg, jpeg, gif, svg, webp)" in found
    )
    assert (
        f"{where}:11: ảnh https://example.com/a.png nằm trên máy chủ khác; hãy chép ảnh "
        "vào thư mục assets/ của chuyên đề" in found
    )
    assert any(p.startswith(f"{where}:13: không tìm thấy ảnh assets/../module.md") for p in found)


def test_images_that_are_not_images_are_errors(tmp_path):
    found = messages(
        tmp_path / "content",
        variant(
            {
                "assets/gia.png": b"<html><script>alert(1)</script></html>",
                "assets/trang.exe": b"MZ",
                "assets/anh*dep.png": PNG,
                "assets/ảnh thật.png": PNG,
            }
        ),
    )
    where = "content/modules/tong-quan/assets"
    assert f"{where}/gia.png:1: nội dung tệp không đúng loại ảnh theo đuôi tên tệp" in found
    assert (
        f"{where}/trang.exe:1: tệp 'trang.exe' không phải ảnh được phép (chỉ nhận: png, "
        "jpg, jpeg, gif, svg, webp)" in found
    )
    assert any(
        p.startswith(f"{where}/anh*dep.png:1: tên tệp ảnh 'anh*dep.png' không hợp lệ")
        for p in found
    )
    assert not any("ảnh thật.png" in p for p in found)


def test_image_names_may_be_vietnamese_with_spaces(tmp_path):
    body = LESSON_2 + "\n![Sơ đồ](<assets/sơ đồ tổ chức.png>)\n"
    decomposed = unicodedata.normalize("NFD", "assets/sơ đồ tổ chức.png")
    modules, found = load(
        tmp_path / "content", variant({"02-de-an-4599.md": body, decomposed: PNG})
    )
    assert found == []
    assert list(modules[0].assets) == ["so-do.svg", "sơ đồ tổ chức.png"]
    src = "/modules/tong-quan/assets/s%C6%A1%20%C4%91%E1%BB%93%20t%E1%BB%95%20ch%E1%BB%A9c.png"
    assert f'src="{src}"' in modules[0].lessons[1].html


def test_an_image_linked_from_outside_the_module_folder_is_refused(tmp_path):
    root = tmp_path / "content"
    write_tree(root, MODULES)
    secret = tmp_path / "bi-mat.svg"
    secret.write_bytes(SVG)
    os.symlink(secret, root / "modules" / "tong-quan" / "assets" / "tro-ra.svg")
    modules, found = load_modules(root, resolve)
    assert (
        "content/modules/tong-quan/assets/tro-ra.svg:1: tệp ảnh trỏ ra ngoài thư mục "
        "assets/ của chuyên đề" in [str(p) for p in found]
    )
    assert "tro-ra.svg" not in modules[0].assets


def test_broken_document_links_are_errors_on_their_line(tmp_path):
    body = LESSON_2 + "\nTheo [[61/2018/NĐ-CP]] và [[4599/QĐ-UBND]].\n"
    found = messages(tmp_path / "content", variant({"02-de-an-4599.md": body}))
    assert found == [
        "content/modules/tong-quan/02-de-an-4599.md:9: liên kết [[61/2018/NĐ-CP]] "
        "không trỏ tới văn bản nào trong cơ sở dữ liệu văn bản"
    ]


def test_front_matter_errors_and_huge_bodies_are_reported_not_raised(tmp_path):
    found = messages(
        tmp_path / "content",
        variant(
            {
                "01-cai-cach-la-gi.md": "---\ntitle: [chưa đóng\n---\nx\n",
                "02-de-an-4599.md": "không có phần đầu\n",
                "03-kinh-nghiem.md": LESSON_2 + "x" * 600_000,
            }
        ),
    )
    assert any(
        p.startswith("content/modules/tong-quan/01-cai-cach-la-gi.md:") and "YAML" in p
        for p in found
    )
    assert (
        "content/modules/tong-quan/02-de-an-4599.md:1: thiếu phần đầu YAML (dòng đầu tiên "
        "phải là ---)" in found
    )
    assert any(
        p.startswith("content/modules/tong-quan/03-kinh-nghiem.md:5: Nội dung Markdown quá dài")
        for p in found
    )


def test_hostile_markdown_is_rendered_safe(tmp_path):
    body = LESSON_2 + (
        "\n<script>alert(1)</script>\n\n[bấm](javascript:alert(1))\n\n"
        "<img src=x onerror=alert(1)>\n\n[x](data:text/html,hi)\n"
    )
    modules, found = load(tmp_path / "content", variant({"02-de-an-4599.md": body}))
    html = modules[0].lessons[1].html
    assert found == []
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html)
    assert 'href="javascript' not in html and 'href="data:' not in html


def test_content_check_reports_module_problems_with_document_problems(app):
    root = write_tree(
        content_root(app), variant({"02-de-an-4599.md": LESSON_2 + "\n[[9999/QĐ-XX]]\n"})
    )
    (root / "documents" / "hong.md").write_text("---\nnumber: 1/QĐ\n---\n", encoding="utf-8")
    found = problems(app)
    assert any(p.startswith("content/documents/hong.md:") for p in found)
    assert (
        "content/modules/tong-quan/02-de-an-4599.md:9: liên kết [[9999/QĐ-XX]] không trỏ "
        "tới văn bản nào trong cơ sở dữ liệu văn bản" in found
    )


def test_a_trailing_newline_does_not_sneak_past_the_name_rules():
    assert slug_problem("bai-mot\n") is not None
    assert schema.asset_name_problem("anh.png\n") is not None
    assert schema.LESSON_FILE_RE.match("01-bai.md\n") is None
