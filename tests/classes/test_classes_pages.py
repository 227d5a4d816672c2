"""The classes pages: who may open them, creating, editing and deleting classes, the roster,
the sign-in sheet, /me and the home page; hostile input on every form."""

from __future__ import annotations

import pytest
from class_world import (
    CLASS_FORM,
    MONDAY_0830,
    add_session,
    attended_on,
    build_world,
    class_count,
    count,
    create_class,
    enrol,
    session_ids,
    signed_in,
)
from helpers import page_text, post
from sqlalchemy import select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.classes.models import ClassParticipant, ClassSession, TrainingClass
from cchc_learn.clock import set_clock
from cchc_learn.extensions import db


@pytest.fixture(autouse=True)
def monday():
    set_clock(lambda: MONDAY_0830)
    yield
    set_clock(None)


@pytest.fixture
def world(app):
    return build_world(app)


@pytest.fixture
def trainer(app, world):
    return signed_in(app, "giangvien")


def management_urls(class_id: int, session_id: int, user_id: int) -> list[tuple[str, str]]:
    base = f"/classes/{class_id}"
    one = f"{base}/sessions/{session_id}"
    return [
        ("GET", "/classes/"), ("GET", "/classes/unrecorded"), ("GET", "/classes/new"),
        ("GET", base), ("GET", f"{base}/edit"), ("POST", f"{base}/delete"),
        ("GET", f"{base}/sessions/new"), ("GET", one), ("GET", f"{one}/edit"),
        ("POST", f"{one}/delete"), ("POST", f"{one}/code"), ("GET", f"{one}/attendance"),
        ("POST", f"{one}/attendance"), ("GET", f"{one}/sign-in-sheet"),
        ("GET", f"{base}/roster"), ("POST", f"{base}/roster/add"),
        ("POST", f"{base}/roster/add-unit"), ("POST", f"{base}/roster/{user_id}/remove"),
    ]  # fmt: skip


def test_every_management_page_by_role(app, world, trainer):
    class_id = create_class(app, trainer)
    assert add_session(app, trainer, class_id, "02/03/2026", "08:00", "11:00").status_code == 302
    (session_id,) = session_ids(app, class_id)
    enrol(app, trainer, class_id, world["cb-an"])
    urls = management_urls(class_id, session_id, world["cb-an"])
    official, moderator = signed_in(app, "cb-an"), signed_in(app, "giaidap")
    admin = signed_in(app, "quantri")
    anonymous = app.test_client()
    for method, url in urls:
        for client in (official, moderator):
            response = post(client, app, url) if method == "POST" else client.get(url)
            assert response.status_code == 403, (method, url)
        response = post(anonymous, app, url) if method == "POST" else anonymous.get(url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/auth/login?next=")
        if method == "GET":
            for client in (trainer, admin):
                assert client.get(url).status_code == 200, url
    # Nothing changed by all those refused posts.
    assert class_count(app) == 1 and count(app, ClassSession) == 1
    assert count(app, ClassParticipant) == 1
    # Check-in is for any signed-in account; anonymous visitors sign in first.
    assert anonymous.get("/classes/checkin").status_code == 302
    assert official.get("/classes/checkin").status_code == 200


def test_ids_past_the_column_range_and_unknown_ids_are_404(app, world, trainer):
    class_id = create_class(app, trainer)
    add_session(app, trainer, class_id, "02/03/2026", "08:00", "11:00")
    (session_id,) = session_ids(app, class_id)
    other = create_class(app, trainer, title="Lớp khác")
    for url in (
        "/classes/2147483648", "/classes/99999999999999999999/edit", "/classes/999",
        f"/classes/{class_id}/sessions/2147483648/attendance",
        f"/classes/{other}/sessions/{session_id}",  # a session of another class
        f"/classes/{other}/sessions/{session_id}/sign-in-sheet",
        "/classes/%00", f"/classes/{class_id}/sessions/abc",
    ):  # fmt: skip
        assert trainer.get(url).status_code == 404, url
    assert post(trainer, app, f"/classes/{class_id}/roster/2147483648/remove").status_code == 404
    # Query strings: NUL bytes, huge text, a page past any listing: a page, never a 500.
    for url in ("/classes/?q=%00%00" + "a" * 100_000, "/classes/?page=99999999999999",
                "/classes/?when=%00past&q=%25_%5C",
                f"/classes/{class_id}/roster?q=%00" + "é" * 5000,
                "/classes/checkin?code=%00" + "A" * 100_000 + "&session=99999999999999999"):
        response = trainer.get(url)
        assert response.status_code == 200, url
    assert post(trainer, app, f"/classes/{other}/sessions/{session_id}/delete").status_code == 404
    assert count(app, ClassSession) == 1


def test_a_trainer_creates_edits_lists_and_deletes_a_class(app, world, trainer):
    class_id = create_class(app, trainer)
    page = page_text(trainer.get(f"/classes/{class_id}"))
    assert "Lớp nghiệp vụ một cửa cấp xã" in page and "Hội trường UBND tỉnh" in page
    assert "Một cửa liên thông" in page and "Kế hoạch bồi dưỡng quý I" in page
    assert "Dự tất cả các buổi" in page
    assert "Lớp nghiệp vụ một cửa cấp xã" in page_text(trainer.get("/classes/"))
    assert "Lớp chưa có buổi học" not in page_text(trainer.get("/classes/?when=past"))

    form = {**CLASS_FORM, "title": "Lớp một cửa (đợt 2)", "format": "online", "place": "",
            "meeting_url": "https://hop.angiang.gov.vn/lop-1", "rule": "share", "percent": "75"}
    del form["plans"]  # no box ticked: the browser sends nothing
    response = post(trainer, app, f"/classes/{class_id}/edit", form)
    assert response.status_code == 302
    with app.app_context():
        klass = db.session.get(TrainingClass, class_id)
        assert (klass.title, klass.format, klass.min_percent) == (
            "Lớp một cửa (đợt 2)", "online", 75)
        assert klass.plan_slugs == [] and klass.module_slugs == ["m1"]
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "class.create" in actions and "class.update" in actions
    page = page_text(trainer.get(f"/classes/{class_id}"))
    assert "Dự ít nhất 75 % số buổi" in page and "Trực tuyến" in page

    # Search by title, folded case; a search that matches nothing says so.
    assert "Lớp một cửa (đợt 2)" in page_text(trainer.get("/classes/?q=MỘT CỬA"))
    assert "Lớp một cửa (đợt 2)" in page_text(trainer.get("/classes/?q=mot cua dot"))
    assert "Không có lớp nào khớp" in page_text(trainer.get("/classes/?q=%25%25"))

    assert post(trainer, app, f"/classes/{class_id}/delete").status_code == 302
    assert class_count(app) == 0
    assert trainer.get(f"/classes/{class_id}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Tên lớp: hãy nhập tên lớp."),
        ({"title": "x" * 201}, "Tên lớp: tối đa 200 ký tự."),
        ({"title": "\x00\x00"}, "Tên lớp: hãy nhập tên lớp."),
        ({"format": "hybrid"}, "Hình thức: chọn trực tiếp, trực tuyến hoặc kết hợp."),
        ({"place": ""}, "Địa điểm: lớp học trực tiếp hoặc kết hợp cần địa điểm."),
        ({"format": "online", "meeting_url": ""}, "Đường dẫn phòng họp: lớp trực tuyến"),
        ({"format": "online", "meeting_url": "javascript:alert(1)"},
         "Đường dẫn phòng họp: phải bắt đầu bằng https:// hoặc http://."),
        ({"description": "x" * 5001}, "Mô tả: tối đa 5.000 ký tự."),
        ({"modules": "nhap"}, "Chuyên đề: không có chuyên đề đã xuất bản mã nhap."),
        ({"plans": "khong-co"}, "Kế hoạch: không có kế hoạch mã khong-co."),
        ({"rule": "share", "percent": ""}, "Tỷ lệ số buổi: hãy nhập tỷ lệ"),
        ({"rule": "share", "percent": "0"}, "Tỷ lệ số buổi: từ 1 đến 100 %."),
        ({"rule": "share", "percent": "99999999999999999999"}, "Tỷ lệ số buổi: từ 1 đến 100 %."),
        ({"rule": "share", "percent": "abc"}, "Tỷ lệ số buổi phải là một số nguyên"),
        ({"rule": "maybe"}, "Điều kiện hoàn thành: chọn một trong hai cách."),
    ],
)  # fmt: skip
def test_bad_class_forms_say_what_and_where_and_write_nothing(app, world, trainer, changes,
                                                              message):  # fmt: skip
    response = post(trainer, app, "/classes/new", {**CLASS_FORM, **changes})
    assert response.status_code == 400
    assert message in page_text(response)
    assert class_count(app) == 0


def test_a_plan_added_later_must_cover_the_sessions(app, world, trainer):
    class_id = create_class(app, trainer, plans=[])
    assert add_session(app, trainer, class_id, "06/04/2026", "08:00", "11:00").status_code == 302
    response = post(trainer, app, f"/classes/{class_id}/edit", CLASS_FORM)
    assert response.status_code == 400
    assert ("Kế hoạch: buổi học ngày 06/04/2026 nằm ngoài thời gian của kế hoạch «Kế hoạch bồi "
            "dưỡng quý I» (01/01/2026 – 31/03/2026).") in page_text(response)
    with app.app_context():
        assert db.session.get(TrainingClass, class_id).plan_slugs == []


def test_roster_one_by_one_with_folded_search_and_removal(app, world, trainer):
    class_id = create_class(app, trainer)
    url = f"/classes/{class_id}/roster"
    found = page_text(trainer.get(f"{url}?q=dang van"))  # "Đặng Văn Dũng" folded
    assert "Đặng Văn Dũng" in found and "Nguyễn Văn An" not in found
    assert "Phan Văn Khóa" not in page_text(trainer.get(f"{url}?q=khoa"))  # locked account
    assert "Không tìm thấy" in page_text(trainer.get(f"{url}?q=giaidap"))  # not an official
    assert "Không tìm thấy" in page_text(trainer.get(f"{url}?q=%25"))  # % matches itself
    enrol(app, trainer, class_id, world["cb-dung"])
    assert "Đã có trong danh sách" in page_text(trainer.get(f"{url}?q=cb-dung"))

    again = post(trainer, app, f"{url}/add", {"user_id": world["cb-dung"]})
    assert again.status_code == 400 and "Đặng Văn Dũng (cb-dung) đã có trong danh sách" in (
        page_text(again))
    for bad, message in [
        (world["cb-khoa"], "không tìm thấy học viên đang hoạt động"),
        (world["giaidap"], "không tìm thấy học viên đang hoạt động"),
        ("2147483648", "Học viên: không tìm thấy người đã chọn."),
        ("1e3", "Học viên: không tìm thấy người đã chọn."),
        ("", "Học viên: chọn một người"),
    ]:
        response = post(trainer, app, f"{url}/add", {"user_id": bad})
        assert response.status_code == 400 and message in page_text(response), bad
    assert attended_on(app, class_id) == {world["cb-dung"]: None}

    assert post(trainer, app, f"{url}/{world['cb-dung']}/remove").status_code == 302
    assert count(app, ClassParticipant) == 0
    assert post(trainer, app, f"{url}/{world['cb-dung']}/remove").status_code == 404


def test_roster_a_whole_unit_with_descendants_only_active_officials(app, world, trainer):
    class_id = create_class(app, trainer)
    with app.app_context():
        from cchc_learn.org.service import get_by_code

        xa1 = get_by_code("XA1").id
    enrol(app, trainer, class_id, world["cb-an"])
    response = post(trainer, app, f"/classes/{class_id}/roster/add-unit", {"unit": str(xa1)})
    assert response.status_code == 302
    # XA1 and its hamlet AP1: An (already), Bình, Dũng; not the locked Khóa nor the moderator.
    assert set(attended_on(app, class_id)) == {world["cb-an"], world["cb-binh"], world["cb-dung"]}
    page = page_text(trainer.get(f"/classes/{class_id}/roster"))
    assert "Đã thêm 2 học viên (1 người đã có trong danh sách)." in page
    assert "Ấp Mỹ An" in page  # each person's unit today
    for bad in ("999999", "2147483648", "abc", "\x00"):
        response = post(trainer, app, f"/classes/{class_id}/roster/add-unit", {"unit": bad})
        assert response.status_code == 400
        assert "Đơn vị: không tìm thấy đơn vị đã chọn." in page_text(response)
    assert count(app, ClassParticipant) == 3


def test_the_class_pages_link_to_their_imports(app, world, trainer):
    class_id = create_class(app, trainer)
    roster_page = trainer.get(f"/classes/{class_id}/roster").get_data(as_text=True)
    assert f'href="/classes/{class_id}/roster/import"' in roster_page
    assert "Nhập danh sách học viên" in roster_page
    index = trainer.get("/classes/").get_data(as_text=True)
    assert "/classes/import-past" not in index  # a trainer: past classes are for admins


def test_csrf_is_required_on_every_post(app, world, trainer):
    class_id = create_class(app, trainer)
    response = trainer.post("/classes/new", data=CLASS_FORM)
    assert response.status_code == 400 and class_count(app) == 1
    assert trainer.post(f"/classes/{class_id}/delete").status_code == 400
    assert trainer.post(f"/classes/{class_id}/roster/add",
                        data={"user_id": world["cb-an"]}).status_code == 400  # fmt: skip
    assert class_count(app) == 1 and count(app, ClassParticipant) == 0


def test_the_sign_in_sheet_prints_the_roster_with_units(app, world, trainer):
    class_id = create_class(app, trainer)
    add_session(app, trainer, class_id, "05/03/2026", "13:30", "16:30", "Tiếp nhận hồ sơ")
    (session_id,) = session_ids(app, class_id)
    enrol(app, trainer, class_id, world["cb-binh"], world["cb-an"])
    response = trainer.get(f"/classes/{class_id}/sessions/{session_id}/sign-in-sheet")
    html, text = response.get_data(as_text=True), page_text(response)
    assert "SỞ NỘI VỤ" in text and "DANH SÁCH KÝ TÊN HỌC VIÊN" in text
    text = text[text.index("DANH SÁCH KÝ TÊN"):]  # past the flashed messages
    assert "13:30–16:30 ngày 05/03/2026 · Tiếp nhận hồ sơ" in text
    assert "Hội trường UBND tỉnh" in text and "ThS. Lê Văn Tám" in text
    # By name, each with the unit and an empty signature cell.
    assert text.index("Nguyễn Văn An") < text.index("Trần Thị Bình")
    assert "1 Nguyễn Văn An Xã Mỹ Hòa Hưng 2 Trần Thị Bình Ấp Mỹ An" in text
    assert html.count('<td class="col-sign"></td>') == 2
    assert 'media="print"' in html and "no-print" in html


def test_me_lists_my_classes_and_the_home_page_has_the_trainer_panel(app, world, trainer):
    class_id = create_class(app, trainer)
    add_session(app, trainer, class_id, "02/03/2026", "08:00", "11:00", "Buổi sáng")
    add_session(app, trainer, class_id, "04/03/2026", "08:00", "11:00", "Buổi hai")
    enrol(app, trainer, class_id, world["cb-an"])
    official = signed_in(app, "cb-an")
    me = page_text(official.get("/me"))
    assert "Lớp của tôi" in me and "Lớp nghiệp vụ một cửa cấp xã" in me
    assert "02/03/2026, 08:00–11:00 · Buổi sáng Tự điểm danh" in me
    assert "04/03/2026, 08:00–11:00 · Buổi hai Sắp diễn ra" in me
    assert "Chưa hoàn thành · đã dự 0/2 buổi, cần 2 buổi" in me
    assert "Bạn chưa có tên trong lớp" in page_text(signed_in(app, "cb-chi").get("/me"))

    home = page_text(trainer.get("/"))
    assert "Buổi học hôm nay" in home
    assert "08:00–11:00 · Lớp nghiệp vụ một cửa cấp xã — điểm danh 0/1" in home
    assert "04/03/2026, 08:00 · Lớp nghiệp vụ một cửa cấp xã" in home
    assert "Buổi học đã diễn ra chưa điểm danh: 1" in home  # the agenda
    assert "Lớp bồi dưỡng" in page_text(signed_in(app, "quantri").get("/"))
    assert "Buổi học hôm nay" not in page_text(official.get("/"))
    nav = official.get("/").get_data(as_text=True)
    assert 'href="/classes/"' not in nav
