"""Past classes from a workbook: all or nothing, never twice, in the browser and the CLI."""

from __future__ import annotations

import io
import re
import threading
from datetime import UTC, date, datetime

import openpyxl
import pytest
from classes_import_samples import ADMIN, TRAINER, batches, counts, province, upload, xlsx_bytes
from helpers import login, page_text, post
from sqlalchemy import select

from cchc_learn.auth.models import User
from cchc_learn.classes.models import Attendance, ClassParticipant, TrainingClass
from cchc_learn.extensions import db

CLASS_HEADER = ["Mã lớp", "Tên lớp", "Hình thức", "Địa điểm", "Giảng viên", "Các buổi học",
                "Tỉ lệ tối thiểu (%)", "Số văn bản"]
LEARNER_HEADER = ["Mã lớp", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Tham dự", "Buổi 1", "Buổi 2"]
CLASSES = [
    ["L1", "Nghiệp vụ một cửa năm 2024", "Trực tiếp", "Hội trường Sở Nội vụ", "Trần Văn Minh",
     "05/03/2024 08:00-11:30; 06/03/2024 13h30-17h", "50", "125/QĐ-SNV"],
    ["L2", "Chuyển đổi số trong cải cách hành chính", "Trực tuyến", "", "", "12/09/2024", "",
     "310/KH-SNV"],
]
LEARNERS = [
    ["L1", "nguyenvana", "", "", "", "Có mặt", "Vắng"],
    ["L1", "", "Trần Thị Bình", "SNV", "", "Vắng", "Đến muộn"],
    ["L1", "lequangcuong", "", "", "", "Vắng có phép", "Vắng"],
    ["l2", "nguyenvana", "", "", "Có", "", ""],
    ["L2", "", "Lê Quang Cường", "Xã Mỹ Hòa Hưng", "Không", "", ""],
]


def workbook(classes=CLASSES, learners=LEARNERS) -> bytes:
    return xlsx_bytes({"Lop": [CLASS_HEADER, *classes], "HocVien": [LEARNER_HEADER, *learners]})


def cli(runner, tmp_path, data: bytes, *extra: str, name: str = "lop-cu.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return runner.invoke(args=["classes", "import-past", str(path), *extra]), str(path)


def outcomes(app) -> dict[tuple[str, str], date | None]:
    """(class title, username) → attended_on for every past class."""
    with app.app_context():
        rows = db.session.execute(
            select(TrainingClass.title, User.username, ClassParticipant.attended_on)
            .join(ClassParticipant, ClassParticipant.class_id == TrainingClass.id)
            .join(User, User.id == ClassParticipant.user_id))
        return {(t, u): d for t, u, d in rows}


EXPECTED = {
    ("Nghiệp vụ một cửa năm 2024", "nguyenvana"): date(2024, 3, 5),
    ("Nghiệp vụ một cửa năm 2024", "tranthibinh"): date(2024, 3, 6),
    ("Nghiệp vụ một cửa năm 2024", "lequangcuong"): None,
    ("Chuyển đổi số trong cải cách hành chính", "nguyenvana"): date(2024, 9, 12),
    ("Chuyển đổi số trong cải cách hành chính", "lequangcuong"): None,
}


def test_the_browser_previews_then_imports_past_classes(app, client, clock):
    province(app)
    login(client, app, ADMIN)
    page = client.get("/classes/import-past")
    assert page.status_code == 200 and 'href="/classes/import-past/template.xlsx"' in page.text
    preview = upload(client, app, "/classes/import-past", workbook(), "lop-cu.xlsx")
    text = page_text(preview)
    assert "Tệp hợp lệ: 2 lớp, 5 học viên" in text
    assert "08:00 05/03/2024; 13:30 06/03/2024" in text
    assert counts(app)["TrainingClass"] == 0
    action = re.search(r'action="(/classes/import-past/[^"]+/confirm)"', preview.text).group(1)
    done = post(client, app, action)
    assert done.status_code == 200
    assert ("Đã tạo 2 lớp (3 buổi học) với 5 học viên; 3 lượt đạt yêu cầu tham dự."
            in page_text(done))
    assert outcomes(app) == EXPECTED
    with app.app_context():
        classes = {c.title: c for c in db.session.scalars(select(TrainingClass))}
        first = classes["Nghiệp vụ một cửa năm 2024"]
        assert first.past and first.source_document == "125/QĐ-SNV" and first.min_percent == 50
        assert (first.format, first.place, first.trainers) == ("in_person",
                                                               "Hội trường Sở Nội vụ",
                                                               "Trần Văn Minh")
        assert [(s.starts_at, s.ends_at) for s in first.sessions] == [
            (datetime(2024, 3, 5, 1, 0, tzinfo=UTC), datetime(2024, 3, 5, 4, 30, tzinfo=UTC)),
            (datetime(2024, 3, 6, 6, 30, tzinfo=UTC), datetime(2024, 3, 6, 10, 0, tzinfo=UTC)),
        ]
        online = classes["Chuyển đổi số trong cải cách hành chính"]
        assert online.format == "online" and online.min_percent == 100
        sources = set(db.session.scalars(select(Attendance.source)))
        assert sources == {"past"}
    again = post(client, app, action)
    assert again.status_code == 409 and "Tệp này đã được nhập" in page_text(again)


def test_importing_the_same_file_twice_is_refused(app, client, runner, tmp_path, clock):
    province(app)
    result, shown = cli(runner, tmp_path, workbook())
    assert result.exit_code == 0, result.output
    assert result.output == (f"{shown}: đã nhập 2 lớp (3 buổi học), 5 học viên, 3 lượt đạt "
                             "yêu cầu tham dự.\n")
    before = counts(app)
    result, shown = cli(runner, tmp_path, workbook())
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "Lop!A2: Lớp “Nghiệp vụ một cửa năm 2024” theo văn bản 125/QĐ-SNV, buổi đầu 05/03/2024 "
        "đã được nhập trước đây; không nhập lại.",
        "Lop!A3: Lớp “Chuyển đổi số trong cải cách hành chính” theo văn bản 310/KH-SNV, buổi "
        "đầu 12/09/2024 đã được nhập trước đây; không nhập lại.",
    ]
    assert counts(app) == before
    # The same class written differently (folded document number, other tone placement).
    renamed = [["X", "Nghiệp vụ một cửa năm 2024", "", "", "", "05/03/2024", "", "125/qd-snv"]]
    login(client, app, ADMIN)
    response = upload(client, app, "/classes/import-past", workbook(renamed, [
        ["X", "nguyenvana", "", "", "Có"]]), "lai.xlsx")
    assert "đã được nhập trước đây" in page_text(response) and batches(app) == 0


def test_a_problem_in_the_last_row_leaves_no_class(app, runner, tmp_path, clock):
    province(app)
    learners = [*LEARNERS, ["L2", "khongco", "", "", "Có", "", ""]]
    result, shown = cli(runner, tmp_path, workbook(learners=learners))
    assert result.exit_code == 1
    assert "HocVien!B7: Không có tài khoản nào tên đăng nhập “khongco”." in result.output
    assert result.output.endswith(f"{shown}: 1 lỗi; không có gì được ghi vào cơ sở dữ liệu.\n")
    assert counts(app) == {"TrainingClass": 0, "ClassSession": 0, "ClassParticipant": 0,
                           "Attendance": 0}


BAD = {
    "missing title and bad dates": (
        [["L1", "", "", "", "", "30/02/2024", "", "1/QĐ"],
         ["L2", "Lớp B", "Hội thảo", "", "", "05/03/2024 11:00-08:00", "0", "2/QĐ"],
         ["L2", "Lớp C", "", "", "", "01/01/2030", "120%", ""]],
        [["L1", "nguyenvana", "", "", "Có"]],
        ["Lop!B2: Chưa nhập tên lớp (cột bắt buộc).",
         "Lop!F2: Buổi học “30/02/2024” không đọc được",
         "Lop!C3: Hình thức “Hội thảo” không hợp lệ. Dùng: Trực tiếp, Trực tuyến, Kết hợp.",
         "Lop!F3: Buổi “05/03/2024 11:00-08:00”: giờ kết thúc phải sau giờ bắt đầu.",
         "Lop!G3: Tỉ lệ tối thiểu “0” không hợp lệ",
         "Lop!A4: Mã lớp “L2” trùng với dòng 3.",
         "Lop!F4: Buổi “01/01/2030” chưa diễn ra xong",
         "Lop!G4: Tỉ lệ tối thiểu “120%” không hợp lệ",
         "Lop!H4: Chưa nhập số văn bản làm căn cứ (cột bắt buộc)."],
    ),
    "learner problems": (
        CLASSES,
        [["L9", "nguyenvana", "", "", "Có"],
         ["L1", "nguyenvana", "", "", "Có", "Có mặt"],
         ["L2", "", "Phạm Văn Đức", "XA-MYHOA", "Có"],
         ["L2", "", "", "", "Có"],
         ["L2", "tranthibinh", "", "", "Chắc có"],
         ["L2", "tranthibinh", "", "", "", "", "Có mặt"],
         ["L1", "tranthibinh", "", "", "", "Hình như", ""],
         ["L1", "=HYPERLINK(\"x\")", "", "", "Có"],
         ["L1", "hocvien", "", "", ""],
         ["L2", "lequangcuong", "Lê Văn Khác", "", "Có"]],
        ["HocVien!A2: Mã lớp “L9” không có ở trang “Lop”.",
         "HocVien!E3: Ghi hoặc “Tham dự” hoặc trạng thái từng buổi, không ghi cả hai.",
         "HocVien!C4: Có 2 cán bộ tên “Phạm Văn Đức” ở Xã Mỹ Hòa Hưng (phamduc1, phamduc2)",
         "HocVien!C5: Cần tên đăng nhập, hoặc cả họ và tên lẫn đơn vị",
         "HocVien!E6: “Chắc có” không hợp lệ: ghi Có hoặc Không.",
         "HocVien!G7: Lớp L2 chỉ có 1 buổi, không có buổi 2.",
         "HocVien!F8: Trạng thái “Hình như” không hợp lệ.",
         "HocVien!B9: Không có tài khoản nào tên đăng nhập “=HYPERLINK(\"x\")”.",
         "HocVien!E10: Chưa ghi tham dự",
         "HocVien!B11: Tên đăng nhập “lequangcuong” là của Lê Quang Cường, không phải "
         "“Lê Văn Khác”"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_every_problem_is_listed_as_sheet_and_cell(app, runner, tmp_path, clock, case):
    province(app)
    classes, learners, messages = BAD[case]
    result, _ = cli(runner, tmp_path, workbook(classes, learners))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for message in messages:
        assert any(line.startswith(message) for line in lines), (message, result.output)
    assert len(lines) == len(messages) + 1
    assert counts(app)["TrainingClass"] == 0


def test_files_that_are_not_a_past_workbook_are_refused(app, client, runner, tmp_path, clock):
    province(app)
    result, shown = cli(runner, tmp_path, b"Lop,HocVien\r\n1,2\r\n", name="lop.csv")
    assert result.exit_code == 1 and "phải là một tệp Excel (.xlsx)" in result.output
    only_one = xlsx_bytes({"Lop": [CLASS_HEADER, *CLASSES]})
    result, shown = cli(runner, tmp_path, only_one)
    assert result.output.startswith("Thiếu trang tính “HocVien” (tệp có: Lop).")
    no_column = xlsx_bytes({"Lop": [CLASS_HEADER[:5], ["L1", "A"]], "HocVien": [
        LEARNER_HEADER[:4], ["L1", "nguyenvana"]]})
    result, shown = cli(runner, tmp_path, no_column)
    assert "Lop: Thiếu cột bắt buộc “Các buổi học” ở dòng tiêu đề (dòng 1)." in result.output
    result, shown = cli(runner, tmp_path, b"PK\x03\x04broken")
    assert "không phải là bảng tính Excel (.xlsx) thật" in result.output
    big = tmp_path / "lon.xlsx"
    big.write_bytes(bytes(6 * 1024 * 1024))
    result = runner.invoke(args=["classes", "import-past", str(big)])
    assert result.exit_code == 1 and "Tệp quá lớn (6,0 MB); tối đa 5,0 MB" in result.output
    assert counts(app)["TrainingClass"] == 0


def test_dry_run_writes_nothing(app, runner, tmp_path, clock):
    province(app)
    result, shown = cli(runner, tmp_path, workbook(), "--dry-run")
    assert result.exit_code == 0
    assert result.output == (f"{shown}: kiểm tra xong, không có lỗi: 2 lớp, 5 học viên sẽ được "
                             "nhập (chạy thử, chưa ghi gì).\n")
    assert counts(app)["TrainingClass"] == 0


def test_only_admins_import_past_records_and_the_template_is_there(app, client, clock):
    province(app)
    login(client, app, TRAINER)
    assert client.get("/classes/import-past").status_code == 403
    assert upload(client, app, "/classes/import-past", workbook(), "a.xlsx").status_code == 403
    assert client.get("/classes/import-past/template.xlsx").status_code == 403
    admin = app.test_client()
    login(admin, app, ADMIN)
    response = admin.get("/classes/import-past/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Lop", "HocVien", "HuongDan"]
    assert next(book["Lop"].iter_rows(values_only=True))[:8] == tuple(CLASS_HEADER)
    assert next(book["HocVien"].iter_rows(values_only=True))[:5] == tuple(LEARNER_HEADER[:5])
    assert counts(app)["TrainingClass"] == 0


def test_two_admins_confirming_the_same_file_at_once_import_it_once(app, clock):
    province(app)
    from helpers import make_user

    make_user(app, "quantri2", roles=("admin",))
    clients = []
    actions = []
    for username in (ADMIN, "quantri2"):
        client = app.test_client()
        login(client, app, username)
        preview = upload(client, app, "/classes/import-past", workbook(), "lop-cu.xlsx")
        actions.append(re.search(r'action="([^"]+/confirm)"', preview.text).group(1))
        clients.append(client)
    statuses: list[int] = []
    start = threading.Barrier(2)

    def go(client, action):
        start.wait()
        statuses.append(post(client, app, action).status_code)

    threads = [threading.Thread(target=go, args=pair) for pair in zip(clients, actions,
                                                                        strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    assert counts(app)["TrainingClass"] == 2


def test_the_account_import_never_confirms_a_class_upload(app, client, clock):
    province(app)
    login(client, app, ADMIN)
    preview = upload(client, app, "/classes/import-past", workbook(), "lop-cu.xlsx")
    token = re.search(r'action="/classes/import-past/([^"/]+)/confirm"', preview.text).group(1)
    response = post(client, app, f"/admin/import/{token}/confirm")
    assert response.status_code == 404 and "Không còn bản xem trước này" in page_text(response)
    assert counts(app)["TrainingClass"] == 0 and batches(app) == 1
