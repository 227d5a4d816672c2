"""Sign-in sheets for a session: preview, confirmation, stale previews, access."""

from __future__ import annotations

import io
import threading
from datetime import date

import openpyxl
from classes_import_samples import (
    ADMIN,
    FUTURE,
    REJECTED,
    SIGN_IN_HEADER,
    TRAINER,
    add_to_roster,
    attendance,
    batches,
    confirm,
    confirm_form,
    counts,
    csv_bytes,
    make_class,
    mark,
    province,
    roster,
    sheet_url,
    upload,
    xlsx_bytes,
)
from helpers import login, page_text, post
from sqlalchemy import select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.extensions import db

ROSTER = ("nguyenvana", "tranthibinh", "lequangcuong", "nguyenthihoa")


def _sheet(*rows) -> bytes:
    return csv_bytes([SIGN_IN_HEADER, *rows])


def test_a_clean_sheet_previews_every_row_then_writes_them_all_and_the_outcomes(
        app, client, clock):
    province(app)
    class_id, (first, second) = make_class(app, roster=ROSTER, min_percent=50)
    login(client, app, TRAINER)
    before = counts(app)
    data = _sheet(
        ["1", "nguyenvana", "", "", "", ""],
        ["2", "", "Trần Thị Bình", "SNV", "Đến muộn", "muộn 15 phút"],
        ["3", "", "le quang cuong", "Xã Mỹ Hoà Hưng", "Vắng có phép", "đi công tác"],
        ["4", "", "Nguyễn Thị Hòa", "xa-myhoa", "vắng", ""],
    )
    preview = upload(client, app, sheet_url(class_id, first), data, "ky-ten.csv")
    assert preview.status_code == 200
    text = page_text(preview)
    assert "4 dòng dữ liệu (UTF-8): 4 ghi mới, 0 cập nhật, 0 không đổi, 0 dòng lỗi" in text
    assert "Nguyễn Văn An (nguyenvana, Sở Nội vụ)" in text
    assert "khớp họ tên khi bỏ dấu" in text  # "le quang cuong" has no diacritics
    assert counts(app) == before  # nothing is written by a preview
    assert batches(app) == 1

    done = confirm(client, app, preview)
    assert done.status_code == 200, page_text(done)
    assert "4 ghi mới, 0 cập nhật, 0 không đổi" in page_text(done)
    assert "Lớp hiện có 2 học viên đạt yêu cầu tham dự" in page_text(done)
    assert attendance(app, first) == {
        "nguyenvana": ("present", "", "sheet"),
        "tranthibinh": ("late", "muộn 15 phút", "sheet"),
        "lequangcuong": ("excused", "đi công tác", "sheet"),
        "nguyenthihoa": ("absent", "", "sheet"),
    }
    # Half of two sessions is one: present or late at the first made them attend that day.
    assert roster(app, class_id) == {
        "nguyenvana": date(2026, 2, 23), "tranthibinh": date(2026, 2, 23),
        "lequangcuong": None, "nguyenthihoa": None,
    }
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
        assert "ky-ten.csv" in entry.summary and entry.after["written"] == 4


def test_the_class_rule_decides_attended_on_across_sessions(app, client, clock):
    province(app)
    class_id, (first, second) = make_class(app, roster=ROSTER[:2], min_percent=100)
    mark(app, first, "nguyenvana", "present")
    login(client, app, TRAINER)
    data = _sheet(["1", "nguyenvana", "", "", "Có mặt", ""], ["2", "tranthibinh", "", "", "", ""])
    done = confirm(client, app, upload(client, app, sheet_url(class_id, second), data, "b2.csv"))
    assert done.status_code == 200
    # All sessions needed: only nguyenvana has both, reached at the second session's day.
    assert roster(app, class_id) == {"nguyenvana": date(2026, 2, 24), "tranthibinh": None}


def test_unknown_ambiguous_duplicate_and_unlisted_rows_are_named_by_row(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=ROSTER)
    login(client, app, TRAINER)
    before = counts(app)
    data = _sheet(
        ["1", "nguyenvana", "", "", "", ""],
        ["2", "khongco", "", "", "", ""],
        ["3", "", "Phạm Văn Đức", "XA-MYHOA", "", ""],
        ["4", "", "Nguyễn Văn An", "Sở Nội vụ", "", ""],
        ["5", "hocvien", "", "", "", ""],
        ["6", "", "Ai Đó", "KHONG-CO", "", ""],
        ["7", "tranthibinh", "", "", "Có lẽ", ""],
    )
    preview = upload(client, app, sheet_url(class_id, first), data, "loi.csv")
    html, text = preview.get_data(as_text=True), page_text(preview)
    assert REJECTED in html and "không có gì được ghi" in text
    assert "Không tìm thấy người (2): dòng 3, 7" in text
    assert "Không rõ là ai (trùng họ tên) (1): dòng 4" in text
    assert "Một người ở nhiều dòng (2): dòng 2, 5" in text
    assert "Dữ liệu sai (1): dòng 8" in text
    assert "Không có tài khoản nào tên đăng nhập “khongco”" in text
    assert "Có 2 cán bộ tên “Phạm Văn Đức” ở Xã Mỹ Hòa Hưng (phamduc1, phamduc2)" in text
    assert "trùng với dòng 5" in text and "trùng với dòng 2" in text
    assert "Không có đơn vị nào mã hoặc tên “KHONG-CO”" in text
    assert "Trạng thái “Có lẽ” không hợp lệ" in text
    # The official not on the roster is shown as such, even in a rejected file.
    assert "Chưa có trong danh sách lớp" in text
    assert "/confirm" not in html
    assert counts(app) == before and batches(app) == 0


def test_people_not_on_the_roster_are_added_or_skipped_as_chosen(app, client, clock):
    province(app)
    class_id, (first, second) = make_class(app, roster=("nguyenvana",), min_percent=50)
    login(client, app, TRAINER)
    data = _sheet(["1", "nguyenvana", "", "", "", ""], ["2", "hocvien", "", "", "", ""])
    preview = upload(client, app, sheet_url(class_id, first), data, "a.csv")
    assert "1 người có trong tệp nhưng chưa có trong danh sách lớp (dòng 3)" in page_text(preview)
    skipped = confirm(client, app, preview, not_on_roster="skip")
    assert "bỏ qua 1 người chưa có trong danh sách lớp" in page_text(skipped)
    assert set(attendance(app, first)) == {"nguyenvana"}
    assert set(roster(app, class_id)) == {"nguyenvana"}

    preview = upload(client, app, sheet_url(class_id, second), data, "b.csv")
    added = confirm(client, app, preview, not_on_roster="add")
    assert "1 người được thêm vào danh sách lớp" in page_text(added)
    assert set(attendance(app, second)) == {"nguyenvana", "hocvien"}
    assert roster(app, class_id)["hocvien"] == date(2026, 2, 24)


def test_existing_attendance_is_updated_and_shown_with_its_previous_status(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=ROSTER[:2])
    mark(app, first, "nguyenvana", "absent", "chưa rõ")
    mark(app, first, "tranthibinh", "present")
    login(client, app, TRAINER)
    data = _sheet(["1", "nguyenvana", "", "", "Có mặt", ""], ["2", "tranthibinh", "", "", "", ""])
    preview = upload(client, app, sheet_url(class_id, first), data, "c.csv")
    text = page_text(preview)
    assert "0 ghi mới, 1 cập nhật, 1 không đổi" in text and "(trước: Vắng)" in text
    done = confirm(client, app, preview)
    assert "0 ghi mới, 1 cập nhật, 1 không đổi" in page_text(done)
    assert attendance(app, first)["nguyenvana"] == ("present", "chưa rõ", "sheet")
    # Sending the same sheet again has nothing left to do.
    again = upload(client, app, sheet_url(class_id, first), data, "c.csv")
    assert "không có gì để nhập" in page_text(again) and "/confirm" not in again.text


def test_a_preview_goes_stale_when_the_roster_or_the_attendance_changes(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("nguyenvana",))
    login(client, app, TRAINER)
    data = _sheet(["1", "nguyenvana", "", "", "", ""], ["2", "tranthibinh", "", "", "", ""])
    preview = upload(client, app, sheet_url(class_id, first), data, "d.csv")
    add_to_roster(app, class_id, "tranthibinh")
    before = counts(app)
    stale = confirm(client, app, preview)
    assert stale.status_code == 409
    assert "Bản xem trước đã cũ: danh sách lớp hoặc điểm danh của buổi học đã thay đổi" in (
        page_text(stale))
    assert counts(app) == before
    # The fresh preview shows the new roster; then someone records attendance meanwhile.
    assert "chưa có trong danh sách lớp" not in page_text(stale)
    mark(app, first, "nguyenvana", "late")
    stale_again = confirm(client, app, stale)
    assert stale_again.status_code == 409 and counts(app)["Attendance"] == 1
    done = confirm(client, app, stale_again)
    assert done.status_code == 200
    assert attendance(app, first) == {"nguyenvana": ("present", "", "sheet"),
                                      "tranthibinh": ("present", "", "sheet")}


def test_a_tampered_fingerprint_is_refused_as_stale(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("nguyenvana",))
    login(client, app, TRAINER)
    preview = upload(client, app, sheet_url(class_id, first), _sheet(["1", "nguyenvana"]), "e.csv")
    action, _ = confirm_form(preview)
    response = post(client, app, action, {"seen": "0" * 64})
    assert response.status_code == 409 and attendance(app, first) == {}


def test_a_session_not_yet_held_refuses_sheets(app, client, clock):
    province(app)
    class_id, (_, future) = make_class(app, starts=(FUTURE.replace(day=2), FUTURE),
                                       roster=("nguyenvana",))
    login(client, app, TRAINER)
    page = client.get(sheet_url(class_id, future))
    assert page.status_code == 200
    assert "Buổi học này chưa diễn ra (bắt đầu lúc 08:00 09/03/2026)" in page_text(page)
    assert 'type="file"' not in page.text
    response = upload(client, app, sheet_url(class_id, future), _sheet(["1", "nguyenvana"]),
                      "f.csv")
    assert response.status_code == 409 and "chưa diễn ra" in page_text(response)
    assert counts(app)["Attendance"] == 0 and batches(app) == 0


def test_ids_out_of_range_or_not_matching_are_not_found(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app)
    other_id, (other_session, _) = make_class(app, title="Lớp khác")
    login(client, app, TRAINER)
    for url in (sheet_url(2**31, first), sheet_url(class_id, 99999999999999999999),
                sheet_url(class_id, other_session), sheet_url(424242, first),
                f"/classes/{2**40}/roster/import", "/classes/1%00/roster/import",
                f"/classes/{class_id}/sessions/{2**63}/import/template.xlsx"):
        assert client.get(url).status_code == 404, url
    response = post(client, app, f"{sheet_url(class_id, first)}/x/confirm", {"seen": ""})
    assert response.status_code == 404
    assert "Không còn bản xem trước này" in page_text(response)


def test_only_trainers_and_admins_import_sheets(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("hocvien",))
    assert client.get(sheet_url(class_id, first)).status_code == 302
    login(client, app, "hocvien")
    assert client.get(sheet_url(class_id, first)).status_code == 403
    assert upload(client, app, sheet_url(class_id, first), _sheet(["1", "hocvien"]),
                  "g.csv").status_code == 403
    assert batches(app) == 0
    admin = app.test_client()
    login(admin, app, ADMIN)
    assert admin.get(sheet_url(class_id, first)).status_code == 200


def test_confirming_twice_or_someone_elses_preview_does_nothing(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("nguyenvana",))
    login(client, app, TRAINER)
    preview = upload(client, app, sheet_url(class_id, first), _sheet(["1", "nguyenvana"]), "h.csv")
    other = app.test_client()
    login(other, app, ADMIN)
    assert confirm(other, app, preview).status_code == 404
    assert confirm(client, app, preview).status_code == 200
    again = confirm(client, app, preview)
    assert again.status_code == 409 and "Tệp này đã được nhập" in page_text(again)
    assert counts(app)["Attendance"] == 1


def test_two_simultaneous_confirmations_write_once(app, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("nguyenvana", "tranthibinh"))
    one, two = app.test_client(), app.test_client()
    login(one, app, TRAINER)
    login(two, app, TRAINER)
    data = _sheet(["1", "nguyenvana"], ["2", "tranthibinh", "", "", "Đến muộn"])
    action, fields = confirm_form(upload(one, app, sheet_url(class_id, first), data, "i.csv"))
    statuses: list[int] = []
    start = threading.Barrier(2)

    def go(client):
        start.wait()
        statuses.append(post(client, app, action, fields).status_code)

    threads = [threading.Thread(target=go, args=(c,)) for c in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert len(attendance(app, first)) == 2
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "import"))
        assert len(list(entries)) == 1


def test_an_xlsx_sheet_with_a_title_above_its_header_is_read(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=ROSTER)
    login(client, app, TRAINER)
    data = xlsx_bytes({"Ky": [
        ["DANH SÁCH KÝ TÊN LỚP BỒI DƯỠNG"],
        [],
        SIGN_IN_HEADER + ["Chữ ký"],
        [1, "nguyenvana", "Nguyễn Văn An", "Sở Nội vụ", "Có mặt", None, "(đã ký)"],
        [2, None, "Trần Thị Bình", "SNV", "Vắng", "ốm"],
    ]})
    preview = upload(client, app, sheet_url(class_id, first), data, "ky.xlsx")
    assert "2 dòng dữ liệu (XLSX): 2 ghi mới" in page_text(preview)
    assert "<td>4</td>" in preview.text and "<td>5</td>" in preview.text  # sheet row numbers
    confirm(client, app, preview)
    assert attendance(app, first) == {"nguyenvana": ("present", "", "sheet"),
                                      "tranthibinh": ("absent", "ốm", "sheet")}


def test_the_sign_in_template_lists_the_roster(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("tranthibinh", "nguyenvana"))
    login(client, app, TRAINER)
    response = client.get(f"{sheet_url(class_id, first)}/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = [r for r in book["DanhSachKy"].iter_rows(values_only=True) if any(r)]
    assert rows[1][:5] == ("STT", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Trạng thái")
    assert [r[1:4] for r in rows[2:]] == [("nguyenvana", "Nguyễn Văn An", "Sở Nội vụ"),
                                          ("tranthibinh", "Trần Thị Bình", "Sở Nội vụ")]
    assert "HuongDan" in book.sheetnames
    # The template, filled in as printed, imports as it is.
    preview = upload(client, app, sheet_url(class_id, first), response.data, "mau.xlsx")
    assert "2 ghi mới" in page_text(preview)
