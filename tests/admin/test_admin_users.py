"""Account administration through the real pages: create, edit, lock, reset, list, bad input."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, get_user, login, make_unit, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.auth.models import User
from cchc_learn.extensions import db
from cchc_learn.org.models import Membership


@pytest.fixture
def admin(app):
    """A signed-in admin's client, with a small unit tree in place."""
    make_unit(app, "TINH", "UBND tỉnh Thử nghiệm", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA-MYHOA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH")
    make_user(app, "quantri", roles=("admin",), full_name="Nguyễn Thị Thanh Hương", unit="SNV")
    client = app.test_client()
    login(client, app, "quantri")
    return client


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, AuditEntry, Membership)
        }


def audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def issued_password(response) -> str:
    match = re.search(r'data-testid="issued-password">([^<]+)<', response.get_data(as_text=True))
    assert match, "no password shown"
    return match.group(1)


NEW_USER = {
    "username": "tran.van.an",
    "full_name": "Trần Văn An",
    "email": "an.tv@angiang.gov.vn",
    "position": "Công chức Văn phòng – Thống kê",
    "unit": "XA-MYHOA",
    "roles": ["official"],
}


def test_create_account_shows_the_generated_password_once(app, admin):
    response = post(admin, app, "/admin/users/new", NEW_USER)
    assert response.status_code == 200
    text = page_text(response)
    assert "Đã tạo tài khoản tran.van.an" in text
    password = issued_password(response)
    assert len(password) >= 12

    user = get_user(app, "tran.van.an")
    assert user.full_name == "Trần Văn An" and user.must_change_password is True
    assert user.role_names == {"official"}
    assert password not in admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert password not in admin.get("/admin/users").get_data(as_text=True)

    [created] = [e for e in audit(app, "user.create") if e.actor_name == "quantri"]
    assert created.target_id == str(user.id)
    assert created.after == {
        "username": "tran.van.an",
        "full_name": "Trần Văn An",
        "email": "an.tv@angiang.gov.vn",
        "position": "Công chức Văn phòng – Thống kê",
        "roles": ["official"],
        "active": True,
    }
    assert password not in str(created.after)
    [moved] = [e for e in audit(app, "membership.change") if e.actor_name == "quantri"]
    assert moved.target_id == str(user.id) and moved.after["unit"] == "XA-MYHOA"


def test_new_account_must_change_its_password_at_first_sign_in(app, admin):
    password = issued_password(post(admin, app, "/admin/users/new", NEW_USER))
    official = app.test_client()
    assert login(official, app, "tran.van.an", password).status_code == 302
    gate = official.get("/")
    assert gate.status_code == 302 and gate.headers["Location"] == "/auth/password"
    changed = post(
        official,
        app,
        "/auth/password",
        {"current": password, "new": "Mat-khau-cua-An-2026", "confirm": "Mat-khau-cua-An-2026"},
        follow_redirects=True,
    )
    assert "Xin chào, Trần Văn An" in page_text(changed)


def test_list_flags_officials_without_a_unit_and_filters(app, admin):
    make_user(app, "hocvien.coxa", full_name="Lê Văn Có Xã", unit="XA-MYHOA")
    make_user(app, "hocvien.chuaco", full_name="Đặng Thị Chưa Có")
    make_user(app, "giaidap", roles=("moderator",), full_name="Võ Minh Giải", unit="SNV")
    make_user(app, "quantri2", roles=("admin",), full_name="Quản Trị Hai")
    page = admin.get("/admin/users")
    row = re.compile(r"<tr>\s*<td><a[^>]*>([^<]+)</a></td>(.*?)</tr>", re.S)
    rows = {m.group(1): m.group(2) for m in row.finditer(page.get_data(as_text=True))}
    assert "Chưa có đơn vị" in rows["hocvien.chuaco"]
    assert "Chưa có đơn vị" not in rows["hocvien.coxa"]
    assert "Xã Mỹ Hòa Hưng" in rows["hocvien.coxa"]
    # Only officials need a unit; staff accounts without one are not flagged.
    assert "Chưa có đơn vị" not in rows["quantri2"]
    assert "5 tài khoản" in page_text(page)

    def listed(query: str) -> set[str]:
        html = admin.get("/admin/users" + query).get_data(as_text=True)
        return set(re.findall(r'<td><a href="/admin/users/\d+">([^<]+)</a></td>', html))

    assert listed("?role=moderator") == {"giaidap"}
    assert listed("?q=COXA") == {"hocvien.coxa"}
    assert listed("?q=Đặng Thị") == {"hocvien.chuaco"}
    # Typed in lower case or without diacritics, a Vietnamese name is found all the same.
    assert listed("?q=đặng thị") == {"hocvien.chuaco"}
    assert listed("?q=dang thi chua") == {"hocvien.chuaco"}
    assert listed("?q=" + "ĐẶNG".lower()) == {"hocvien.chuaco"}
    assert listed("?q=giải") == {"giaidap"}
    assert listed("?q=vo minh") == {"giaidap"}
    assert listed("?q=%25") == set()
    assert listed("?q=_") == set()
    assert listed("?role=khong-co") == {
        "quantri", "quantri2", "hocvien.coxa", "hocvien.chuaco", "giaidap"
    }
    assert listed("?q=" + "x" * 5000) == set()


def test_role_change_ends_that_users_sessions(app, admin):
    user_id = make_user(app, "hocvien", full_name="Phạm Quốc Bảo", unit="XA-MYHOA")
    official = app.test_client()
    login(official, app, "hocvien")
    rename = {**NEW_USER, "username": "hocvien", "full_name": "Phạm Quốc Bảo (sửa)"}
    post(admin, app, f"/admin/users/{user_id}", rename)
    assert official.get("/auth/password").status_code == 200, "a rename keeps the session"
    assert get_user(app, "hocvien").search_key.startswith("hocvien pham quoc bao (sua)")

    promote = {**rename, "roles": ["official", "moderator"]}
    response = post(admin, app, f"/admin/users/{user_id}", promote, follow_redirects=True)
    assert "Đã lưu tài khoản hocvien." in page_text(response)
    assert get_user(app, "hocvien").role_names == {"official", "moderator"}
    assert official.get("/auth/password").status_code == 302
    [entry] = [e for e in audit(app, "user.update") if "roles" in e.after]
    assert entry.before == {"roles": ["official"]}
    assert entry.after == {"roles": ["moderator", "official"]}


def set_active(client, app, user_id: int, value: str):
    return post(
        client, app, f"/admin/users/{user_id}/active", {"active": value}, follow_redirects=True
    )


def test_admin_cannot_drop_own_admin_role_or_lock_self(app, admin):
    me = get_user(app, "quantri")
    demote = {**NEW_USER, "username": "quantri", "full_name": me.full_name, "roles": ["official"]}
    response = post(admin, app, f"/admin/users/{me.id}", demote)
    assert "Không thể tự bỏ vai trò quản trị của chính mình." in page_text(response)
    assert get_user(app, "quantri").role_names == {"admin"}

    response = set_active(admin, app, me.id, "0")
    assert "Không thể tự khóa tài khoản của chính mình." in page_text(response)
    assert get_user(app, "quantri").active is True
    assert admin.get("/admin/").status_code == 200


def test_deactivate_and_reactivate(app, admin):
    user_id = make_user(app, "hocvien", unit="XA-MYHOA")
    official = app.test_client()
    login(official, app, "hocvien")
    response = set_active(admin, app, user_id, "0")
    assert "Đã khóa tài khoản hocvien." in page_text(response)
    assert get_user(app, "hocvien").active is False
    assert official.get("/auth/password").status_code == 302
    assert login(app.test_client(), app, "hocvien").status_code == 401
    assert "Đã khóa" in page_text(admin.get("/admin/users"))

    response = set_active(admin, app, user_id, "1")
    assert "Đã mở khóa tài khoản hocvien." in page_text(response)
    assert login(app.test_client(), app, "hocvien").status_code == 302
    assert [e.after for e in audit(app, "user.deactivate")] == [{"active": False}]
    assert [e.after for e in audit(app, "user.activate")] == [{"active": True}]


def test_reset_password_issues_a_new_one_that_must_be_changed(app, admin):
    user_id = make_user(app, "hocvien", unit="XA-MYHOA")
    official = app.test_client()
    login(official, app, "hocvien")
    response = post(admin, app, f"/admin/users/{user_id}/reset-password")
    assert "Đã cấp lại mật khẩu cho hocvien" in page_text(response)
    password = issued_password(response)
    assert official.get("/auth/password").status_code == 302, "old sessions end"
    assert login(app.test_client(), app, "hocvien", PASSWORD).status_code == 401
    fresh = app.test_client()
    assert login(fresh, app, "hocvien", password).status_code == 302
    assert fresh.get("/").headers["Location"] == "/auth/password"
    [entry] = audit(app, "user.reset_password")
    assert entry.actor_name == "quantri" and password not in entry.summary


def test_markup_in_names_is_shown_as_text(app, admin):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = post(admin, app, "/admin/users/new", {**NEW_USER, "full_name": hostile})
    assert response.status_code == 200
    user = get_user(app, "tran.van.an")
    assert user.full_name == hostile
    for path in ["/admin/users", f"/admin/users/{user.id}", "/admin/audit"]:
        html = admin.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;" in html or "\\u003cscript\\u003e" in html, path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"username": "Nguyễn Văn An"}, "Tên đăng nhập gồm 2–64 ký tự"),
        ({"username": "a" * 65}, "Tên đăng nhập: tối đa 64 ký tự."),
        ({"username": ""}, "Nhập tên đăng nhập."),
        ({"full_name": "A" * 201}, "Họ và tên: tối đa 200 ký tự."),
        ({"full_name": "   "}, "Nhập họ và tên."),
        ({"email": "khong-phai-email"}, "Địa chỉ email không hợp lệ: khong-phai-email"),
        ({"email": "a@" + "b" * 250 + ".vn"}, "Email: tối đa 254 ký tự."),
        ({"position": "P" * 201}, "Chức danh: tối đa 200 ký tự."),
        ({"roles": ["official", "superuser"]}, "Vai trò không hợp lệ: superuser."),
        ({"unit": "KHONG-CO"}, "Đơn vị: không tìm thấy đơn vị đã chọn."),
        ({"username": "quantri"}, "Tên đăng nhập quantri đã tồn tại."),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_writes_nothing(app, admin, change, message):
    before = counts(app)
    response = post(admin, app, "/admin/users/new", {**NEW_USER, **change})
    assert response.status_code == 200
    assert message in page_text(response)
    assert "Not a valid" not in page_text(response) and "Field " not in page_text(response)
    assert counts(app) == before


def test_bad_edit_writes_nothing(app, admin):
    user_id = make_user(app, "hocvien", full_name="Phạm Quốc Bảo", unit="XA-MYHOA")
    before = counts(app)
    bad = {**NEW_USER, "username": "hocvien", "full_name": "Mới", "unit": "KHONG-CO"}
    response = post(admin, app, f"/admin/users/{user_id}", bad)
    assert "Đơn vị: không tìm thấy đơn vị đã chọn." in page_text(response)
    bad = {**NEW_USER, "username": "hocvien", "full_name": "Mới", "email": "sai@"}
    response = post(admin, app, f"/admin/users/{user_id}", bad)
    assert "Địa chỉ email không hợp lệ" in page_text(response)
    assert counts(app) == before
    assert get_user(app, "hocvien").full_name == "Phạm Quốc Bảo"


def test_moving_an_official_to_another_unit_keeps_the_history(app, admin):
    user_id = make_user(app, "hocvien", full_name="Phạm Quốc Bảo", unit="XA-MYHOA")
    change = {**NEW_USER, "username": "hocvien", "full_name": "Phạm Quốc Bảo", "unit": "SNV"}
    post(admin, app, f"/admin/users/{user_id}", change)
    with app.app_context():
        rows = db.session.scalars(
            select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)
        ).all()
        units = [(m.unit.code, m.valid_to is None) for m in rows]
    assert units[-1] == ("SNV", True)
    assert ("XA-MYHOA", True) not in units
