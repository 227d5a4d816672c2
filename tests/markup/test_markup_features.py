"""Each Markdown feature trainers use renders to the HTML the lesson pages expect."""

from __future__ import annotations

from markup_audit import attributes, audit

from cchc_learn.markup import Rendered, TocEntry, render, slugify


def test_table_keeps_cells_and_turns_alignment_into_classes():
    out = render("| Chỉ số | 2025 | 2030 |\n|:--|--:|:-:|\n| Đào tạo | > 85 % | > 95 % |\n").html
    assert "<table>" in out and '<th class="align-left">Chỉ số</th>' in out
    assert '<td class="align-right">&gt; 85 %</td>' in out
    assert '<td class="align-center">&gt; 95 %</td>' in out
    assert "style=" not in out
    assert audit(out) == []


def test_strikethrough_renders_as_del():
    assert render("~~bỏ~~ giữ").html == "<p><del>bỏ</del> giữ</p>\n"


def test_footnote_reference_links_to_its_note_and_back():
    out = render("Chỉ số PAPI[^papi].\n\n[^papi]: Chỉ số hiệu quả quản trị.\n").html
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in out
    assert '<section class="footnotes">' in out
    assert '<li id="fn1" class="footnote-item"><p>Chỉ số hiệu quả quản trị.' in out
    assert '<a href="#fnref1" class="footnote-backref">' in out


def test_definition_list():
    out = render("TTHC\n: Thủ tục hành chính\n\nPCI\n: Năng lực cạnh tranh cấp tỉnh\n").html
    assert out == (
        "<dl>\n<dt>TTHC</dt>\n<dd>Thủ tục hành chính</dd>\n"
        "<dt>PCI</dt>\n<dd>Năng lực cạnh tranh cấp tỉnh</dd>\n</dl>\n"
    )


def test_admonition_with_title_keeps_it():
    out = render('!!! warning "Hạn nộp báo cáo"\n    Trước ngày *15/12*.\n').html
    assert out == (
        '<div class="admonition warning">\n<p class="admonition-title">Hạn nộp báo cáo</p>\n'
        "<p>Trước ngày <em>15/12</em>.</p>\n</div>\n"
    )


def test_admonition_without_title_gets_a_vietnamese_one():
    out = render("!!! note\n    Ghi nhớ.\n").html
    assert '<p class="admonition-title">Ghi chú</p>' in out
    assert "Note" not in out


def test_admonition_of_unknown_kind_keeps_only_the_admonition_class():
    out = render('!!! bat-ky "Tiêu đề"\n    Nội dung.\n').html
    assert '<div class="admonition">' in out and "Tiêu đề" in out


def test_admonition_empty_title_has_no_title_paragraph():
    out = render('!!! tip ""\n    Chỉ nội dung.\n').html
    assert "admonition-title" not in out and "Chỉ nội dung." in out


def test_code_fence_keeps_language_class_and_escapes_content():
    out = render("```python\nprint('<b>')\n```\n").html
    assert out == "<pre><code class=\"language-python\">print('&lt;b&gt;')\n</code></pre>\n"


def test_vietnamese_slugs_fold_diacritics_and_d():
    assert slugify("Điều 3. Tổ chức thực hiện") == "dieu-3-to-chuc-thuc-hien"
    assert slugify("Mục tiêu Đề án 4599/QĐ-UBND") == "muc-tieu-de-an-4599-qd-ubnd"
    assert slugify("Hoá đơn") == slugify("Hóa đơn") == "hoa-don"
    assert slugify("!!!") == "muc"


def test_heading_ids_are_slugs_and_unique_per_page():
    out = render("# Mục tiêu\n\n## Mục tiêu\n\n## Mục tiêu\n\n## Mục tiêu 1\n").html
    assert attributes(out, "h1", "id") == ["muc-tieu"]
    assert attributes(out, "h2", "id") == ["muc-tieu-1", "muc-tieu-2", "muc-tieu-1-1"]


def test_heading_ids_never_take_footnote_ids():
    out = render("## fn1\n\nA[^a]\n\n[^a]: b\n").html
    assert attributes(out, "h2", "id") == ["fn1-1"]
    assert attributes(out, "li", "id") == ["fn1"]


def test_nfd_heading_gets_the_same_slug_as_nfc():
    nfd = "## Đa\u0300o ta\u0323o\n"
    assert render(nfd).toc == [TocEntry(level=2, id="dao-tao", title="Đào tạo")]


def test_toc_lists_h2_and_h3_nested_and_all_headings_are_reported():
    text = (
        "# Đề án 4599\n\n## Mục tiêu\n\n### Đến năm 2025\n\n### Đến năm 2030\n\n"
        "#### Chi tiết\n\n## Giải pháp `CCHC`\n"
    )
    result = render(text)
    assert isinstance(result, Rendered)
    assert [(e.level, e.id, e.title) for e in result.toc] == [
        (2, "muc-tieu", "Mục tiêu"),
        (3, "den-nam-2025", "Đến năm 2025"),
        (3, "den-nam-2030", "Đến năm 2030"),
        (2, "giai-phap-cchc", "Giải pháp CCHC"),
    ]
    assert [e.level for e in result.headings] == [1, 2, 3, 3, 4, 2]
    assert result.toc_html == (
        '<ol class="toc"><li><a href="#muc-tieu">Mục tiêu</a><ol>'
        '<li><a href="#den-nam-2025">Đến năm 2025</a></li>'
        '<li><a href="#den-nam-2030">Đến năm 2030</a></li></ol></li>'
        '<li><a href="#giai-phap-cchc">Giải pháp CCHC</a></li></ol>'
    )


def test_toc_with_h3_before_any_h2_and_none_at_all():
    assert render("### Lẻ\n\n## Chính\n").toc_html == (
        '<ol class="toc"><li><a href="#le">Lẻ</a></li><li><a href="#chinh">Chính</a></li></ol>'
    )
    plain = render("Chỉ có đoạn văn.")
    assert plain.toc == [] and plain.toc_html == ""


def test_toc_title_escapes_markup_written_in_heading():
    result = render("## <b>Đậm</b> & *nghiêng*\n")
    assert result.toc[0].title == "<b>Đậm</b> & nghiêng"
    assert "&lt;b&gt;Đậm&lt;/b&gt; &amp; nghiêng" in result.toc_html
    assert audit(result.toc_html) == []


def test_links_inside_site_have_no_rel_and_external_ones_do():
    out = render("[trang](/kb/4599) [mục](#muc-tieu) [ngoài](https://dichvucong.gov.vn/)").html
    assert '<a href="/kb/4599">trang</a>' in out
    assert '<a href="#muc-tieu">mục</a>' in out
    assert (
        '<a href="https://dichvucong.gov.vn/" rel="noopener noreferrer nofollow">ngoài</a>' in out
    )


def test_mailto_link_is_kept():
    out = render("[Sở Nội vụ](mailto:snv@example.gov.vn)").html
    assert '<a href="mailto:snv@example.gov.vn">Sở Nội vụ</a>' in out


def test_lists_blockquote_and_breaks():
    out = render("3. ba\n4. bốn\n\n- a\n- b\n\n> trích  \n> dẫn\n\n---\n").html
    assert '<ol start="3">' in out and "<ul>" in out
    assert "<blockquote>" in out and "<br>" in out and "<hr>" in out
