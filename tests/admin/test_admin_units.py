"""Unit administration through the real pages: create, edit, move with history, audit log."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import login, make_unit, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.extensions import db
from cchc_learn.org.models import Unit, UnitLink


@pytest.fixture
def admin(app):
    """A signed-in admin's client."""
    make_user(app, "quantri", roles=("admin",))
    client = app.test_client()
    login(client, app, "quantri")
    return client


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Unit, UnitLink, AuditEntry)
        }


def unit(app, code: str) -> Unit:
    with app.app_context():
        found = db.session.scalar(select(Unit).where(Unit.code == code))
        if found is not None:
            _ = found.parent
            db.session.expunge_all()
        return found


def links(app, code: str) -> list[tuple[str | None, date, date | None]]:
    """(parent code, from, to) of every link the unit ever had, oldest first."""
    with app.app_context():
        target = db.session.scalar(select(Unit).where(Unit.code == code))
        rows = db.session.scalars(
            select(UnitLink).where(UnitLink.unit_id == target.id).order_by(UnitLink.valid_from)
        ).all()
        return [
            (
                db.session.get(Unit, r.parent_id).code if r.parent_id else None,
                r.valid_from,
                r.valid_to,
            )
            for r in rows
        ]


def audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def create(client, app, **fields):
    data = {"code": "", "name": "", "level": "commune", "parent": "", "valid_from": "2025-07-01"}
    data.update(fields)
    return post(client, app, "/admin/units/new", data, follow_redirects=True)


def test_create_root_and_child_units(app, admin):
    root = create(admin, app, code="AG", name="UBND tỉnh An Giang", level="province")
    assert "Đã tạo đơn vị UBND tỉnh An Giang." in page_text(root)
    child = create(admin, app, code="AG-SNV", name="Sở Nội vụ", level="department", parent="AG")
    assert "Đã tạo đơn vị Sở Nội vụ." in page_text(child)
    grandchild = create(
        admin,
        app,
        code="AG-SNV-CCHC",
        name="Phòng CCHC",
        level="office",
        parent="AG-SNV",
        valid_from="01/08/2025",
    )
    assert grandchild.status_code == 200

    assert unit(app, "AG").parent is None
    assert unit(app, "AG-SNV").parent.code == "AG"
    assert unit(app, "AG-SNV-CCHC").valid_from == date(2025, 8, 1)
    assert links(app, "AG-SNV") == [("AG", date(2025, 7, 1), None)]

    html = admin.get("/admin/units").get_data(as_text=True)
    assert html.index("UBND tỉnh An Giang") < html.index("Sở Nội vụ") < html.index("Phòng CCHC")
    assert 'class="depth-2"><a href="/admin/units/' in html
    entries = audit(app, "unit.create")
    assert [e.after["code"] for e in entries] == ["AG", "AG-SNV", "AG-SNV-CCHC"]
    assert entries[1].after == {
        "code": "AG-SNV",
        "name": "Sở Nội vụ",
        "level": "department",
        "parent": "AG",
    }
    assert {e.actor_name for e in entries} == {"quantri"}


def test_add_child_link_preselects_the_parent(app, admin):
    make_unit(app, "AG", level="province")
    page = admin.get("/admin/units/new?parent=AG").get_data(as_text=True)
    assert '<option selected value="AG">' in page or '<option value="AG" selected>' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "Mã-có-dấu"}, "Mã đơn vị chỉ gồm chữ cái không dấu"),
        ({"code": "A B"}, "Mã đơn vị chỉ gồm chữ cái không dấu"),
        ({"code": "-AG"}, "Mã đơn vị chỉ gồm chữ cái không dấu"),
        ({"code": "X" * 33}, "Mã đơn vị: tối đa 32 ký tự."),
        ({"code": ""}, "Nhập mã đơn vị."),
        ({"code": "tinh"}, "Mã đơn vị tinh đã tồn tại."),
        ({"name": "Đ" * 201}, "Tên đơn vị: tối đa 200 ký tự."),
        ({"name": "  "}, "Nhập tên đơn vị."),
        ({"level": "hamlet"}, "Cấp đơn vị không hợp lệ."),
        ({"parent": "KHONG-CO"}, "Đơn vị cấp trên: không tìm thấy đơn vị đã chọn."),
        ({"valid_from": "31/02/2025"}, "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm"),
    ],
)
def test_bad_unit_input_gets_a_vietnamese_message_and_writes_nothing(app, admin, fields, message):
    make_unit(app, "TINH", level="province")
    before = counts(app)
    response = create(admin, app, **{"code": "XA-MOI", "name": "Xã Mới", **fields})
    assert response.status_code == 200
    text = page_text(response)
    assert message in text
    assert "Not a valid" not in text and "Field " not in text
    assert counts(app) == before


def test_edit_renames_and_changes_level(app, admin):
    unit_id = make_unit(app, "HUYEN", "Huyện Chợ Mới", "district")
    response = post(
        admin,
        app,
        f"/admin/units/{unit_id}",
        {"code": "HUYEN", "name": "Thị xã Chợ Mới", "level": "commune", "parent": ""},
        follow_redirects=True,
    )
    assert "Đã lưu đơn vị Thị xã Chợ Mới." in page_text(response)
    changed = unit(app, "HUYEN")
    assert (changed.name, changed.level) == ("Thị xã Chợ Mới", "commune")
    [entry] = audit(app, "unit.update")
    assert entry.before == {"name": "Huyện Chợ Mới", "level": "district"}
    assert entry.after == {"name": "Thị xã Chợ Mới", "level": "commune"}


def test_edit_cannot_change_the_code(app, admin):
    unit_id = make_unit(app, "HUYEN", "Huyện Chợ Mới", "district")
    post(
        admin,
        app,
        f"/admin/units/{unit_id}",
        {"code": "KHAC", "name": "Huyện Chợ Mới", "level": "district", "parent": ""},
    )
    assert unit(app, "HUYEN") is not None and unit(app, "KHAC") is None


def test_move_keeps_the_old_link_as_history(app, admin):
    make_unit(app, "TINH", level="province", valid_from=date(2020, 1, 1))
    make_unit(app, "HUYEN", level="district", parent="TINH", valid_from=date(2020, 1, 1))
    xa = make_unit(app, "XA", level="commune", parent="HUYEN", valid_from=date(2020, 1, 1))
    response = post(
        admin,
        app,
        f"/admin/units/{xa}/move",
        {"move-parent": "TINH", "move-on": "2025-07-01"},
        follow_redirects=True,
    )
    assert "Đã chuyển đơn vị" in page_text(response)
    assert unit(app, "XA").parent.code == "TINH"
    assert links(app, "XA") == [
        ("HUYEN", date(2020, 1, 1), date(2025, 6, 30)),
        ("TINH", date(2025, 7, 1), None),
    ]
    [entry] = audit(app, "unit.move")
    assert entry.before == {"parent": "HUYEN"}
    assert entry.after == {"parent": "TINH", "from": "2025-07-01"}


def test_moving_under_own_descendant_is_refused(app, admin):
    tinh = make_unit(app, "TINH", level="province")
    make_unit(app, "HUYEN", level="district", parent="TINH")
    make_unit(app, "XA", level="commune", parent="HUYEN")
    before = counts(app)
    for target in ["XA", "HUYEN", "TINH"]:
        response = post(
            admin,
            app,
            f"/admin/units/{tinh}/move",
            {"move-parent": target, "move-on": "2025-07-01"},
            follow_redirects=True,
        )
        assert "Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó." in page_text(
            response
        ), target
    assert counts(app) == before
    assert unit(app, "TINH").parent is None


def test_bad_move_input_says_what_is_wrong(app, admin):
    make_unit(app, "TINH", level="province")
    xa = make_unit(app, "XA", level="commune", parent="TINH")
    before = counts(app)
    bad_date = post(
        admin,
        app,
        f"/admin/units/{xa}/move",
        {"move-parent": "", "move-on": "2025-13-40"},
        follow_redirects=True,
    )
    assert "Ngày không hợp lệ" in page_text(bad_date)
    bad_parent = post(
        admin,
        app,
        f"/admin/units/{xa}/move",
        {"move-parent": "KHONG-CO", "move-on": ""},
        follow_redirects=True,
    )
    assert "Đơn vị cấp trên: không tìm thấy đơn vị đã chọn." in page_text(bad_parent)
    assert counts(app) == before


def test_audit_log_lists_entries_with_before_and_after(app, admin):
    make_unit(app, "TINH", level="province")
    xa = make_unit(app, "XA", "Xã <b>Mỹ</b> Hòa", level="commune", parent="TINH")
    post(
        admin,
        app,
        f"/admin/units/{xa}",
        {"code": "XA", "name": "Xã Mỹ Hòa Hưng", "level": "commune", "parent": "TINH"},
    )
    page = admin.get("/admin/audit")
    html = page.get_data(as_text=True)
    text = page_text(page)
    assert "unit.update" in text and "Sửa đơn vị XA" in text
    assert "quantri" in text
    assert "Mỹ Hòa Hưng" in text and "<b>Mỹ</b>" not in html
    assert "\\u003cb\\u003eM" in html  # the old name, shown as text inside the JSON
    filtered = page_text(admin.get("/admin/audit?action=unit.update"))
    assert "1 mục." in filtered and "unit.create" not in filtered
    assert "0 mục." in page_text(admin.get("/admin/audit?action=" + "x" * 500))
    assert admin.get("/admin/audit?page=999999").status_code == 200
    assert admin.get("/admin/audit?page=-5").status_code == 200
