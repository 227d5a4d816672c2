"""A class's roster from a file: the same matching, a preview, then one confirmation."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from classes_import_samples import (
    REJECTED,
    TRAINER,
    add_to_roster,
    batches,
    confirm,
    counts,
    csv_bytes,
    make_class,
    mark,
    province,
    roster,
    upload,
)
from helpers import login, page_text

HEADER = ["STT", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Chức vụ", "Ghi chú"]


def _url(class_id: int) -> str:
    return f"/classes/{class_id}/roster/import"


def test_a_roster_file_adds_new_people_and_keeps_those_already_listed(app, client, clock):
    province(app)
    class_id, (first, _) = make_class(app, roster=("nguyenvana",), min_percent=50)
    # Someone marked present before being on the roster attends once listed.
    mark(app, first, "tranthibinh", "present")
    login(client, app, TRAINER)
    data = csv_bytes([HEADER, ["1", "nguyenvana", "", "", "Chuyên viên", ""],
                      ["2", "", "Trần Thị Bình", "SNV", "", "trưởng nhóm"],
                      ["3", "", "Phạm Văn Đức", "XA-MYHOA", "", ""]])
    rejected = upload(client, app, _url(class_id), data, "lop.csv")
    assert REJECTED in rejected.text
    assert "Không rõ là ai (trùng họ tên) (1): dòng 4" in page_text(rejected)
    assert batches(app) == 0

    data = csv_bytes([HEADER, ["1", "nguyenvana", "", "", "Chuyên viên", ""],
                      ["2", "", "Trần Thị Bình", "SNV", "", "trưởng nhóm"],
                      ["3", "phamduc2", "Phạm Văn Đức", "XA-MYHOA", "", ""]])
    preview = upload(client, app, _url(class_id), data, "lop.csv")
    text = page_text(preview)
    assert "3 dòng dữ liệu (UTF-8): 2 thêm vào danh sách, 1 không đổi, 0 dòng lỗi" in text
    assert counts(app)["ClassParticipant"] == 1
    done = confirm(client, app, preview)
    assert "Đã thêm 2 người vào danh sách lớp; 1 người đã có sẵn." in page_text(done)
    assert roster(app, class_id) == {"nguyenvana": None, "tranthibinh": date(2026, 2, 23),
                                     "phamduc2": None}
    again = upload(client, app, _url(class_id), data, "lop.csv")
    assert "không có gì để nhập" in page_text(again)


def test_a_person_twice_in_a_roster_file_is_named_on_both_rows(app, client, clock):
    province(app)
    class_id, _ = make_class(app)
    login(client, app, TRAINER)
    data = csv_bytes([HEADER, ["1", "nguyenvana"], ["2", "", "Nguyễn Văn An", "Sở Nội vụ"]])
    response = upload(client, app, _url(class_id), data, "trung.csv")
    text = page_text(response)
    assert "Một người ở nhiều dòng (2): dòng 2, 3" in text
    assert "Nguyễn Văn An (nguyenvana, Sở Nội vụ) có ở nhiều dòng (trùng với dòng 3)" in text
    assert counts(app)["ClassParticipant"] == 0


def test_a_roster_preview_is_stale_once_the_roster_changes(app, client, clock):
    province(app)
    class_id, _ = make_class(app)
    login(client, app, TRAINER)
    preview = upload(client, app, _url(class_id), csv_bytes([HEADER, ["1", "nguyenvana"]]),
                     "a.csv")
    add_to_roster(app, class_id, "hocvien")
    stale = confirm(client, app, preview)
    assert stale.status_code == 409 and "Bản xem trước đã cũ: danh sách lớp" in page_text(stale)
    assert set(roster(app, class_id)) == {"hocvien"}
    assert confirm(client, app, stale).status_code == 200
    assert set(roster(app, class_id)) == {"hocvien", "nguyenvana"}


def test_the_roster_template_has_the_columns(app, client, clock):
    province(app)
    class_id, _ = make_class(app)
    login(client, app, TRAINER)
    page = client.get(_url(class_id))
    assert 'href="/classes/roster-template.xlsx"' in page.text
    response = client.get("/classes/roster-template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert next(book["DanhSachLop"].iter_rows(values_only=True)) == (
        "STT", "Tên đăng nhập", "Họ và tên", "Đơn vị")
