"""Template workbooks for the class imports, written with xlsxwriter.

A sign-in sheet's template comes filled with the class's roster, ready to print and sign.
Every typed text is written as text (never a formula); each template has a `HuongDan` sheet
saying how to fill it in.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter

from ..sheets import looks_like_formula
from ..timefmt import vn_datetime
from .models import FORMATS, STATUSES, ClassSession, TrainingClass
from .past_sheets import CLASS_COLUMNS, CLASS_SHEET, LEARNER_SHEET

SIGN_IN_HEADERS = ["STT", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Trạng thái", "Ghi chú",
                   "Chữ ký"]
ROSTER_HEADERS = ["STT", "Tên đăng nhập", "Họ và tên", "Đơn vị"]
LEARNER_HEADERS = ["Mã lớp", "Tên đăng nhập", "Họ và tên", "Đơn vị", "Tham dự", "Buổi 1",
                   "Buổi 2", "Buổi 3"]

WHO = [
    "Mỗi dòng là một người. Ghi tên đăng nhập; nếu không biết, ghi họ và tên cùng đơn vị "
    "(mã đơn vị như AG-SNV, hoặc tên đơn vị như Sở Nội vụ).",
    "Hai người cùng họ tên ở cùng đơn vị: phải ghi tên đăng nhập.",
    "Các cột STT, Chữ ký, Chức vụ được bỏ qua; có thể thêm dòng tiêu đề của văn bản phía trên "
    "dòng tên cột.",
]
SIGN_IN_GUIDE = [
    "Danh sách ký của một buổi học.",
    *WHO,
    f"Trạng thái: {', '.join(STATUSES.values())}. Để trống là Có mặt — người vắng hãy ghi "
    "“Vắng” hoặc xoá dòng của họ.",
    "Người chưa có trong danh sách lớp: khi xác nhận, chọn thêm vào danh sách lớp hoặc bỏ qua.",
    "Lưu dạng .xlsx, hoặc CSV (UTF-8 hay Windows-1258).",
]
ROSTER_GUIDE = ["Danh sách học viên của một lớp.", *WHO,
                "Người đã có trong danh sách lớp được giữ nguyên."]
PAST_GUIDE = [
    "Hồ sơ các lớp đã tổ chức trước khi dùng hệ thống: nhập tất cả hoặc không gì cả.",
    f"Trang {CLASS_SHEET}: mỗi dòng một lớp. Mã lớp chỉ dùng trong tệp này để nối với trang "
    f"{LEARNER_SHEET}.",
    f"Hình thức: {', '.join(FORMATS.values())} (để trống là Trực tiếp).",
    "Các buổi học: ngày dd/mm/yyyy, cách nhau bằng dấu chấm phẩy; có thể kèm giờ, ví dụ "
    "“05/03/2024 08:00-11:30; 06/03/2024 13:30-17:00”. Không ghi giờ là 08:00-11:30.",
    "Tỉ lệ tối thiểu (%): phần trăm số buổi phải có mặt (hoặc đến muộn) để được tính là đã "
    "tham dự lớp; để trống là 100.",
    "Số văn bản: văn bản làm căn cứ (quyết định mở lớp, báo cáo kết quả…), bắt buộc.",
    f"Trang {LEARNER_SHEET}: mỗi dòng một học viên của một lớp. Ghi “Tham dự” là Có hoặc "
    "Không (có mặt ở mọi buổi / vắng mọi buổi), hoặc ghi trạng thái từng buổi ở các cột "
    f"“Buổi 1”, “Buổi 2”… ({', '.join(STATUSES.values())}; ô trống: không có ghi nhận).",
    "Cùng một tệp nhập lần thứ hai bị từ chối: lớp trùng số văn bản, tên lớp và ngày buổi đầu.",
]


class _Book:
    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.out, {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        self.bold = self.book.add_format({"bold": True, "bg_color": "#E4E6E8", "border": 1})
        self.title = self.book.add_format({"bold": True, "font_size": 13})
        self.text = self.book.add_format({"num_format": "@"})
        self.quoted = self.book.add_format({"num_format": "@", "quote_prefix": True})

    def sheet(self, name: str, headers: list[str], *, first_row: int = 0, widths=None):
        sheet = self.book.add_worksheet(name)
        for col, header in enumerate(headers):
            sheet.write_string(first_row, col, header, self.bold)
            sheet.set_column(col, col, (widths or {}).get(col, 18), self.text)
        sheet.freeze_panes(first_row + 1, 0)
        return sheet

    def cell(self, sheet, row: int, col: int, value: str) -> None:
        sheet.write_string(row, col, value, self.quoted if looks_like_formula(value)
                           else self.text)

    def guide(self, lines: Iterable[str]) -> None:
        sheet = self.book.add_worksheet("HuongDan")
        sheet.set_column(0, 0, 110)
        sheet.write_string(0, 0, "Hướng dẫn", self.title)
        for row, line in enumerate(lines, start=2):
            sheet.write_string(row, 0, line)

    def bytes(self) -> bytes:
        self.book.close()
        return self.out.getvalue()


def sign_in_template(klass: TrainingClass, session: ClassSession,
                     roster: list[tuple[str, str, str]]) -> bytes:
    """A sign-in sheet for a session, one row per (username, full name, unit) on the roster."""
    book = _Book()
    sheet = book.sheet("DanhSachKy", SIGN_IN_HEADERS, first_row=2,
                       widths={0: 6, 2: 28, 3: 30, 5: 24, 6: 16})
    sheet.write_string(0, 0, f"DANH SÁCH KÝ TÊN — {klass.title} — buổi "
                             f"{vn_datetime(session.starts_at)}"[:250], book.title)
    for i, (username, full_name, unit) in enumerate(roster, start=1):
        sheet.write_number(2 + i, 0, i)
        for col, value in enumerate((username, full_name, unit), start=1):
            book.cell(sheet, 2 + i, col, value)
    last = max(len(roster), 200) + 2
    sheet.data_validation(3, 4, last, 4, {
        "validate": "list", "source": list(STATUSES.values()), "ignore_blank": True,
        "error_type": "warning",
    })
    book.guide(SIGN_IN_GUIDE)
    return book.bytes()


def roster_template() -> bytes:
    """An empty roster file with its columns."""
    book = _Book()
    book.sheet("DanhSachLop", ROSTER_HEADERS, widths={0: 6, 2: 28, 3: 30})
    book.guide(ROSTER_GUIDE)
    return book.bytes()


def past_template() -> bytes:
    """An empty past-records workbook: sheets Lop and HocVien with their columns."""
    book = _Book()
    book.sheet(CLASS_SHEET, [c.label for c in CLASS_COLUMNS],
               widths={1: 40, 3: 24, 4: 24, 5: 44, 7: 22, 8: 30})
    learners = book.sheet(LEARNER_SHEET, LEARNER_HEADERS, widths={2: 28, 3: 30})
    learners.data_validation(1, 4, 5000, 4, {
        "validate": "list", "source": ["Có", "Không"], "ignore_blank": True,
        "error_type": "warning",
    })
    learners.data_validation(1, 5, 5000, 7, {
        "validate": "list", "source": list(STATUSES.values()), "ignore_blank": True,
        "error_type": "warning",
    })
    book.guide(PAST_GUIDE)
    return book.bytes()
