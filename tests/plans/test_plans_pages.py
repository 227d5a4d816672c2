"""Report pages, API, exports and CLI: who sees what, and the same numbers everywhere."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from helpers import login, make_unit, make_user, page_text, post
from plan_world import (
    at,
    complete_all,
    fixed_clock,  # noqa: F401 - autouse: the clock of every test here
    make_materials,
    make_plan,
    pass_quiz,
    view_all,
)


@pytest.fixture
def world(app):
    make_unit(app, "TINH", "UBND tỉnh", "province")
    make_unit(app, "XA1", "Xã Một", "commune", parent="TINH")
    make_unit(app, "XA2", "Xã Hai", "commune", parent="TINH")
    make_unit(app, "AP1", "Ấp Một", "office", parent="XA1")
    make_user(app, "quantri", roles=("admin",), unit="TINH")
    make_user(app, "daumoi", roles=("official",), unit="XA1")
    ids = make_materials(app)
    officials = {
        name: make_user(app, name, unit=unit, full_name=full)
        for name, unit, full in [
            ("cb-mot", "XA1", "Nguyễn Văn Một"),
            ("cb-hai", "AP1", "Trần Thị Hai"),
            ("cb-ba", "XA2", "=HYPERLINK(\"http://x\")"),
        ]
    }
    make_plan(app)
    view_all(app, officials["cb-mot"], ids, at(date(2026, 3, 1)))
    complete_all(app, officials["cb-mot"], ids, at(date(2026, 3, 1)))
    pass_quiz(app, officials["cb-mot"], ids["quiz"], at(date(2026, 3, 2)))
    view_all(app, officials["cb-hai"], ids, at(date(2026, 3, 1)), lessons=("l1",))
    return ids


def signed_in(app, username):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def assign_focal(app, admin_client, username, unit):
    response = post(admin_client, app, "/reports/focal-points",
                    {"username": username, "unit": unit})  # fmt: skip
    assert response.status_code == 302, page_text(response)


def test_admin_reads_the_report_and_drills_down_to_who_misses_what(app, world):
    admin = signed_in(app, "quantri")
    assert "Kế hoạch thử 2026" in page_text(admin.get("/reports/"))
    page = page_text(admin.get("/reports/plans/ke-hoach-thu?as_of=2026-06-01"))
    assert "Xã Một" in page and "Xã Hai" in page and "<svg" in admin.get(
        "/reports/plans/ke-hoach-thu"
    ).get_data(as_text=True)
    drill = page_text(admin.get("/reports/plans/ke-hoach-thu?as_of=2026-06-01&unit=XA1"))
    assert "Trần Thị Hai" in drill and "Mở bài học: Bài 2" in drill
    assert "Làm đạt bài kiểm tra: Kiểm tra" in drill
    trained_only = page_text(
        admin.get("/reports/plans/ke-hoach-thu?as_of=2026-06-01&unit=XA1&state=trained")
    )
    assert "Nguyễn Văn Một" in trained_only and "Trần Thị Hai" not in trained_only
    assert "01/06/2026" in drill  # dates the Vietnamese way
    bad = admin.get("/reports/plans/ke-hoach-thu?as_of=2099-01-01")
    assert bad.status_code == 400 and "ở tương lai" in page_text(bad)
    assert admin.get("/reports/plans/khong-co").status_code == 404


def test_focal_point_sees_only_its_subtree(app, world):
    admin = signed_in(app, "quantri")
    assign_focal(app, admin, "daumoi", "XA1")
    focal = signed_in(app, "daumoi")
    page = page_text(focal.get("/reports/plans/ke-hoach-thu"))
    assert "Xã Một" in page and "Ấp Một" in page and "Xã Hai" not in page
    assert focal.get("/reports/plans/ke-hoach-thu?unit=AP1").status_code == 200
    assert focal.get("/reports/plans/ke-hoach-thu?unit=XA2").status_code == 404
    assert focal.get("/reports/plans/ke-hoach-thu?unit=TINH").status_code == 404
    assert focal.get("/reports/plans/ke-hoach-thu/export?format=csv&unit=XA2").status_code == 404
    api = focal.get("/api/v1/reports/compliance?plan=ke-hoach-thu&unit=XA2")
    assert api.status_code == 404 and "error" in api.get_json()
    mine = focal.get("/api/v1/reports/compliance?plan=ke-hoach-thu").get_json()
    assert [u["code"] for u in mine["units"]] == ["XA1", "AP1"]
    assert "Xã Một" in page_text(focal.get("/"))  # the home page shows the own unit
    # An official reads neither reports nor the API.
    official = signed_in(app, "cb-hai")
    assert official.get("/reports/plans/ke-hoach-thu").status_code == 403
    assert official.get("/api/v1/reports/compliance?plan=ke-hoach-thu").status_code == 403


def test_exports_hold_the_same_numbers_as_the_json(app, world):
    admin = signed_in(app, "quantri")
    query = "as_of=2026-06-01"
    data = admin.get(f"/api/v1/reports/compliance?plan=ke-hoach-thu&{query}").get_json()
    assert data["plan"] == "ke-hoach-thu" and data["as_of"] == "2026-06-01"
    assert set(data["units"][0]) == {
        "code", "name", "level", "parent_code", "roster", "accessed", "trained",
        "never_signed_in", "accessed_pct", "trained_pct", "accessed_target_met",
        "trained_target_met", "classes", "participations",
    }  # fmt: skip
    by_code = {u["code"]: u for u in data["units"]}
    assert by_code["TINH"]["roster"] == 4 and by_code["TINH"]["trained"] == 1

    raw = admin.get(f"/reports/plans/ke-hoach-thu/export?format=csv&{query}").get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    for row in table[1:]:
        unit = by_code[row[0]]
        assert [int(row[4]), int(row[5]), int(row[8]), int(row[11])] == [
            unit["roster"], unit["accessed"], unit["trained"], unit["never_signed_in"]
        ]  # fmt: skip

    response = admin.get(f"/reports/plans/ke-hoach-thu/export?format=xlsx&{query}")
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[0] == "Mã đơn vị")
    assert sheet.freeze_panes == f"C{header + 2}"
    assert sheet.auto_filter.ref
    body = [row for row in cells[header + 1:] if row[0] in by_code]
    assert len(body) == len(data["units"])
    for row in body:
        unit = by_code[row[0]]
        assert (row[4], row[5], row[6], row[8], row[9], row[11]) == (
            unit["roster"], unit["accessed"], unit["accessed_pct"], unit["trained"],
            unit["trained_pct"], unit["never_signed_in"],
        )  # fmt: skip
    texts = [v for row in cells for v in row if isinstance(v, str)]
    assert any("SỞ NỘI VỤ" in t for t in texts) and any("Đã tiếp cận:" in t for t in texts)
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_the_cli_writes_each_format_and_nothing_on_bad_input(app, world, runner, tmp_path):
    target = tmp_path / "bao-cao.json"
    result = runner.invoke(args=["report", "compliance", "--plan", "ke-hoach-thu", "--as-of",
                                 "2026-06-01", "--format", "json", "-o", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    admin = signed_in(app, "quantri")
    api = admin.get("/api/v1/reports/compliance?plan=ke-hoach-thu&as_of=2026-06-01").get_json()
    assert data == api
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        ok = runner.invoke(args=["report", "compliance", "--plan", "ke-hoach-thu",
                                 "--format", fmt, "-o", str(out)])  # fmt: skip
        assert ok.exit_code == 0 and out.stat().st_size > 0
    for args, message in [
        (["--plan", "khong-co"], "Không có kế hoạch"),
        (["--plan", "ke-hoach-thu", "--as-of", "2025-01-01"], "trước ngày bắt đầu"),
        (["--plan", "ke-hoach-thu", "--as-of", "2027-01-01"], "ở tương lai"),
        (["--plan", "ke-hoach-thu", "--unit", "KHONG"], "Không tìm thấy đơn vị"),
    ]:
        missing = tmp_path / "khong-ghi.csv"
        bad = runner.invoke(args=["report", "compliance", *args, "--format", "csv",
                                  "-o", str(missing)])  # fmt: skip
        assert bad.exit_code == 1 and message in bad.output
        assert not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_formula_like_cells_are_neutralised(app, world):
    from cchc_learn.sheets import plain as neutral

    assert neutral("=1+1") == "'=1+1" and neutral("@x") == "'@x" and neutral("\tx") == "'\tx"
    assert neutral("Xã Một") == "Xã Một" and neutral(5) == 5


def test_official_sees_own_plan_and_what_is_missing_on_me(app, world):
    official = signed_in(app, "cb-hai")
    page = page_text(official.get("/me"))
    assert "Kế hoạch thử 2026" in page and "31/12/2026" in page
    assert "Mở bài học: Bài 2" in page and "Xác nhận hoàn thành bài học: Bài 1" in page
    assert "Tiếp tục từ chỗ đã dừng" in page
    home = page_text(official.get("/"))
    assert "Việc cần làm tiếp theo" in home
    done = page_text(signed_in(app, "cb-mot").get("/me"))
    assert "Bạn đã hoàn thành mọi yêu cầu của kế hoạch" in done and "Đạt" in done


def test_admin_home_shows_the_province_scorecard(app, world):
    admin = signed_in(app, "quantri")
    home = page_text(admin.get("/"))
    assert "Kết quả thực hiện Đề án 4599" in home and "Kế hoạch thử 2026" in home
    assert "Đơn vị chậm nhất" in home


def test_a_large_scope_asks_for_a_unit_before_listing_officials(app, world, monkeypatch):
    monkeypatch.setattr("cchc_learn.plans.details.LISTED_ROSTER", 2)
    admin = signed_in(app, "quantri")
    page = page_text(admin.get("/reports/plans/ke-hoach-thu"))
    assert "hãy chọn một đơn vị" in page and "Trần Thị Hai" not in page
    assert "Trần Thị Hai" in page_text(admin.get("/reports/plans/ke-hoach-thu?unit=AP1"))


def test_a_required_module_without_published_lessons_still_shows_me_and_the_report(app, world):
    from sqlalchemy import update

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.lessons.models import Lesson

    with app.app_context():
        declare_write()
        db.session.execute(update(Lesson).values(published=False))
        db.session.commit()
    me = signed_in(app, "cb-hai").get("/me")
    assert me.status_code == 200 and "Kế hoạch thử 2026" in page_text(me)
    report = signed_in(app, "quantri").get("/reports/plans/ke-hoach-thu")
    assert report.status_code == 200
