"""A realistic two-level province (after 1 July 2025) with demo accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ..auth import service as auth_service
from ..auth.passwords import generate_password
from ..database import transactional
from ..org import accounts
from ..org import service as org_service
from ..org.models import Unit

PROVINCE = ("AG", "UBND tỉnh An Giang", "province")
DEPARTMENTS = [
    ("AG-SNV", "Sở Nội vụ"),
    ("AG-STC", "Sở Tài chính"),
    ("AG-STP", "Sở Tư pháp"),
    ("AG-SKHCN", "Sở Khoa học và Công nghệ"),
    ("AG-SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("AG-SYT", "Sở Y tế"),
    ("AG-TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh"),
]
COMMUNES = [
    ("AG-P-LONGXUYEN", "Phường Long Xuyên"),
    ("AG-P-CHAUDOC", "Phường Châu Đốc"),
    ("AG-P-RACHGIA", "Phường Rạch Giá"),
    ("AG-X-MYHOA", "Xã Mỹ Hòa Hưng"),
    ("AG-X-CHOMOI", "Xã Chợ Mới"),
    ("AG-X-TINHBIEN", "Xã Tịnh Biên"),
    ("AG-X-THOAISON", "Xã Thoại Sơn"),
    ("AG-X-TRITON", "Xã Tri Tôn"),
    ("AG-X-ANPHU", "Xã An Phú"),
    ("AG-DK-PHUQUOC", "Đặc khu Phú Quốc"),
]
TWO_LEVEL_FROM = date(2025, 7, 1)

STAFF = [
    ("admin", "Nguyễn Thị Thanh Hương", ["admin"], "AG-SNV", "Trưởng phòng Cải cách hành chính"),
    ("giangvien", "Trần Văn Minh", ["trainer"], "AG-SNV", "Chuyên viên chính"),
    ("giaidap", "Lê Thị Ngọc Hân", ["moderator"], "AG-SNV", "Chuyên viên"),
    (
        "giaidap2",
        "Võ Minh Tuấn",
        ["moderator"],
        "AG-TTPVHCC",
        "Chuyên viên Trung tâm Phục vụ hành chính công",
    ),
    ("hocvien", "Phạm Quốc Bảo", ["official"], "AG-X-MYHOA", "Công chức Văn phòng – Thống kê"),
]
SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Phan",
    "Trương",
]
MIDDLE = ["Văn", "Thị", "Hoàng", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hữu", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Khoa",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Trí",
    "Tú",
    "Vy",
]
POSITIONS = [
    "Công chức Văn phòng – Thống kê",
    "Công chức Tư pháp – Hộ tịch",
    "Chuyên viên Bộ phận Một cửa",
    "Chuyên viên",
    "Công chức Địa chính – Xây dựng",
    "Viên chức Trung tâm Phục vụ hành chính công",
]
OFFICIAL_COUNT = 40


@dataclass
class DemoResult:
    """What a demo run created: new accounts with their passwords (shown once)."""

    units_created: int
    passwords: dict[str, str]


def _ensure_unit(code: str, name: str, level: str, parent: Unit | None) -> tuple[Unit, bool]:
    unit = org_service.get_by_code(code)
    if unit is not None:
        return unit, False
    return org_service.create_unit(code, name, level, parent, valid_from=TWO_LEVEL_FROM), True


def _ensure_user(username, full_name, roles, unit, position, password=None):
    if auth_service.get_by_username(username) is not None:
        return None
    _user, generated = accounts.create_account(
        username,
        full_name,
        unit_code=unit.code,
        roles=roles,
        position=position,
        password=password,
        email=f"{username}@angiang.gov.vn.example",
        on=TWO_LEVEL_FROM,
    )
    return generated or password


@transactional
def create_demo(*, staff_password: str | None = None, seed: int = 4599) -> DemoResult:
    """Create the demo province and accounts that do not exist yet, as one unit of work."""
    created = 0
    province, new = _ensure_unit(*PROVINCE, None)
    created += new
    units = {}
    for code, name in DEPARTMENTS:
        units[code], new = _ensure_unit(code, name, "department", province)
        created += new
    for code, name in COMMUNES:
        units[code], new = _ensure_unit(code, name, "commune", province)
        created += new

    passwords: dict[str, str] = {}
    for username, full_name, roles, unit_code, position in STAFF:
        # Staff accounts get a password chosen for them by this run (shown once, no forced
        # change) so the tour works at once; officials get forced-change ones like imports.
        pw = _ensure_user(
            username,
            full_name,
            roles,
            units[unit_code],
            position,
            password=staff_password or generate_password(),
        )
        if pw:
            passwords[username] = pw
    rng = random.Random(seed)
    codes = [c for c, _ in COMMUNES] + [c for c, _ in DEPARTMENTS]
    for i in range(1, OFFICIAL_COUNT + 1):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        unit = units[codes[(i - 1) % len(codes)]]
        pw = _ensure_user(f"cb{i:03d}", name, ["official"], unit, rng.choice(POSITIONS))
        if pw:
            passwords[f"cb{i:03d}"] = pw
    return DemoResult(units_created=created, passwords=passwords)
