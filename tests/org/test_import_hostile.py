"""Hostile and broken import files: every channel names the problem and writes nothing."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from import_samples import (
    ACCOUNT_HEADER,
    OFFICIALS,
    UNIT_HEADER,
    accounts_file,
    batch_count,
    counts,
    csv_bytes,
    prepare,
    via_cli,
    via_service,
    via_web,
    xlsx_bytes,
    zip_bomb,
)

HYPERLINK = '=HYPERLINK("http://x","y")'
NOT_UTF8 = "không ở dạng mã hoá UTF-8"
SAVE_AS = "CSV UTF-8 (Phân cách bằng dấu phẩy)"


def _official(username="nguyenvana", name="Nguyễn Văn An", unit="SNV", **kw) -> list[str]:
    row = dict(zip(ACCOUNT_HEADER, [username, name, "", unit, "Chuyên viên", ""], strict=True))
    row.update(kw)
    return list(row.values())


def _entity_bomb() -> bytes:
    """An XLSX whose sheet declares nested XML entities (a "billion laughs" in miniature)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([ACCOUNT_HEADER, OFFICIALS[0]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = LAUGHS + data.replace(b"nguyenvana", b"&c;")
            target.writestr(item, data)
    return out.getvalue()


LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def _cp1258() -> bytes:
    """The officials file as Windows-1258 saves it (tone marks as separate characters)."""
    out = []
    for ch in accounts_file().decode("utf-8"):
        try:
            ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            rest = "".join(c for c in parts if c not in tones)
            ch = unicodedata.normalize("NFC", rest) + tones
        out.append(ch)
    return "".join(out).encode("cp1258")


# Each case: kind, file name, bytes, then (row, column, message fragment) expectations where
# row None means a message about the whole file.
CASES = {
    "unknown unit code": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([OFFICIALS[0], _official("tranb", "Trần B", "KHONG-CO")]),
        [(3, "Mã đơn vị", "Không có đơn vị mã KHONG-CO")],
    ),
    "malformed unit code": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([_official(unit="SNV#1")]),
        [(2, "Mã đơn vị", "Mã đơn vị chỉ gồm chữ cái không dấu")],
    ),
    "duplicate username in the file": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([OFFICIALS[0], OFFICIALS[1], _official("NguyenVanA", "Người khác")]),
        [
            (2, "Tên đăng nhập", "bị trùng trong tệp (trùng với dòng 4)"),
            (4, "Tên đăng nhập", "bị trùng trong tệp (trùng với dòng 2)"),
        ],
    ),
    "username taken in the database with other details": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([OFFICIALS[0], _official("quantri", "Người mạo danh")]),
        [(3, "Tên đăng nhập", "Tài khoản quantri đã tồn tại với thông tin khác: họ và tên")],
    ),
    "missing required column": (
        "accounts",
        "can-bo.csv",
        lambda: csv_bytes([ACCOUNT_HEADER[:3], OFFICIALS[0][:3]]),
        [(None, None, "Thiếu cột bắt buộc “Mã đơn vị” (unit_code)")],
    ),
    "renamed column": (
        "accounts",
        "can-bo.csv",
        lambda: csv_bytes([["Tên truy cập", *ACCOUNT_HEADER[1:]], OFFICIALS[0]]),
        [
            (None, None, "Cột không nhận ra: “Tên truy cập” (cột 1 (A))"),
            (None, None, "Thiếu cột bắt buộc “Tên đăng nhập” (username)"),
        ],
    ),
    "unknown extra column": (
        "accounts",
        "can-bo.csv",
        lambda: csv_bytes([[*ACCOUNT_HEADER, "Ghi chú"], [*OFFICIALS[0], "x"]]),
        [(None, None, "Cột không nhận ra: “Ghi chú” (cột 7 (G))")],
    ),
    "Windows-1258 text": ("accounts", "can-bo.csv", _cp1258, [(None, None, NOT_UTF8)]),
    "UTF-16 with BOM": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file().decode().encode("utf-16"),
        [(None, None, NOT_UTF8), (None, None, SAVE_AS)],
    ),
    "UTF-16 without BOM": (
        "accounts",
        "can-bo.csv",
        lambda: csv_bytes([ACCOUNT_HEADER[:1], ["nva"]]).decode().encode("utf-16-le"),
        [(None, None, NOT_UTF8)],
    ),
    "Latin-1 text": (
        "units",
        "don-vi.csv",
        lambda: "code,name,level\nX1,Café Señor,commune\n".encode("latin-1"),
        [(None, None, NOT_UTF8)],
    ),
    "formula in a CSV cell": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([_official(name=HYPERLINK)]),
        [(2, "Họ và tên", "có thể là công thức bảng tính")],
    ),
    "formula in an XLSX cell": (
        "accounts",
        "can-bo.xlsx",
        lambda: xlsx_bytes([ACCOUNT_HEADER, OFFICIALS[0], _official("tranb", HYPERLINK)]),
        [(3, "Họ và tên", "có thể là công thức bảng tính")],
    ),
    "other formula prefixes in CSV": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file(
            [
                _official("a1", "+1+1"),
                _official("a2", "@SUM(1)"),
                _official("a3", "Bình", **{"Chức danh": "-2+3"}),
                _official("a4", "\t=1+2"),
            ]
        ),
        [
            (2, "Họ và tên", "Ô bắt đầu bằng “+”"),
            (3, "Họ và tên", "Ô bắt đầu bằng “@”"),
            (4, "Chức danh", "Ô bắt đầu bằng “-”"),
            (5, "Họ và tên", "ký tự tab hoặc xuống dòng"),
        ],
    ),
    "hidden control characters": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([_official(name="Nguyễn\u202eVăn An"), _official("b2", "A\x07")]),
        [
            (2, "Họ và tên", "ký tự ẩn (U+202E)"),
            (3, "Họ và tên", "ký tự điều khiển hoặc ký tự ẩn (U+0007)"),
        ],
    ),
    "over-long cell": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([_official(**{"Chức danh": "Chuyên viên " * 20})]),
        [(2, "Chức danh", "Quá dài (239 ký tự); tối đa 200")],
    ),
    "zip bomb renamed .xlsx": (
        "accounts",
        "bom.xlsx",
        zip_bomb,
        [(None, None, "bom nén"), (None, None, "giải nén ra 200 MB")],
    ),
    "highly compressed entry in .xlsx": (
        "accounts",
        "nen.xlsx",
        lambda: zip_bomb(20),
        [(None, None, "tỉ lệ nén")],
    ),
    "plain text renamed .xlsx": (
        "accounts",
        "gia.xlsx",
        accounts_file,
        [(None, None, "không phải là bảng tính Excel (.xlsx) thật")],
    ),
    "password-protected or old Excel file": (
        "accounts",
        "mat-khau.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000),
        [(None, None, "có đặt mật khẩu")],
    ),
    "XML entity expansion in XLSX": (
        "accounts",
        "laughs.xlsx",
        _entity_bomb,
        [(None, None, "khai báo XML không an toàn")],
    ),
    "empty file": ("accounts", "rong.csv", lambda: b"", [(None, None, "Tệp rỗng")]),
    "header only": (
        "accounts",
        "tieu-de.csv",
        lambda: csv_bytes([ACCOUNT_HEADER]),
        [(None, None, "Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")],
    ),
    "row with extra cells": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([OFFICIALS[0], [*OFFICIALS[1], "Jr", "x"]]),
        [(3, "cột 7 (G)", "Dòng có 2 ô thừa ngoài các cột của dòng tiêu đề (ô đầu tiên: “Jr”)")],
    ),
    "unbalanced quotes": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file().replace(b"Chuy", b'"Ch"uy', 1),
        [(None, None, "Tệp CSV sai định dạng ở dòng 2")],
    ),
    "tab-separated text": (
        "accounts",
        "can-bo.csv",
        lambda: "\t".join(ACCOUNT_HEADER).encode() + b"\r\n",
        [(None, None, "dấu tab để phân cách cột")],
    ),
    "unknown role, bad email, bad username": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file(
            [
                _official(**{"Vai trò": "Học viên; Thủ trưởng"}),
                _official("b2", "Bình", Email="binh@@x"),
                _official("Nguyễn A", "An"),
            ]
        ),
        [
            (2, "Vai trò", "Vai trò không hợp lệ: “Thủ trưởng”"),
            (3, "Email", "Địa chỉ email không hợp lệ: binh@@x"),
            (4, "Tên đăng nhập", "“Nguyễn A”: Tên đăng nhập gồm 2–64 ký tự"),
        ],
    ),
    "official without a unit": (
        "accounts",
        "can-bo.csv",
        lambda: accounts_file([_official(unit="")]),
        [(2, "Mã đơn vị", "mỗi học viên (cán bộ, công chức) phải thuộc một đơn vị")],
    ),
    "unit parent cycle": (
        "units",
        "don-vi.csv",
        lambda: csv_bytes(
            [
                UNIT_HEADER,
                ["A1", "Phòng A", "office", "B1", ""],
                ["B1", "Phòng B", "office", "A1", ""],
            ]
        ),
        [
            (2, "Mã đơn vị cấp trên", "Vòng lặp đơn vị cấp trên: A1 → B1 → A1"),
            (3, "Mã đơn vị cấp trên", "Vòng lặp đơn vị cấp trên"),
        ],
    ),
    "unit with unknown parent, level and date": (
        "units",
        "don-vi.csv",
        lambda: csv_bytes(
            [
                UNIT_HEADER,
                ["P1", "Phòng 1", "Phòng", "KHONG-CO", ""],
                ["P2", "Phòng 2", "Thôn", "SNV", ""],
                ["P3", "Phòng 3", "office", "SNV", "31/02/2025"],
                ["snv", "Sở Nội vụ tỉnh", "department", "TINH", ""],
            ]
        ),
        [
            (2, "Mã đơn vị cấp trên", "Không có đơn vị cấp trên mã KHONG-CO"),
            (3, "Cấp", "“Thôn” không phải cấp đơn vị"),
            (4, "Hiệu lực từ", "Ngày “31/02/2025” không hợp lệ"),
            (5, "Mã", "Mã đơn vị SNV đã tồn tại với thông tin khác: tên"),
        ],
    ),
    "duplicate unit code": (
        "units",
        "don-vi.csv",
        lambda: csv_bytes(
            [
                UNIT_HEADER,
                ["P1", "Phòng 1", "office", "SNV", ""],
                ["p1", "Phòng 2", "office", "", ""],
            ]
        ),
        [
            (2, "Mã", "Mã đơn vị bị trùng trong tệp (trùng với dòng 3)"),
            (3, "Mã", "Mã đơn vị bị trùng trong tệp (trùng với dòng 2)"),
        ],
    ),
}


@pytest.fixture(params=["service", "cli", "web"])
def run_import(request, app, tmp_path):
    """Import a file through one channel and report what the user saw."""
    channel = request.param

    def run(kind: str, filename: str, data: bytes):
        if channel == "service":
            return via_service(app, kind, filename, data)
        if channel == "cli":
            return via_cli(app, app.test_cli_runner(), tmp_path, kind, filename, data)
        return via_web(app, app.test_client(), kind, filename, data)

    return run


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_hostile_file_is_refused_with_its_reason_and_nothing_is_written(app, run_import, case):
    kind, filename, build, expected = CASES[case]
    prepare(app)
    before = counts(app)
    outcome = run_import(kind, filename, build())
    assert not outcome.ok, outcome.text
    for row, column, fragment in expected:
        if row is None:
            assert outcome.has_file_problem(fragment), (fragment, outcome.text)
        else:
            assert outcome.has_row_problem(row, column, fragment), (row, fragment, outcome.text)
    assert counts(app) == before
    assert batch_count(app) == 0


def test_row_cap_and_size_cap_are_file_problems(app, run_import):
    prepare(app)
    app.config["IMPORT_MAX_ROWS"] = 2
    before = counts(app)
    outcome = run_import("accounts", "can-bo.csv", accounts_file())
    assert not outcome.ok
    assert outcome.has_file_problem("Tệp có hơn 2 dòng dữ liệu (giới hạn mỗi lần nhập)")
    app.config["IMPORT_MAX_ROWS"] = 50_000
    app.config["IMPORT_MAX_BYTES"] = 1024
    many = [[f"cb{i:03d}", f"Cán bộ số {i}", "", "SNV", "Chuyên viên", ""] for i in range(40)]
    outcome = run_import("accounts", "can-bo.csv", accounts_file(many))
    assert not outcome.ok
    assert outcome.has_file_problem("Tệp quá lớn (2 KB); tối đa 1 KB")
    assert counts(app) == before
