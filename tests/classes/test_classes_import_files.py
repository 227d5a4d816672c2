"""Files as they arrive: encodings, formulas, huge, corrupted and hostile ones write nothing."""

from __future__ import annotations

import html
import io
import unicodedata
import zipfile

import pytest
from classes_import_samples import (
    REJECTED,
    SIGN_IN_HEADER,
    TRAINER,
    attendance,
    batches,
    confirm,
    counts,
    csv_bytes,
    make_class,
    province,
    sheet_url,
    upload,
    xlsx_bytes,
)
from helpers import login, page_text

ROWS = [
    ["1", "", "Nguyễn Văn An", "Sở Nội vụ", "Đến muộn", "Họp giao ban ở Ủy ban"],
    ["2", "", "Lê Quang Cường", "Xã Mỹ Hòa Hưng", "Vắng có phép", "Nghỉ ốm"],
]


def _cp1258(text: str) -> bytes:
    """Text as Windows-1258 saves it: a tone mark follows its letter as a separate character."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            rest = "".join(c for c in parts if c not in tones)
            ch = unicodedata.normalize("NFC", rest) + tones
        out.append(ch)
    return "".join(out).encode("cp1258")


@pytest.fixture
def sheet(app, client, clock):
    """A held session of a class with two officials, and a trainer signed in."""
    province(app)
    class_id, (first, _) = make_class(app, roster=("nguyenvana", "lequangcuong"))
    login(client, app, TRAINER)
    return sheet_url(class_id, first), first


@pytest.mark.parametrize("encoding, label", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"),
                                             ("cp1258", "Windows-1258")])
def test_csv_in_utf8_with_or_without_bom_or_windows_1258_reads_the_same(
        app, client, sheet, encoding, label):
    url, session_id = sheet
    text = csv_bytes([SIGN_IN_HEADER, *ROWS]).decode("utf-8")
    data = _cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    if encoding == "cp1258":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really not UTF-8
    preview = upload(client, app, url, data, "ky.csv")
    assert f"2 dòng dữ liệu ({label}): 2 ghi mới" in page_text(preview)
    confirm(client, app, preview)
    assert attendance(app, session_id) == {
        "nguyenvana": ("late", "Họp giao ban ở Ủy ban", "sheet"),
        "lequangcuong": ("excused", "Nghỉ ốm", "sheet"),
    }


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_semicolon_or_tab_separated_csv_is_read(app, client, sheet, delimiter):
    url, session_id = sheet
    data = csv_bytes([SIGN_IN_HEADER, *ROWS], delimiter=delimiter)
    confirm(client, app, upload(client, app, url, data, "ky.csv"))
    assert set(attendance(app, session_id)) == {"nguyenvana", "lequangcuong"}


def test_formulas_are_text_never_evaluated(app, client, sheet):
    url, session_id = sheet
    hyperlink = '=HYPERLINK("http://x.example","bấm")'
    data = csv_bytes([SIGN_IN_HEADER,
                      ["1", "nguyenvana", "", "", "", hyperlink],
                      ["2", "lequangcuong", "", "", "", "-2+3 phút muộn"]])
    preview = upload(client, app, url, data, "cong-thuc.csv")
    assert "2 ghi mới" in page_text(preview)
    assert "=HYPERLINK(&#34;http://x.example&#34;,&#34;bấm&#34;)" in preview.text
    confirm(client, app, preview)
    assert attendance(app, session_id) == {"nguyenvana": ("present", hyperlink, "sheet"),
                                           "lequangcuong": ("present", "-2+3 phút muộn", "sheet")}


def test_xlsx_formula_cells_arrive_as_their_own_text(app, client, sheet):
    url, session_id = sheet
    data = xlsx_bytes({"Ky": [
        SIGN_IN_HEADER,
        [1, "nguyenvana", None, None, '=IF(1,"Có mặt","Vắng")'],
        [2, None, '="Lê Quang "&"Cường"', "XA-MYHOA"],
        [3, "=A1", None, None],
        [4, "@SUM(1)", None, None],
    ]})
    preview = upload(client, app, url, data, "ky.xlsx")
    text = html.unescape(page_text(preview))
    assert REJECTED in preview.text
    assert 'Trạng thái “=IF(1,"Có mặt","Vắng")” không hợp lệ' in text
    assert 'Không tìm thấy cán bộ tên “="Lê Quang "&"Cường"”' in text
    assert "Không có tài khoản nào tên đăng nhập “=A1”" in text
    assert "Không có tài khoản nào tên đăng nhập “@SUM(1)”" in text
    assert "được đọc như chữ" in text
    assert attendance(app, session_id) == {} and batches(app) == 0


def _corrupted_xlsx() -> bytes:
    good = xlsx_bytes({"Ky": [SIGN_IN_HEADER, ROWS[0]]})
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # a sheet cut off half-way
            target.writestr(item, data)
    return out.getvalue()


TOO_BIG = csv_bytes([SIGN_IN_HEADER, ROWS[0]]) + b"x" * (6 * 1024 * 1024)
CASES = {
    "over the import cap": ("lon.csv", TOO_BIG, "Tệp quá lớn (6,0 MB); tối đa 5,0 MB"),
    "corrupted xlsx": ("hong.xlsx", _corrupted_xlsx(), "Không đọc được tệp Excel"),
    "not a zip at all": ("gia.xlsx", b"PK\x03\x04 this is not an archive",
                         "không phải là bảng tính Excel (.xlsx) thật"),
    "old excel renamed": ("cu.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
                          "Excel cũ (.xls)"),
    "empty": ("rong.csv", b"\r\n\r\n", "Tệp rỗng"),
    "header only": ("tieu-de.csv", csv_bytes([SIGN_IN_HEADER]),
                    "Chỉ có dòng tiêu đề (dòng 1), không có dòng dữ liệu nào"),
    "empty workbook sheet": ("rong.xlsx", xlsx_bytes({"Ky": []}), "Tệp rỗng"),
    "no column naming people": ("thieu.csv", csv_bytes([["Họ và tên", "Ghi chú"],
                                                        ["Nguyễn Văn An", ""]]),
                                "Dòng 1, dòng tiêu đề: Thiếu cột để nhận ra từng người"),
    "unknown column": ("la.csv", csv_bytes([["Tên đăng nhập", "Quê quán"], ["nguyenvana", "x"]]),
                       "Dòng 1, cột B: Cột “Quê quán” không nhận ra"),
    "NUL bytes": ("nul.csv", csv_bytes([SIGN_IN_HEADER, ROWS[0]]) + b"3,nguyen\x00vana\r\n",
                  "chứa ký tự NUL (byte 0) ở dòng 3"),
    "UTF-16": ("u16.csv", "Tên đăng nhập\r\nnguyenvana\r\n".encode("utf-16"), "UTF-16"),
    "unbalanced quotes": ("ngoac.csv", 'Tên đăng nhập,Ghi chú\r\nnguyenvana,"mở\r\n'.encode(),
                          "sai định dạng ở dòng 2"),
    "undecodable bytes": ("rac.csv", b"T\xean \xf0\x81\x81\r\n", "không ở mã hoá UTF-8 hay "
                                                                  "Windows-1258"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_or_hostile_file_is_named_and_nothing_is_written(app, client, sheet, case):
    url, _ = sheet
    filename, data, message = CASES[case]
    before = counts(app)
    response = upload(client, app, url, data, filename)
    assert response.status_code == 200
    assert REJECTED in response.text
    assert message in page_text(response), page_text(response)
    assert counts(app) == before and batches(app) == 0


def test_hidden_characters_in_a_cell_are_named_by_row_and_column(app, client, sheet):
    url, _ = sheet
    data = csv_bytes([SIGN_IN_HEADER, ["1", "nguyenvana", "", "", "", "a\u202eb"],
                      ["2", "lequang\x01cuong"]])
    response = upload(client, app, url, data, "an.csv")
    assert "<td>2</td><td>Ghi chú</td><td>Ô chứa ký tự điều khiển hoặc ký tự ẩn (U+202E)" in (
        response.text)
    assert "<td>3</td><td>Tên đăng nhập</td><td>Ô chứa ký tự điều khiển" in response.text
    assert batches(app) == 0


def test_a_fifty_megabyte_upload_is_refused_by_size_before_reading(app, client, sheet):
    url, _ = sheet
    before = counts(app)
    response = upload(client, app, url, bytes(50 * 1024 * 1024), "lon.xlsx")
    assert response.status_code == 413
    text = page_text(response)
    assert "Tệp quá lớn" in text and "vượt quá 20 MB nên không được nhận" in text
    assert counts(app) == before and batches(app) == 0
