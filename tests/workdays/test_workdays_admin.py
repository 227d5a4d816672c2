"""The admin page for working-day overrides, the service's refusals, and hostile input."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import login, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.extensions import db
from cchc_learn.workdays import service
from cchc_learn.workdays.models import WorkdayOverride

URL = "/admin/workdays"
GOOD = {"day": "02/01/2027", "working": "0", "reason": "Nghỉ bù Tết Dương lịch",
        "source": "Thông báo 6150/TB-BNV"}


@pytest.fixture
def admin(app):
    """A signed-in admin's client."""
    make_user(app, "quantri", roles=("admin",))
    client = app.test_client()
    login(client, app, "quantri")
    return client


def rows(app) -> list[tuple[date, bool, str, str]]:
    with app.app_context():
        found = db.session.execute(
            select(
                WorkdayOverride.day,
                WorkdayOverride.working,
                WorkdayOverride.reason,
                WorkdayOverride.source,
            ).order_by(WorkdayOverride.day)
        )
        return [tuple(row) for row in found]


def audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).where(AuditEntry.action.like("workday.%"))
        )


def test_admin_adds_lists_and_removes_an_override(app, admin):
    response = post(admin, app, URL, GOOD, follow_redirects=True)
    text = page_text(response)
    assert "Đã lưu điều chỉnh ngày 02/01/2027." in text
    assert "Ngày làm việc năm 2027" in text
    assert "Nghỉ bù Tết Dương lịch" in text and "Thông báo 6150/TB-BNV" in text
    assert rows(app) == [(date(2027, 1, 2), False, GOOD["reason"], GOOD["source"])]
    # The computed days off of the year are listed too.
    assert "Ngày Văn hóa Việt Nam" in text and "24/11/2027" in text
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "workday.add"))
        override_id = db.session.scalar(select(WorkdayOverride.id))
    assert entry.actor_name == "quantri" and "02/01/2027" in entry.summary

    response = post(admin, app, f"{URL}/{override_id}/delete?year=2027", follow_redirects=True)
    assert "Đã xoá điều chỉnh." in page_text(response)
    assert rows(app) == []
    assert audit_count(app) == 2


def test_the_admin_home_links_to_the_page(app, admin):
    html = admin.get("/admin/").get_data(as_text=True)
    assert f'href="{URL}"' in html


def test_a_second_override_for_the_same_day_is_refused(app, admin):
    post(admin, app, URL, GOOD)
    response = post(admin, app, URL, {**GOOD, "working": "1", "reason": "Khác"})
    assert response.status_code == 200
    assert "Ngày 02/01/2027 đã có điều chỉnh" in page_text(response)
    assert rows(app) == [(date(2027, 1, 2), False, GOOD["reason"], GOOD["source"])]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", "31/02/2026", "Ngày không hợp lệ"),
        ("day", "2026-13-01", "Ngày không hợp lệ"),
        ("day", "hôm qua", "Ngày không hợp lệ"),
        ("day", "", "Nhập ngày."),
        ("day", "01/01/1999", "Ngày phải trong các năm 2000–2100."),
        ("day", "01/01/2101", "Ngày phải trong các năm 2000–2100."),
        ("day", "9" * 1000, "Ngày không hợp lệ"),
        ("working", "2", "Chọn ngày làm việc hoặc ngày nghỉ."),
        ("reason", "", "Nhập lý do."),
        ("reason", "   ", "Nhập lý do."),
        ("reason", "\x00\x00", "Nhập lý do."),
        ("reason", "x" * 1000, "Lý do: tối đa"),
        ("source", "", "Nhập văn bản thông báo."),
        ("source", "s" * 1000, "Văn bản thông báo: tối đa"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(app, admin, field, value, message):
    response = post(admin, app, URL, {**GOOD, field: value})
    assert response.status_code == 200
    assert message in page_text(response)
    assert rows(app) == [] and audit_count(app) == 0


def test_nul_bytes_never_reach_the_database(app, admin):
    post(admin, app, URL, {**GOOD, "reason": "Nghỉ\x00 bù", "source": "TB\x00 1"})
    assert rows(app) == [(date(2027, 1, 2), False, "Nghỉ bù", "TB 1")]


def test_without_csrf_nothing_is_written(app, admin):
    assert admin.post(URL, data=GOOD).status_code == 400
    post(admin, app, URL, GOOD)
    with app.app_context():
        override_id = db.session.scalar(select(WorkdayOverride.id))
    assert admin.post(f"{URL}/{override_id}/delete").status_code == 400
    assert len(rows(app)) == 1 and audit_count(app) == 1


def test_only_admins_see_or_change_the_calendar(app, admin):
    post(admin, app, URL, GOOD)
    with app.app_context():
        override_id = db.session.scalar(select(WorkdayOverride.id))
    for role in ("official", "moderator", "trainer"):
        make_user(app, f"u{role}", roles=(role,))
        other = app.test_client()
        login(other, app, f"u{role}")
        assert other.get(URL).status_code == 403
        assert post(other, app, URL, {**GOOD, "day": "03/01/2027"}).status_code == 403
        assert post(other, app, f"{URL}/{override_id}/delete").status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(URL).status_code in (302, 401)
    assert len(rows(app)) == 1 and audit_count(app) == 1


def test_removing_a_missing_override_is_a_404_and_writes_nothing(app, admin):
    post(admin, app, URL, GOOD)
    for missing in ("999999", str(2**31 - 1), str(2**31), str(10**40)):
        response = post(admin, app, f"{URL}/{missing}/delete")
        assert response.status_code == 404, missing
        assert "Không tìm thấy trang" in page_text(response)
    assert rows(app) == [(date(2027, 1, 2), False, GOOD["reason"], GOOD["source"])]
    assert audit_count(app) == 1


def test_the_year_in_the_address_is_bounded(app, admin):
    assert "Ngày làm việc năm 2100" in page_text(admin.get(f"{URL}?year=9999"))
    assert admin.get(f"{URL}?year=%00").status_code == 200


def test_the_service_refuses_what_the_form_would_not_send(app):
    with app.app_context():
        with pytest.raises(service.WorkdayError, match="Ngày không hợp lệ"):
            service.add_override("2026-01-01", True, "a", "b", None)  # type: ignore[arg-type]
        with pytest.raises(service.WorkdayError, match="Chọn ngày làm việc"):
            service.add_override(date(2026, 1, 1), "yes", "a", "b", None)  # type: ignore[arg-type]
        with pytest.raises(service.WorkdayError, match="có ký tự không hợp lệ"):
            service.add_override(date(2026, 1, 1), True, "a\x00b", "b", None)
        with pytest.raises(service.WorkdayError, match="Không tìm thấy"):
            service.remove_override(123, None)
    assert rows(app) == []
