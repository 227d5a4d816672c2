"""The front-matter reader: safe YAML, encodings, line numbers."""

from __future__ import annotations

import pytest

from cchc_learn.content.frontmatter import ContentError, read_markdown_file


def write(tmp_path, data: bytes, name: str = "doc.md"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def problems(path) -> list[str]:
    with pytest.raises(ContentError) as info:
        read_markdown_file(path, path.name)
    return [str(p) for p in info.value.problems]


def test_reads_meta_body_and_key_lines(tmp_path):
    path = write(tmp_path, "---\nnumber: 1/QĐ-UBND\nissued: 2025-07-01\n---\n# Tiêu đề\n".encode())
    md = read_markdown_file(path, "doc.md")
    assert md.meta["number"] == "1/QĐ-UBND"
    assert md.line_of("issued") == 3
    assert md.body == "# Tiêu đề\n"
    assert md.body_line == 5


def test_bom_crlf_and_nfd_are_normalised(tmp_path):
    nfd = "Quye\u0302\u0301t đi\u0323nh"
    path = write(tmp_path, b"\xef\xbb\xbf" + f"---\r\ntype: {nfd}\r\n---\r\nabc\r\n".encode())
    md = read_markdown_file(path, "doc.md")
    assert md.meta["type"] == "Quyết định"
    assert md.body == "abc\n"


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_non_utf8_file_is_an_encoding_error_naming_the_file(tmp_path, encoding):
    # Windows-1258 has no precomposed "ế": Vietnamese text there uses combining marks.
    path = write(tmp_path, "---\ntype: Đà Nă\u0301ng\n---\n".encode(encoding))
    [message] = problems(path)
    assert message.startswith("doc.md:") and "UTF-8" in message


def test_python_tags_are_refused(tmp_path):
    path = write(tmp_path, b"---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n")
    [message] = problems(path)
    assert message.startswith("doc.md:2:") and "thẻ YAML" in message


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
        "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n---\n"
    )
    [message] = problems(write(tmp_path, bomb.encode()))
    assert "neo/bí danh" in message


def test_missing_front_matter_and_unclosed_header(tmp_path):
    assert "thiếu phần đầu YAML" in problems(write(tmp_path, b"# no header\n"))[0]
    assert "không có dòng ---" in problems(write(tmp_path, b"---\na: 1\n", "b.md"))[0]


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    [message] = problems(write(tmp_path, b"---\na: 1\nb: [unclosed\nc: 2\n---\n"))
    assert message.startswith("doc.md:") and "cú pháp YAML" in message


def test_non_mapping_header_and_oversized_file(tmp_path):
    assert "cặp khóa" in problems(write(tmp_path, b"---\n- a\n- b\n---\n"))[0]
    big = write(tmp_path, b"---\na: 1\n---\n" + b"x" * (3 * 1024 * 1024), "big.md")
    assert "quá lớn" in problems(big)[0]
