"""Well-formed import files in every accepted shape land fully, through every channel."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from import_samples import (
    ACCOUNT_HEADER,
    OFFICIALS,
    UNIT_HEADER,
    accounts_file,
    counts,
    csv_bytes,
    prepare,
    via_cli,
    via_service,
    via_web,
    xlsx_bytes,
)
from sqlalchemy import select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.auth.models import User
from cchc_learn.extensions import db
from cchc_learn.org import importing
from cchc_learn.org import service as org_service
from cchc_learn.org.importing.planning import CHUNK
from cchc_learn.org.models import Unit


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


def _accounts(app) -> dict[str, dict]:
    """Every imported account (all but the admin) with its unit and password state."""
    with app.app_context():
        users = db.session.scalars(select(User).where(User.username != "quantri")).all()
        units = org_service.current_units([u.id for u in users])
        return {
            u.username: {
                "full_name": u.full_name,
                "email": u.email,
                "position": u.position,
                "roles": u.role_names,
                "unit": units[u.id].code if u.id in units else None,
                "must_change_password": u.must_change_password,
            }
            for u in users
        }


EXPECTED_OFFICIALS = {
    "nguyenvana": {
        "full_name": "Nguyễn Văn An",
        "email": "an@angiang.gov.vn",
        "position": "Chuyên viên",
        "roles": {"official"},
        "unit": "SNV",
        "must_change_password": True,
    },
    "tranthibinh": {
        "full_name": "Trần Thị Bình",
        "email": None,
        "position": "Phó Chánh Văn phòng",
        "roles": {"official", "trainer"},
        "unit": "SNV",
        "must_change_password": True,
    },
    "lequangcuong": {
        "full_name": "Lê Quang Cường",
        "email": None,
        "position": "Công chức Văn phòng - Thống kê",
        "roles": {"official"},
        "unit": "XA-MYHOA",
        "must_change_password": True,
    },
}

SHAPES = {
    "comma CSV": ("can-bo.csv", lambda: accounts_file()),
    "semicolon CSV": ("can-bo.csv", lambda: csv_bytes([ACCOUNT_HEADER, *OFFICIALS], delimiter=";")),
    "CSV with BOM": (
        "can-bo.csv",
        lambda: csv_bytes([ACCOUNT_HEADER, *OFFICIALS], encoding="utf-8-sig"),
    ),
    "XLSX": ("can-bo.xlsx", lambda: xlsx_bytes([ACCOUNT_HEADER, *OFFICIALS])),
    "English headers": (
        "officials.csv",
        lambda: csv_bytes(
            [["username", "full_name", "email", "unit_code", "position", "roles"], *OFFICIALS]
        ),
    ),
    "headers without diacritics, odd case and spaces": (
        "can-bo.csv",
        lambda: csv_bytes(
            [["  TEN DANG NHAP ", "ho va ten", "E-mail", "ma_don_vi", "Chuc Danh", "VAI TRÒ"]]
            + OFFICIALS
        ),
    ),
    "decomposed Vietnamese text and padded cells": (
        "can-bo.csv",
        lambda: accounts_file(
            [["  " + c.replace("ễ", "e\u0302\u0303") + "\u00a0" for c in row] for row in OFFICIALS]
        ),
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES), ids=list(SHAPES))
def test_officials_file_creates_accounts_in_their_units(app, run_import, shape):
    filename, build = SHAPES[shape]
    prepare(app)
    before = counts(app)
    outcome = run_import("accounts", filename, build())
    assert outcome.ok, outcome.text
    assert _accounts(app) == EXPECTED_OFFICIALS
    after = counts(app)
    assert after["User"] - before["User"] == 3
    assert after["Membership"] - before["Membership"] == 3
    # Three account creations, three placements in a unit, one summary of the import.
    assert after["AuditEntry"] - before["AuditEntry"] == 7


def test_reimporting_the_same_file_changes_nothing(app, run_import):
    prepare(app)
    data = xlsx_bytes([ACCOUNT_HEADER, *OFFICIALS])
    first = run_import("accounts", "can-bo.xlsx", data)
    assert first.ok, first.text
    after_first = counts(app)
    accounts = _accounts(app)
    second = run_import("accounts", "can-bo.xlsx", data)
    assert second.ok, second.text
    assert counts(app) == after_first  # no account, membership or audit entry added
    assert _accounts(app) == accounts
    said = {
        "service": "0 created, 3 unchanged",
        "cli": "đã nhập 0 tài khoản tạo mới, 3 không đổi",
        "web": "0 tạo mới, 3 không đổi, 0 dòng lỗi",
    }
    assert said[second.channel] in second.text


def test_summary_audit_entry_names_file_counts_and_source(app):
    prepare(app)
    outcome = via_service(app, "accounts", "dot-1.csv", accounts_file())
    assert outcome.ok
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
        assert entry.actor_name == "hệ thống"
        assert "dot-1.csv" in entry.summary and "3 tài khoản tạo mới" in entry.summary
        assert entry.after["created"] == 3 and entry.after["unchanged"] == 0
        assert entry.after["kind"] == "accounts" and entry.after["source"] == "cli"


UNIT_ROWS = [
    # Children come before their parents on purpose: order in the file must not matter.
    ["PHONG-TCCB", "Phòng Tổ chức cán bộ", "Phòng, đơn vị trực thuộc", "SNV2", "01/07/2025"],
    ["SNV2", "Sở Tư pháp", "Sở", "TINH2", "2025-07-01"],
    ["XA-BINHHOA", "Xã Bình Hòa", "xa", "TINH2", ""],
    ["TINH2", "Tỉnh Mới", "Tỉnh, thành phố", "", "1/7/2025"],
    ["PHUONG-1", "Phường Long Xuyên", "Phường", "TINH", ""],
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_units_file_resolves_parents_anywhere_in_the_file_or_the_database(
    app, run_import, fmt, clock
):
    prepare(app)
    rows = [UNIT_HEADER, *UNIT_ROWS]
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    outcome = run_import("units", f"don-vi.{fmt}", data)
    assert outcome.ok, outcome.text
    with app.app_context():
        units = {
            u.code: (u.name, u.level, u.parent.code if u.parent else None, u.valid_from)
            for u in db.session.scalars(select(Unit))
        }
    today = clock.now().date()
    assert units["PHONG-TCCB"] == ("Phòng Tổ chức cán bộ", "office", "SNV2", date(2025, 7, 1))
    assert units["SNV2"] == ("Sở Tư pháp", "department", "TINH2", date(2025, 7, 1))
    assert units["XA-BINHHOA"] == ("Xã Bình Hòa", "commune", "TINH2", today)
    assert units["TINH2"] == ("Tỉnh Mới", "province", None, date(2025, 7, 1))
    assert units["PHUONG-1"] == ("Phường Long Xuyên", "commune", "TINH", today)


def test_xlsx_dates_numbers_blank_rows_and_a_stale_dimension(app):
    prepare(app)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(UNIT_HEADER)
    sheet.append([101, "Phòng Một", "office", "SNV", datetime(2025, 7, 1)])
    sheet.append([])
    sheet.append([])
    sheet.append(["P-102", "Phòng Hai", "office", 101, date(2025, 8, 1)])
    sheet.append(["P-103", "Phòng Ba", "Thôn", "SNV", None])
    out = io.BytesIO()
    book.save(out)
    # Some generators write a wrong <dimension>; rows beyond it must still be read.
    data = _rewrite_dimension(out.getvalue(), "A1:E2")
    with app.app_context():
        plan = importing.preview("units", "don-vi.xlsx", data)
    assert [(r.row, r.status) for r in plan.rows] == [(2, "create"), (5, "create"), (6, "error")]
    assert plan.rows[0].cells["code"] == "101"
    assert plan.rows[0].cells["valid_from"] == "2025-07-01"
    assert plan.rows[1].cells["parent_code"] == "101"
    assert [p.located("f") for p in plan.problems][0].startswith("f:6: Cấp: “Thôn”")


def _rewrite_dimension(data: bytes, ref: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="{ref}"'.encode(), part)
            target.writestr(item, part)
    return out.getvalue()


def test_existing_accounts_and_units_with_identical_details_are_unchanged(app):
    prepare(app)
    with app.app_context():
        plan = importing.preview(
            "units",
            "don-vi.csv",
            csv_bytes([UNIT_HEADER, ["snv", "Sở Nội vụ", "Sở, ban, ngành", "tinh", "01/07/2025"]]),
        )
    assert plan.ok and plan.counts == {"create": 0, "unchanged": 1, "error": 0}


def _ten_thousand() -> list[list[str]]:
    return [
        [f"cb{i:05d}", f"Cán bộ số {i}", f"cb{i}@angiang.gov.vn", "SNV", "Chuyên viên", ""]
        for i in range(10_000)
    ]


def test_ten_thousand_row_files_are_within_the_caps(app):
    prepare(app)
    rows = [ACCOUNT_HEADER, *_ten_thousand()]
    with app.app_context():
        for name, data in (("lon.csv", csv_bytes(rows)), ("lon.xlsx", xlsx_bytes(rows))):
            assert len(data) < app.config["IMPORT_MAX_BYTES"]
            plan = importing.preview("accounts", name, data)
            assert plan.ok, plan.problems[:3]
            assert plan.counts == {"create": 10_000, "unchanged": 0, "error": 0}
            assert plan.rows[-1].row == 10_001


def test_lookups_span_several_chunks_when_reimporting(app):
    # More rows than one IN (…) chunk holds, so existing accounts and units are found
    # across chunk boundaries on both databases.
    prepare(app)
    rows = _ten_thousand()[: CHUNK + 100]
    data = accounts_file(rows)
    first = via_service(app, "accounts", "dot-1.csv", data)
    assert first.ok, first.text[:300]
    before = counts(app)
    with app.app_context():
        plan = importing.preview("accounts", "dot-1.csv", data)
    assert plan.counts == {"create": 0, "unchanged": CHUNK + 100, "error": 0}
    rows[CHUNK + 50][3] = "XA-MYHOA"
    with app.app_context():
        plan = importing.preview("accounts", "dot-2.csv", accounts_file(rows))
    assert plan.counts["error"] == 1
    assert plan.problems[0].row == CHUNK + 52
    assert "đơn vị (trong hệ thống: SNV)" in plan.problems[0].message
    assert counts(app) == before
