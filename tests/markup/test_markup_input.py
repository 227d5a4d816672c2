"""Odd input (CRLF, BOM, NFD, huge, wrong type) and the inline and plain-text entry points."""

from __future__ import annotations

import unicodedata

import pytest
from markup_audit import audit

from cchc_learn.markup import (
    MAX_INPUT_CHARS,
    MarkupInputTooLarge,
    render,
    render_inline,
    sanitize_html,
    to_plain_text,
)


def test_crlf_and_bom_render_like_lf():
    lf = "# Tiêu đề\n\nĐoạn [[1/A]]\ncó hai dòng.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    crlf = "\ufeff" + lf.replace("\n", "\r\n")
    assert render(crlf) == render(lf)
    assert render(crlf).doc_links[0].line == 3


def test_lone_carriage_returns_are_line_ends():
    result = render("a\r\rb [[1/A]]")
    assert result.html == '<p>a</p>\n<p>b <span class="doc-link doc-link--broken">1/A</span></p>\n'
    assert result.doc_links[0].line == 3


def test_nfd_input_is_rendered_as_nfc():
    nfd = unicodedata.normalize("NFD", "## Cải cách hành chính\n\nNăng lực cán bộ.")
    result = render(nfd)
    assert "Cải cách hành chính" in result.html
    assert result.html == unicodedata.normalize("NFC", result.html)
    assert result.toc[0].id == "cai-cach-hanh-chinh"


def test_nul_character_is_replaced_not_kept():
    assert "\x00" not in render("a\x00b").html


def test_too_long_input_raises_a_vietnamese_value_error():
    with pytest.raises(ValueError) as caught:
        render("a" * (MAX_INPUT_CHARS + 1))
    assert isinstance(caught.value, MarkupInputTooLarge)
    message = str(caught.value)
    assert "quá dài" in message and "200.000" in message and "200.001" in message


def test_input_at_the_limit_is_accepted():
    assert render("a" * MAX_INPUT_CHARS).html.startswith("<p>aaa")


def test_every_entry_point_enforces_the_limit():
    huge = "x" * (MAX_INPUT_CHARS + 1)
    for entry in (render_inline, to_plain_text):
        with pytest.raises(MarkupInputTooLarge):
            entry(huge)
    with pytest.raises(MarkupInputTooLarge, match="Đoạn HTML quá dài"):
        sanitize_html("<p>" * 2_000_000)


def test_non_string_input_is_a_type_error_not_a_crash_later():
    with pytest.raises(TypeError, match="phải là chuỗi"):
        render(b"bytes")  # type: ignore[arg-type]


def test_empty_and_blank_input():
    assert render("").html == ""
    assert render("   \n\n  ").html == ""
    assert to_plain_text("") == ""
    assert render_inline("") == ""


def test_render_inline_has_no_block_elements():
    out = render_inline("# **Đậm** và *nghiêng*\n- `mã` [[4599/QĐ-UBND]] ![ảnh](a.png)")
    assert out == (
        "# <strong>Đậm</strong> và <em>nghiêng</em> - <code>mã</code> "
        '<span class="doc-link doc-link--broken">4599/QĐ-UBND</span> '
        '<span class="image-missing">ảnh</span>'
    )


def test_render_inline_resolves_doc_links_when_given_a_resolver():
    out = render_inline("Xem [[4599/QĐ-UBND|Đề án]]", doc_link_resolver=lambda n: "/kb/4599")
    assert out == 'Xem <a class="doc-link" href="/kb/4599">Đề án</a>'


def test_render_inline_is_sanitized():
    out = render_inline("<b onclick=x>a</b> [x](javascript:alert(1)) [y](https://e.example)")
    assert audit(out) == []
    assert "&lt;b onclick=x&gt;" in out
    assert 'rel="noopener noreferrer nofollow"' in out


def test_plain_text_keeps_words_of_headings_lists_tables_and_labels():
    text = (
        "---\n\n# Đề án **4599**\n\n- Mục *một*\n- Mục `hai`\n\n"
        "| Chỉ số | Năm |\n|---|---|\n| PAPI | 2025 |\n\n"
        "Xem [[4599/QĐ-UBND|Đề án 4599]] và [[08-NQ/TU]], [liên kết](https://x.example).\n\n"
        "![Sơ đồ](a.png)\n\n"
        "!!! note\n    Lưu ý.\n\n"
        "Thuật ngữ\n: Định nghĩa[^1]\n\n[^1]: Chú thích.\n\n"
        "```\nmã nguồn\n```\n"
    )
    assert to_plain_text(text) == (
        "Đề án 4599\nMục một\nMục hai\n\nChỉ số | Năm\nPAPI | 2025\n\n"
        "Xem Đề án 4599 và 08-NQ/TU, liên kết.\n\nSơ đồ\n\nGhi chú\nLưu ý.\n\n"
        "Thuật ngữ\nĐịnh nghĩa\n\nmã nguồn\n\nChú thích."
    )


def test_plain_text_has_no_markup_characters_from_syntax():
    plain = to_plain_text("## *a* **b** ~~c~~ `d`\n\n> e\n\n1. f\n")
    assert plain == "a b c d\ne\n\nf"


def test_plain_text_normalises_nfd_and_crlf():
    nfd = unicodedata.normalize("NFD", "\ufeffHành chính\r\ncông")
    assert to_plain_text(nfd) == "Hành chính công"
