"""`[[NUMBER]]` document links and images: resolved, broken or missing, with source lines."""

from __future__ import annotations

from markup_audit import audit

from cchc_learn.markup import AssetRef, DocLink, normalize_doc_number, render

DOCS = {"4599/QĐ-UBND": "/kb/4599-qd-ubnd", "61/2018/NĐ-CP": "/kb/61-2018-nd-cp"}


def resolve(number: str) -> str | None:
    return DOCS.get(number)


def test_resolved_doc_link_becomes_a_doc_link_anchor():
    result = render("Theo [[4599/QĐ-UBND]].", doc_link_resolver=resolve)
    assert result.html == (
        '<p>Theo <a class="doc-link" href="/kb/4599-qd-ubnd">4599/QĐ-UBND</a>.</p>\n'
    )
    assert result.doc_links == [
        DocLink(number="4599/QĐ-UBND", line=1, resolved=True, label="4599/QĐ-UBND",
                url="/kb/4599-qd-ubnd")
    ]  # fmt: skip


def test_label_form_shows_the_label():
    result = render("[[4599/QĐ-UBND|Đề án 4599]]", doc_link_resolver=resolve)
    assert '<a class="doc-link" href="/kb/4599-qd-ubnd">Đề án 4599</a>' in result.html
    assert result.doc_links[0].label == "Đề án 4599"


def test_broken_link_is_visible_and_reported_with_its_line():
    text = "Dòng một.\n\nDòng ba có [[08-NQ/TU]]\nvà dòng bốn có [[76/NQ-CP|Nghị quyết 76]].\n"
    result = render(text, doc_link_resolver=resolve)
    assert '<span class="doc-link doc-link--broken">08-NQ/TU</span>' in result.html
    assert '<span class="doc-link doc-link--broken">Nghị quyết 76</span>' in result.html
    assert [(link.number, link.line, link.resolved) for link in result.doc_links] == [
        ("08-NQ/TU", 3, False),
        ("76/NQ-CP", 4, False),
    ]
    assert result.broken_links == result.doc_links


def test_without_resolver_every_doc_link_is_broken():
    result = render("[[4599/QĐ-UBND]]")
    assert result.doc_links[0].resolved is False
    assert "doc-link--broken" in result.html


def test_number_is_normalised_but_label_keeps_the_text_as_written():
    result = render("[[ 61 / 2018 / NĐ-CP ]]", doc_link_resolver=resolve)
    assert result.doc_links[0].number == "61/2018/NĐ-CP"
    assert result.doc_links[0].resolved
    assert ">61 / 2018 / NĐ-CP</a>" in result.html


def test_nfd_number_is_normalised_to_nfc():
    nfd = "4599/Q\u0110-UBND".replace("\u0110", "D\u0335")  # not Đ: must stay unresolved
    assert render(f"[[{nfd}]]", doc_link_resolver=resolve).doc_links[0].resolved is False
    decomposed = "[[61/2018/N\u0110-CP]]"
    assert render(decomposed, doc_link_resolver=resolve).doc_links[0].resolved
    assert normalize_doc_number("  4599 /  QĐ - UBND ") == "4599/QĐ-UBND"
    assert normalize_doc_number("Quyết định  số\t12") == "Quyết định số 12"


def test_lines_count_inside_lists_tables_quotes_footnotes_and_admonitions():
    text = (
        "# Tiêu đề [[1/A]]\n"  # 1
        "\n"
        "- mục [[2/B]]\n"  # 3
        "  tiếp [[3/C]]\n"  # 4
        "\n"
        "| a | b |\n"  # 6
        "|---|---|\n"
        "| [[4/D]] | x |\n"  # 8
        "\n"
        "> trích [[5/E]]\n"  # 10
        "\n"
        '!!! note "[[6/F]]"\n'  # 12
        "    nội dung\n"
        "    [[7/G]]\n"  # 14
        "\n"
        "Chú thích[^1].\n"
        "\n"
        "[^1]: xem [[8/H]]\n"  # 18
    )
    result = render(text)
    assert [(link.number, link.line) for link in result.doc_links] == [
        ("1/A", 1), ("2/B", 3), ("3/C", 4), ("4/D", 8), ("5/E", 10), ("6/F", 12),
        ("7/G", 14), ("8/H", 18),
    ]  # fmt: skip


def test_first_line_shifts_reported_lines_for_text_after_front_matter():
    result = render("\n[[4599/QĐ-UBND]]\n![x](a.png)", first_line=6)
    assert result.doc_links[0].line == 7
    assert result.missing_assets == [AssetRef(path="a.png", line=8)]


def test_doc_link_in_code_or_escaped_is_not_a_link():
    result = render("`[[4599/QĐ-UBND]]` và \\[[4599/QĐ-UBND]]", doc_link_resolver=resolve)
    assert result.doc_links == []
    assert "<code>[[4599/QĐ-UBND]]</code>" in result.html


def test_odd_brackets_stay_text():
    for text in ("[[]]", "[[ | nhãn]]", "[[a\nb]]", "[[a]b]]", "[[" + "x" * 300 + "]]"):
        result = render(text)
        assert result.doc_links == [], text
        assert "doc-link" not in result.html, text


def test_doc_link_inside_a_link_wins_like_any_nested_link():
    # CommonMark forbids links in links: the inner one is kept, the outer stays text.
    result = render("[xem [[4599/QĐ-UBND]] tại đây](/kb/)", doc_link_resolver=resolve)
    assert result.html == (
        '<p>[xem <a class="doc-link" href="/kb/4599-qd-ubnd">4599/QĐ-UBND</a> tại đây](/kb/)</p>\n'
    )
    assert result.doc_links[0].resolved


def test_doc_link_inside_image_alt_becomes_its_label():
    result = render("![ảnh [[4599/QĐ-UBND|Đề án]]](a.png)", asset_resolver=lambda p: "/f/a.png")
    assert result.html == '<p><img src="/f/a.png" alt="ảnh Đề án"></p>\n'


def test_doc_link_label_is_escaped():
    result = render('[[1/A|<img src=x onerror="alert(1)">]]', doc_link_resolver=lambda n: "/kb/1")
    assert '>&lt;img src=x onerror="alert(1)"&gt;</a>' in result.html
    assert audit(result.html) == []


def test_resolver_url_is_still_sanitized():
    result = render("[[1/A]]", doc_link_resolver=lambda n: "javascript:alert(1)")
    assert "javascript" not in result.html
    assert audit(result.html) == []


def test_resolver_is_asked_once_per_number():
    asked: list[str] = []

    def counting(number: str) -> str | None:
        asked.append(number)
        return None

    render("[[1/A]] [[1/A]] [[ 1 / A ]] [[2/B]]", doc_link_resolver=counting)
    assert asked == ["1/A", "2/B"]


def test_relative_image_resolved_through_asset_resolver():
    def assets(path: str) -> str | None:
        return "/modules/m1/assets/so-do.png" if path == "assets/sơ đồ.png" else None

    result = render('![Sơ đồ một cửa](<assets/sơ đồ.png> "Một cửa")', asset_resolver=assets)
    assert result.html == (
        '<p><img src="/modules/m1/assets/so-do.png" alt="Sơ đồ một cửa" title="Một cửa"></p>\n'
    )
    assert result.missing_assets == []


def test_missing_image_shows_alt_text_and_is_reported():
    text = "Ảnh:\n\n![Sơ đồ **quy trình**](assets/khong-co.png)\n"
    result = render(text, asset_resolver=lambda path: None)
    assert result.html == '<p>Ảnh:</p>\n<p><span class="image-missing">Sơ đồ quy trình</span></p>\n'
    assert result.missing_assets == [AssetRef(path="assets/khong-co.png", line=3)]


def test_external_image_blocked_by_default_and_allowed_on_request():
    text = "![Logo](https://example.com/logo.png)"
    blocked = render(text)
    assert blocked.html == '<p><span class="image-external">Logo</span></p>\n'
    assert blocked.blocked_images == [AssetRef(path="https://example.com/logo.png", line=1)]
    allowed = render(text, allow_external_images=True)
    assert '<img src="https://example.com/logo.png" alt="Logo">' in allowed.html
    assert allowed.blocked_images == []


def test_site_absolute_image_is_kept_without_resolving():
    result = render("![x](/static/logo.png)", asset_resolver=lambda path: None)
    assert '<img src="/static/logo.png" alt="x">' in result.html
    assert result.missing_assets == []


def test_image_with_refused_url_shows_alt_text():
    for text in ("![mã](javascript:alert(1))", "![ảnh](data:image/png;base64,AAAA)"):
        out = render(text).html
        assert "<img" not in out and "javascript:" not in out.replace("](javascript:", "")
        assert audit(out) == []


def test_image_inside_link_is_resolved():
    result = render("[![a](b.png)](/kb/)", asset_resolver=lambda path: "/f/" + path)
    assert result.html == '<p><a href="/kb/"><img src="/f/b.png" alt="a"></a></p>\n'
