"""Tests for scripts/convert_vanban.py: text cleaning, metadata and the committed output."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import sys
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import convert_vanban  # noqa: E402
from vanban_body import convert_document, rejoin_lines  # noqa: E402
from vanban_header import convert_front, split_blocks  # noqa: E402
from vanban_markdown import escape_cell, escape_line  # noqa: E402
from vanban_meta import (  # noqa: E402
    assign_slugs,
    clean_title,
    issuer_name,
    sentence_case,
    slugify,
    summary_from_title,
)
from vanban_tables import parse_table, render_table  # noqa: E402

DOCUMENTS = REPO_ROOT / "content" / "documents"
MANIFEST = DOCUMENTS / convert_vanban.MANIFEST_NAME
REQUIRED_KEYS = ("number", "type", "issuer", "issued", "status", "topics", "summary", "source")


def render(markdown: str) -> str:
    """Render Markdown the way the documents are checked: CommonMark plus tables."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def visible_text(markup: str) -> str:
    """Return the text a reader sees in rendered HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def shared_dir() -> Path:
    """Locate the shared data folder: $CCHC_SHARED_DIR or ../shared next to the repository."""
    configured = os.environ.get("CCHC_SHARED_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared"


@pytest.fixture(scope="module")
def corpus() -> Path:
    folder = shared_dir() / "corpus" / "vanban-2025"
    if not (folder / "index.jsonl").is_file():
        pytest.fail(
            f"vanban-2025 corpus not found at {folder}: put the shared data folder next to the "
            "repository as ../shared or point CCHC_SHARED_DIR at it"
        )
    return folder


# --- header -------------------------------------------------------------------------------

HEADER = """ỦY BAN NHÂN
DÂN
TỈNH LAI CHÂU
--------

CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc ---------------

Số: 3783/QĐ-
UBND

Lai Châu, ngày 19 tháng 11 năm 2025

QUYẾT ĐỊNH
VỀ
VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH
CỦA SỞ TÀI CHÍNH
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
Căn cứ Luật Tổ chức chính quyền địa phương;
"""


def test_header_lines_are_rejoined_into_short_bold_paragraphs() -> None:
    title = "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH CỦA SỞ TÀI CHÍNH"
    chunks, rest = convert_front(split_blocks(HEADER), title)
    assert chunks == [
        "**ỦY BAN NHÂN DÂN TỈNH LAI CHÂU**",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
        "**Độc lập - Tự do - Hạnh phúc**",
        "Số: 3783/QĐ-UBND",
        "*Lai Châu, ngày 19 tháng 11 năm 2025*",
        "**QUYẾT ĐỊNH**",
        f"**{title}**",
        "**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU**",
    ]
    assert rest == [["Căn cứ Luật Tổ chức chính quyền địa phương;"]]


def test_official_letter_keeps_its_subject_line_apart_from_the_number() -> None:
    text = "BỘ TÀI CHÍNH\nCỤC THUẾ\n-------\n\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n"
    text += "Độc lập - Tự do - Hạnh phúc ---------------\n\n"
    text += "Số: 5487/CT-CS V/v chính sách thuế GTGT\n\nHà Nội, ngày 25 tháng 11 năm 2025\n\n"
    text += "Kính gửi:\n\n- Thuế tỉnh Bắc Ninh;\n- Thuế tỉnh Khánh Hòa.\n"
    markdown = convert_document(text, "V/v chính sách thuế GTGT")
    assert "**BỘ TÀI CHÍNH CỤC THUẾ**" in markdown
    assert "Số: 5487/CT-CS\n\nV/v chính sách thuế GTGT\n\n*Hà Nội, ngày 25" in markdown
    assert "Kính gửi:\n\n- Thuế tỉnh Bắc Ninh;\n- Thuế tỉnh Khánh Hòa." in markdown


def test_document_without_a_recognisable_header_is_kept_whole() -> None:
    markdown = convert_document("Một đoạn văn bản.\n\nĐoạn thứ hai.", "")
    assert markdown == "Một đoạn văn bản.\n\nĐoạn thứ hai.\n"


# --- line re-joining ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["TM. ỦY BAN NHÂN", "DÂN"], ["TM. ỦY BAN NHÂN DÂN"]),
        (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        (["KT. BỘ TRƯỞNG,", "CHỦ NHIỆM"], ["KT. BỘ TRƯỞNG, CHỦ NHIỆM"]),
        (["sửa đổi tại Luật số", "90/2025/QH15);"], ["sửa đổi tại Luật số 90/2025/QH15);"]),
        (["Quy trình số 02", "2. Quy trình nội bộ"], ["Quy trình số 02", "2. Quy trình nội bộ"]),
        (["a) Tiếp nhận hồ sơ;", "b) Trả kết quả."], ["a) Tiếp nhận hồ sơ;", "b) Trả kết quả."]),
        (["đơn vị, địa phương", "liên quan."], ["đơn vị, địa phương liên quan."]),
        (["Căn cứ Luật A;", "Căn cứ Luật B;"], ["Căn cứ Luật A;", "Căn cứ Luật B;"]),
        (["I. MỤC ĐÍCH,", "YÊU CẦU"], ["I. MỤC ĐÍCH, YÊU CẦU"]),
        (["PHỤ LỤC I", "DANH MỤC THỦ TỤC"], ["PHỤ LỤC I", "DANH MỤC THỦ TỤC"]),
        (["Điều", "12. Trách nhiệm thi hành"], ["Điều 12. Trách nhiệm thi hành"]),
        (["Điều 1.", "Phạm vi điều chỉnh"], ["Điều 1. Phạm vi điều chỉnh"]),
    ],
)
def test_hard_wrapped_lines_are_rejoined(lines: list[str], expected: list[str]) -> None:
    assert rejoin_lines(lines) == expected


# --- headings, lists, signature -------------------------------------------------------------

BODY = """Chương
I

QUY ĐỊNH CHUNG

Điều 1.
Phạm vi điều chỉnh
1. Quyết định này quy định về việc cưới.
a) Không phô trương;
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký./.

Mục 1.
NẾP SỐNG VĂN MINH

Nơi nhận:
- Như Điều 3;
- Lưu: VT.

TM. ỦY BAN NHÂN
DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Tống Thanh Hải
"""


def test_chapters_articles_and_enumerations_become_headings_and_paragraphs() -> None:
    markdown = convert_document(BODY)
    assert markdown.split("\n\n")[:7] == [
        "## Chương I. QUY ĐỊNH CHUNG",
        "### Điều 1. Phạm vi điều chỉnh",
        "1\\. Quyết định này quy định về việc cưới.",
        "a) Không phô trương;",
        "### Điều 2.",
        "Quyết định này có hiệu lực thi hành kể từ ngày ký./.",
        "## Mục 1. NẾP SỐNG VĂN MINH",
    ]
    page = render(markdown)
    assert "<h2>Chương I. QUY ĐỊNH CHUNG</h2>" in page
    assert "<h3>Điều 1. Phạm vi điều chỉnh</h3>" in page
    assert "<p>1. Quyết định này quy định về việc cưới.</p>" in page
    assert "<ol" not in page


def test_recipients_stay_a_list_and_the_signer_short_paragraphs() -> None:
    markdown = convert_document(BODY)
    assert "**Nơi nhận:**\n\n- Như Điều 3;\n- Lưu: VT.\n\n" in markdown
    assert markdown.endswith(
        "**TM. ỦY BAN NHÂN DÂN**\n\n**KT. CHỦ TỊCH**\n\n**PHÓ CHỦ TỊCH**\n\n**Tống Thanh Hải**\n"
    )
    page = render(markdown)
    assert "<ul>\n<li>Như Điều 3;</li>\n<li>Lưu: VT.</li>\n</ul>" in page


def test_capitals_followed_by_an_annex_note_become_an_appendix_heading() -> None:
    text = "DANH MỤC\nTHỦ TỤC HÀNH CHÍNH\n(Kèm theo Quyết định số 2666/QĐ-UBND)\n"
    markdown = convert_document(text)
    assert markdown.startswith("## DANH MỤC THỦ TỤC HÀNH CHÍNH\n\n*(Kèm theo Quyết định")


# --- tables ----------------------------------------------------------------------------------

FLAT_TABLE = """A. DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ

STT

Tên thủ tục hành chính

Lĩnh vực

Cơ quan thực hiện

I

THỦ TỤC HÀNH CHÍNH CẤP TỈNH

1

Cấp lại chứng chỉ | đấu thầu

Đấu thầu

Sở Tài chính

2

Gia hạn chứng chỉ

Đấu thầu

Sở Tài chính

3

Thu hồi chứng chỉ

Sở Tài chính

Điều 2. Quyết định này có hiệu lực.
"""


def test_flattened_table_is_rebuilt_as_a_markdown_table() -> None:
    markdown = convert_document(FLAT_TABLE)
    assert "| STT | Tên thủ tục hành chính | Lĩnh vực | Cơ quan thực hiện |" in markdown
    assert "| I | **THỦ TỤC HÀNH CHÍNH CẤP TỈNH** |  |  |" in markdown
    assert "| 1 | Cấp lại chứng chỉ \\| đấu thầu | Đấu thầu | Sở Tài chính |" in markdown
    # The third row lost its "Lĩnh vực" cell; the agency stays under "Cơ quan thực hiện".
    assert "| 3 | Thu hồi chứng chỉ |  | Sở Tài chính |" in markdown
    page = render(markdown)
    assert page.count("<table>") == 1
    assert page.count("<tr>") == 5
    assert "<td>Cấp lại chứng chỉ | đấu thầu</td>" in page
    assert "<h3>Điều 2.</h3>" in page


def test_table_with_a_two_level_header_falls_back_to_one_list_item_per_row() -> None:
    cells = ["TT", "Tên TTHC", "Dịch vụ công trực tuyến", "Toàn trình", "Một phần"]
    cells += ["1", "Cấp giấy phép", "x", "2", "Gia hạn giấy phép", "x"]
    table, used = parse_table(cells)
    assert used == len(cells)
    markdown = render_table(table)
    assert markdown.splitlines() == [
        "- TT — Tên TTHC — Dịch vụ công trực tuyến — Toàn trình — Một phần",
        "- 1 — Cấp giấy phép — x",
        "- 2 — Gia hạn giấy phép — x",
    ]
    assert "<table>" not in render(markdown)


def test_header_cells_without_rows_stay_a_list() -> None:
    markdown = convert_document("STT\n\nHọ và tên\n\nChức vụ\n\nGhi chú: điền đủ thông tin.")
    assert markdown == "- STT\n- Họ và tên\n- Chức vụ\n\nGhi chú: điền đủ thông tin.\n"


def test_numbers_inside_cells_do_not_start_rows() -> None:
    cells = ["STT", "Tên", "Số ngày", "1", "Cấp phép", "3", "2", "Gia hạn", "5"]
    table, _ = parse_table(cells)
    assert [row.cells for row in table.rows] == [["1", "Cấp phép", "3"], ["2", "Gia hạn", "5"]]


# --- escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "# không phải tiêu đề",
        "1. không phải danh sách",
        "2) cũng không",
        "+ dấu cộng",
        "- gạch đầu dòng",
        "---",
        "> không phải trích dẫn",
        "[1] Chú thích cuối trang",
        "Xem [[4599/QĐ-UBND]] và [liên kết](javascript:alert(1))",
        "<script>alert(1)</script> &amp; &#60;",
        "a * b * c _d_ __e__ `f` ~~g~~ \\ h",
        "    thụt lề bốn dấu cách",
        "[email protected]_",
        "địa chỉ <tenphuongxa>@bacninh.gov.vn",
        "=====",
        ": định nghĩa",
        "!!! note",
    ],
)
def test_escaped_line_renders_as_the_literal_text(text: str) -> None:
    page = render(escape_line(text))
    assert page.startswith("<p>")
    assert visible_text(page) == " ".join(text.split())


def test_bullet_lines_stay_list_items_when_allowed() -> None:
    page = render(escape_line("- Như Điều 3; [1]", allow_bullet=True))
    assert page == "<ul>\n<li>Như Điều 3; [1]</li>\n</ul>\n"


def test_text_is_nfc_normalised_and_control_characters_dropped() -> None:
    decomposed = unicodedata.normalize("NFD", "Thủ tục hành chính")
    assert escape_line(decomposed + "\x00\x07\u200b") == "Thủ tục hành chính"


def expected_text(text: str) -> str:
    """Return what a reader should see for a line: NFC, no control characters, single spaces."""
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]", "", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_line_renders_back_to_its_own_text(text: str) -> None:
    page = render(escape_line(text))
    assert "<p>" in page or not expected_text(text)
    assert visible_text(page) == expected_text(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
def test_any_cell_stays_inside_its_table_column(text: str) -> None:
    page = render(f"| a | b |\n| --- | --- |\n| {escape_cell(text)} | z |")
    cells = re.findall(r"<td>(.*?)</td>", page, flags=re.DOTALL)
    assert len(cells) == 2
    assert visible_text(cells[0]) == expected_text(text)
    assert cells[1] == "z"


@pytest.mark.parametrize(
    "text",
    ["[" * 20_000, "STT\n\n" * 5_000, "ABC DEF\n" * 20_000, "Căn cứ\n" + "tiếp theo\n" * 20_000],
)
def test_hostile_input_converts_in_linear_time(text: str) -> None:
    started = time.monotonic()
    markdown = convert_document(text)
    assert time.monotonic() - started < 10
    page = render(markdown)
    assert "<a " not in page and "<code>" not in page


def test_brackets_survive_as_text() -> None:
    assert visible_text(render(convert_document("[" * 20_000))) == "[" * 20_000


# --- metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "UBND tỉnh Lai Châu"),
        ("UỶ BAN NHÂN DÂN TỈNH BẮC NINH", "UBND tỉnh Bắc Ninh"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "UBND thành phố Hồ Chí Minh"),
        ("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI", "HĐND thành phố Hà Nội"),
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Chủ tịch UBND tỉnh Đồng Tháp"),
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"),
        ("CHÍNH PHỦ", "Chính phủ"),
        ("BỘ Y TẾ", "Bộ Y tế"),
        ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Bộ Khoa học và Công nghệ"),
        ("BỘ TÀI CHÍNH CỤC THUẾ", "Cục Thuế (Bộ Tài chính)"),
        (
            "UBND THÀNH PHỐ HÀ NỘI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
            "Trung tâm Phục vụ hành chính công (UBND thành phố Hà Nội)",
        ),
    ],
)
def test_issuer_names_are_readable(raw: str, expected: str) -> None:
    assert issuer_name(raw) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN CỦA SỞ TÀI CHÍNH",
            "Về việc công bố danh mục thủ tục hành chính thuộc thẩm quyền của Sở Tài chính",
        ),
        (
            "QUY ĐỊNH NẾP SỐNG VĂN MINH TRÊN ĐỊA BÀN TỈNH LAI CHÂU",
            "Quy định nếp sống văn minh trên địa bàn tỉnh Lai Châu",
        ),
        (
            "SỬA ĐỔI QUYẾT ĐỊNH SỐ 3470/QĐ-UBND CỦA CHỦ TỊCH UBND THÀNH PHỐ HUẾ",
            "Sửa đổi Quyết định số 3470/QĐ-UBND của Chủ tịch UBND thành phố Huế",
        ),
        (
            "THUỘC PHẠM VI QUẢN LÝ CỦA SỞ KHOA HỌC VÀ CÔNG NGHỆ (TTHC, DVC, HĐND)",
            "Thuộc phạm vi quản lý của Sở Khoa học và Công nghệ (TTHC, DVC, HĐND)",
        ),
        ("BẦU CỬ ĐẠI BIỂU QUỐC HỘI KHÓA XVI", "Bầu cử đại biểu Quốc hội khóa XVI"),
        ("V/v chính sách thuế GTGT", "V/v chính sách thuế GTGT"),
    ],
)
def test_titles_become_sentence_case_summaries(title: str, expected: str) -> None:
    assert sentence_case(title) == expected


def test_summary_drops_the_authority_appended_to_the_title_and_the_final_period() -> None:
    title = "CÔNG BỐ DANH MỤC THỦ TỤC HÀNH CHÍNH TỈNH CÀ MAU CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH"
    assert summary_from_title(title) == "Công bố danh mục thủ tục hành chính tỉnh Cà Mau"
    kept = "THẨM QUYỀN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH, SỞ TÀI CHÍNH"
    assert clean_title(kept) == kept
    assert summary_from_title("KẾT LUẬN CỦA BAN CHỈ ĐẠO.") == "Kết luận của Ban Chỉ đạo"


def test_slug_folds_the_number_to_ascii() -> None:
    assert slugify("2666/QĐ-UBND") == "2666-qd-ubnd"
    assert slugify("163/2025/QĐ-CTUBND") == "163-2025-qd-ctubnd"
    assert slugify("08-NQ/TU") == "08-nq-tu"


def test_shared_numbers_get_an_issuer_suffix_on_every_colliding_document() -> None:
    records = [
        ("b2", "2666/QĐ-UBND", "UBND tỉnh Lai Châu"),
        ("a1", "2666/QĐ-UBND", "UBND thành phố Cần Thơ"),
        ("c3", "2519/QĐ-UBND", "UBND thành phố Cần Thơ"),
    ]
    slugs = assign_slugs(records)
    assert slugs == {
        "a1": "2666-qd-ubnd-can-tho",
        "b2": "2666-qd-ubnd-lai-chau",
        "c3": "2519-qd-ubnd",
    }
    assert assign_slugs(reversed(records)) == slugs


def test_same_number_and_issuer_still_gets_distinct_slugs() -> None:
    records = [("aaaaaa1", "1/QĐ-UBND", "Bộ Y tế"), ("bbbbbb2", "1/QĐ-UBND", "Bộ Y tế")]
    assert assign_slugs(records) == {
        "aaaaaa1": "1-qd-ubnd-bo-y-te-aaaaaa",
        "bbbbbb2": "1-qd-ubnd-bo-y-te-bbbbbb",
    }


def test_topics_come_from_the_title_or_from_repeated_keywords() -> None:
    assign = convert_vanban.assign_topics
    assert assign("Công bố danh mục thủ tục hành chính", "") == ["TTHC"]
    assert assign("Quy định về việc cưới", "Nộp tại Bộ phận Một cửa. " + "x " * 5000) == []
    assert assign("Kế hoạch", "Nâng cao chỉ số PAPI và PAR INDEX của tỉnh.") == [
        "PAR-INDEX",
        "PAPI",
    ]
    assert assign("Quy chế quản lý hệ thống thư điện tử công vụ", "") == ["Chính quyền số"]
    assert set(assign("Chức năng, nhiệm vụ, quyền hạn của Sở Nội vụ", "")) == {"Bộ máy"}


# --- the command --------------------------------------------------------------------------------


def write_corpus(folder: Path, documents: list[dict[str, str]]) -> Path:
    (folder / "docs").mkdir(parents=True)
    lines = []
    for doc in documents:
        (folder / "docs" / f"{doc['id']}.txt").write_text(doc.pop("text"), encoding="utf-8")
        lines.append(json.dumps({**doc, "file": f"docs/{doc['id']}.txt"}, ensure_ascii=False))
    (folder / "index.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def make_doc(doc_id: str, number: str, **overrides: str) -> dict[str, str]:
    doc = {
        "id": doc_id,
        "so_hieu": number,
        "loai": "Quyết định",
        "ngay_ban_hanh": "2025-11-26",
        "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
        "trich_yeu": "VỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH",
        "text": "Điều 1. Công bố thủ tục hành chính.",
    }
    doc.update(overrides)
    return doc


def test_command_writes_files_and_manifest_deterministically(tmp_path: Path) -> None:
    source = write_corpus(tmp_path / "corpus", [make_doc("a1", "2666/QĐ-UBND")])
    out = tmp_path / "documents"
    assert convert_vanban.main(["--source", str(source), "--out", str(out)]) == 0
    first = (out / "2666-qd-ubnd.md").read_bytes()
    assert convert_vanban.main(["--source", str(source), "--out", str(out)]) == 0
    assert (out / "2666-qd-ubnd.md").read_bytes() == first
    meta = yaml.safe_load(first.decode("utf-8").split("---\n")[1])
    assert meta == {
        "number": "2666/QĐ-UBND",
        "type": "Quyết định",
        "issuer": "UBND thành phố Cần Thơ",
        "issued": dt.date(2025, 11, 26),
        "status": "in_force",
        "topics": ["TTHC"],
        "summary": "Về việc công bố thủ tục hành chính",
        "source": "vanban-2025 (thuvienphapluat.vn crawl), id a1",
    }
    assert convert_vanban.read_manifest(out) == {"2666-qd-ubnd"}


def test_command_never_overwrites_a_file_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_corpus(tmp_path / "corpus", [make_doc("a1", "2666/QĐ-UBND")])
    out = tmp_path / "documents"
    out.mkdir()
    (out / "2666-qd-ubnd.md").write_text("viết tay\n", encoding="utf-8")
    assert convert_vanban.main(["--source", str(source), "--out", str(out)]) == 1
    assert "2666-qd-ubnd.md" in capsys.readouterr().err
    assert (out / "2666-qd-ubnd.md").read_text(encoding="utf-8") == "viết tay\n"
    assert not (out / convert_vanban.MANIFEST_NAME).exists()


def test_rerun_removes_only_its_own_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    first = write_corpus(tmp_path / "v1", [make_doc("a1", "1/QĐ-UBND"), make_doc("b2", "2/QĐ")])
    assert convert_vanban.main(["--source", str(first), "--out", str(out)]) == 0
    (out / "4599-qd-ubnd.md").write_text("viết tay\n", encoding="utf-8")
    second = write_corpus(tmp_path / "v2", [make_doc("a1", "1/QĐ-UBND")])
    assert convert_vanban.main(["--source", str(second), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".vanban-2025.txt",
        "1-qd-ubnd.md",
        "4599-qd-ubnd.md",
    ]


def test_missing_corpus_is_reported_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "không-có"
    assert convert_vanban.main(["--source", str(missing), "--out", str(tmp_path)]) == 2
    assert "không tìm thấy" in capsys.readouterr().err


# --- the committed documents --------------------------------------------------------------


def committed_slugs() -> list[str]:
    return sorted(convert_vanban.read_manifest(DOCUMENTS))


def test_manifest_lists_the_150_corpus_documents(corpus: Path) -> None:
    slugs = committed_slugs()
    assert len(slugs) == 150
    assert all((DOCUMENTS / f"{slug}.md").is_file() for slug in slugs)


def test_committed_documents_parse_back(corpus: Path) -> None:
    index = {r["id"]: r for r in convert_vanban.load_index(corpus)}
    seen = set()
    for slug in committed_slugs():
        text = (DOCUMENTS / f"{slug}.md").read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), slug
        assert text.startswith("---\n"), slug
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        assert tuple(meta) == REQUIRED_KEYS, slug
        assert isinstance(meta["issued"], dt.date), slug
        assert meta["status"] == "in_force"
        assert set(meta["topics"]) <= set(convert_vanban.TOPICS), slug
        doc_id = meta["source"].rsplit(" ", 1)[1]
        record = index[doc_id]
        assert meta["issued"].isoformat() == record["ngay_ban_hanh"], slug
        assert meta["number"].startswith(record["so_hieu"]), slug
        assert body.strip(), slug
        seen.add(doc_id)
    assert seen == set(index)


def test_committed_documents_match_a_fresh_conversion(corpus: Path) -> None:
    files = convert_vanban.render_all(corpus)
    assert sorted(files) == committed_slugs()
    for slug, content in files.items():
        assert (DOCUMENTS / f"{slug}.md").read_text(encoding="utf-8") == content, slug


def test_committed_documents_render_tables_and_no_raw_html(corpus: Path) -> None:
    allowed = r"/?(p|h2|h3|strong|em|ul|li|table|thead|tbody|tr|th|td)"
    for slug in committed_slugs():
        body = (DOCUMENTS / f"{slug}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
        page = render(body)
        assert not re.findall(rf"<(?!{allowed}[ >])", page), slug
    page = render((DOCUMENTS / "2666-qd-ubnd.md").read_text(encoding="utf-8"))
    assert page.count("<table>") == 2
    assert "<th>Tên thủ tục hành chính</th>" in page
    assert "<h3>Điều 1.</h3>" in page
