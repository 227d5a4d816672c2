"""The national-size synthetic world of `demo scale`, drawn in Python from one seed.

Pure data (no database): provinces with their departments, offices, districts and communes,
and the 2025 reorganisation on its real dates — five departments merged into others on
1 March 2025 (their offices move with them), districts ended and communes merged three into
one on 1 July 2025 (memberships move to the new commune), one office per province moved to
another department on 1 March 2026; officials with Vietnamese names, their memberships, and
a few of them moving or leaving during 2026. `scale_activity` adds what they did.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..textnorm import fold
from .data import GIVEN, MIDDLE, POSITIONS, SURNAMES

HISTORY_FROM = date(2024, 1, 1)
DEPARTMENTS_MERGED = date(2025, 3, 1)
TWO_LEVEL_FROM = date(2025, 7, 1)
OFFICE_MOVED = date(2026, 3, 1)
YEAR = 2026
EMAIL_DOMAIN = "quymo.invalid"
"""Every account `demo scale` makes has its e-mail here: how a later run knows its own data."""

PROVINCES = [
    ("HN", "Thành phố Hà Nội"), ("HUE", "Thành phố Huế"), ("LCH", "Tỉnh Lai Châu"),
    ("DBI", "Tỉnh Điện Biên"), ("SLA", "Tỉnh Sơn La"), ("LSO", "Tỉnh Lạng Sơn"),
    ("QNI", "Tỉnh Quảng Ninh"), ("THO", "Tỉnh Thanh Hóa"), ("NAN", "Tỉnh Nghệ An"),
    ("HTI", "Tỉnh Hà Tĩnh"), ("CBA", "Tỉnh Cao Bằng"), ("TQU", "Tỉnh Tuyên Quang"),
    ("LCA", "Tỉnh Lào Cai"), ("TNG", "Tỉnh Thái Nguyên"), ("PTH", "Tỉnh Phú Thọ"),
    ("BNI", "Tỉnh Bắc Ninh"), ("HYE", "Tỉnh Hưng Yên"), ("HPH", "Thành phố Hải Phòng"),
    ("NBI", "Tỉnh Ninh Bình"), ("QTR", "Tỉnh Quảng Trị"), ("DNA", "Thành phố Đà Nẵng"),
    ("QNG", "Tỉnh Quảng Ngãi"), ("GLA", "Tỉnh Gia Lai"), ("KHO", "Tỉnh Khánh Hòa"),
    ("LDO", "Tỉnh Lâm Đồng"), ("DLA", "Tỉnh Đắk Lắk"), ("HCM", "Thành phố Hồ Chí Minh"),
    ("DNI", "Tỉnh Đồng Nai"), ("TNI", "Tỉnh Tây Ninh"), ("CTH", "Thành phố Cần Thơ"),
    ("VLO", "Tỉnh Vĩnh Long"), ("DTH", "Tỉnh Đồng Tháp"), ("CMA", "Tỉnh Cà Mau"),
    ("AGI", "Tỉnh An Giang"),
]  # fmt: skip

# (code, name, merged into on 1 March 2025 or None)
DEPARTMENTS = [
    ("VP", "Văn phòng UBND", None), ("SNV", "Sở Nội vụ", None),
    ("STC", "Sở Tài chính", None), ("STP", "Sở Tư pháp", None),
    ("SXD", "Sở Xây dựng", None), ("SNNMT", "Sở Nông nghiệp và Môi trường", None),
    ("SKHCN", "Sở Khoa học và Công nghệ", None), ("SYT", "Sở Y tế", None),
    ("SGDDT", "Sở Giáo dục và Đào tạo", None), ("SCT", "Sở Công Thương", None),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "STC"), ("SGTVT", "Sở Giao thông vận tải", "SXD"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "SNNMT"),
    ("SLDTBXH", "Sở Lao động – Thương binh và Xã hội", "SNV"),
    ("STTTT", "Sở Thông tin và Truyền thông", "SKHCN"),
]  # fmt: skip
OFFICES = ["Văn phòng", "Phòng Kế hoạch – Tài chính", "Phòng Nghiệp vụ"]
PLACES = [
    "An Bình", "Bình Minh", "Tân Hòa", "Phú Lộc", "Hòa Thuận", "Thạnh Phú", "Long Hưng",
    "Mỹ Hòa", "Vĩnh Thạnh", "Tân Phú", "Hưng Long", "Đông Sơn", "Tây Sơn", "Bắc Sơn",
    "Nam Hải", "Phước Long", "Tân Thành", "Hòa An", "Bình Thủy", "Cát Tiên", "Ea Kar",
    "Krông Pắc", "Quảng Phú", "Định Hóa", "Yên Lạc", "Kim Sơn", "Thuận An", "Hải Lăng",
]  # fmt: skip
DISTRICTS_PER_PROVINCE = 6
OLD_COMMUNES_PER_DISTRICT = 9
MERGED_PER_COMMUNE = 3  # three old communes became one on 1 July 2025
OFFICIALS_PER_PROVINCE = 25_000
MOVING_SHARE = 0.04  # officials moving to another unit during the year
LEAVING_SHARE = 0.015  # accounts deactivated during the year


@dataclass
class UnitRow:
    """A unit, its parent links over time (parent id or None, from, to)."""

    id: int
    code: str
    name: str
    level: str
    valid_from: date
    valid_to: date | None
    links: list[tuple[int | None, date, date | None]] = field(default_factory=list)

    @property
    def parent_id(self) -> int | None:
        """The last parent: what `unit.parent_id` holds."""
        return self.links[-1][0]


@dataclass
class Province:
    """The ids of one province's units, by role, for drawing memberships."""

    root: int
    code: str
    departments: list[int] = field(default_factory=list)  # alive from 1 March 2025
    merged_departments: dict[int, int] = field(default_factory=dict)  # ended → absorbing one
    offices: list[int] = field(default_factory=list)
    districts: list[int] = field(default_factory=list)
    old_communes: dict[int, int] = field(default_factory=dict)  # old commune → new commune
    new_communes: list[int] = field(default_factory=list)
    district_communes: dict[int, list[int]] = field(default_factory=dict)  # district → new


@dataclass
class Person:
    """An account: (unit id, from, to) memberships, roles, sign-in and deactivation."""

    id: int
    username: str
    full_name: str
    position: str
    roles: tuple[str, ...]
    province: int
    memberships: list[tuple[int, date, date | None]]
    first_login: date | None = None
    deactivated_on: date | None = None

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"

    @property
    def search_key(self) -> str:
        """As `auth.models.user_search_key` makes it (checked by the tests)."""
        return fold(" ".join((self.username, self.full_name, self.email)))[:600]

    def unit_on(self, day: date) -> int | None:
        """The unit the account belongs to on day."""
        for unit_id, start, end in self.memberships:
            if start <= day and (end is None or day <= end):
                return unit_id
        return None


@dataclass
class World:
    """Every unit and account of the generated country."""

    units: list[UnitRow]
    provinces: list[Province]
    people: list[Person]

    @property
    def officials(self) -> list[Person]:
        return [p for p in self.people if "official" in p.roles]


class _Tree:
    def __init__(self) -> None:
        self.units: list[UnitRow] = []

    def add(self, code, name, level, parent, start=HISTORY_FROM, end=None) -> int:
        unit = UnitRow(len(self.units) + 1, code, name, level, start, end)
        unit.links.append((parent, start, end))
        self.units.append(unit)
        return unit.id

    def move(self, unit_id: int, parent: int, on: date) -> None:
        unit = self.units[unit_id - 1]
        old_parent, start, _ = unit.links[-1]
        unit.links[-1] = (old_parent, start, on - timedelta(days=1))
        unit.links.append((parent, on, unit.valid_to))


def provinces_for(officials: int) -> int:
    """How many provinces a country of that many officials gets (2 to 34)."""
    return max(2, min(len(PROVINCES), round(officials / OFFICIALS_PER_PROVINCE)))


def _province(tree: _Tree, rng: random.Random, code: str, name: str) -> Province:
    root = tree.add(code, f"UBND {name[0].lower()}{name[1:]}", "province", None)
    prov = Province(root, code)
    by_code: dict[str, int] = {}
    merged_into: dict[int, str] = {}
    for dcode, dname, into in DEPARTMENTS:
        end = DEPARTMENTS_MERGED - timedelta(days=1) if into else None
        dept = tree.add(f"{code}-{dcode}", dname, "department", root, end=end)
        by_code[dcode] = dept
        if into:
            merged_into[dept] = into
        else:
            prov.departments.append(dept)
        for i, oname in enumerate(OFFICES, 1):
            prov.offices.append(tree.add(f"{code}-{dcode}-P{i}", oname, "office", dept))
    for dept, into in merged_into.items():
        prov.merged_departments[dept] = by_code[into]
        # The merged department's offices carry on under the department that absorbed it.
        for office in prov.offices:
            if tree.units[office - 1].parent_id == dept:
                tree.move(office, by_code[into], DEPARTMENTS_MERGED)
    moved = prov.offices[-1 - rng.randrange(3)]
    tree.move(moved, by_code["SNV"], OFFICE_MOVED)
    places = rng.sample(PLACES, len(PLACES))
    before = TWO_LEVEL_FROM - timedelta(days=1)
    for d in range(DISTRICTS_PER_PROVINCE):
        district = tree.add(f"{code}-H{d + 1:02d}", f"Huyện {places[d]}", "district", root,
                            end=before)  # fmt: skip
        prov.districts.append(district)
        new: list[int] = []
        for c in range(OLD_COMMUNES_PER_DISTRICT):
            number = d * OLD_COMMUNES_PER_DISTRICT + c + 1
            kind = "Phường" if c == 0 else "Xã"
            if c % MERGED_PER_COMMUNE == 0:
                label = f"{kind} {places[(d + c) % len(places)]}"
                new.append(tree.add(f"{code}-X{len(prov.new_communes) + len(new) + 1:03d}",
                                    label, "commune", root, start=TWO_LEVEL_FROM))  # fmt: skip
            old = tree.add(f"{code}-H{d + 1:02d}-X{number:03d}",
                           f"{kind} {places[(d + c) % len(places)]} {c + 1}", "commune",
                           district, end=before)  # fmt: skip
            prov.old_communes[old] = new[-1]
        prov.district_communes[district] = new
        prov.new_communes.extend(new)
    return prov


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _memberships(rng: random.Random, prov: Province, hired: date) -> list:
    """Where an official of the province worked from hired on, across the reorganisation."""
    pick = rng.random()
    end_two_level = TWO_LEVEL_FROM - timedelta(days=1)
    if pick < 0.30:  # an office, or a department's own staff
        unit = rng.choice(prov.offices + prov.departments + list(prov.merged_departments))
        absorbing = prov.merged_departments.get(unit)
        if absorbing is None or hired >= DEPARTMENTS_MERGED:
            return [(absorbing or unit, hired, None)]
        return [(unit, hired, DEPARTMENTS_MERGED - timedelta(days=1)),
                (absorbing, DEPARTMENTS_MERGED, None)]  # fmt: skip
    if pick < 0.38:  # a district's staff: to a new commune of that district, or a department
        district = rng.choice(prov.districts)
        later = rng.choice(prov.district_communes[district] + prov.departments[:2])
        if hired >= TWO_LEVEL_FROM:
            return [(later, hired, None)]
        return [(district, hired, end_two_level), (later, TWO_LEVEL_FROM, None)]
    old = rng.choice(list(prov.old_communes))
    if hired >= TWO_LEVEL_FROM:
        return [(prov.old_communes[old], hired, None)]
    return [(old, hired, end_two_level), (prov.old_communes[old], TWO_LEVEL_FROM, None)]


def _move(rng: random.Random, prov: Province, memberships: list) -> None:
    unit, start, _ = memberships[-1]
    day = _day(rng, max(start + timedelta(days=1), date(YEAR, 2, 1)), date(YEAR, 10, 31))
    target = rng.choice([u for u in prov.new_communes + prov.offices[:12] if u != unit])
    memberships[-1] = (unit, start, day - timedelta(days=1))
    memberships.append((target, day, None))


STAFF = [  # (username, roles, position) per province, in its Department of Home Affairs
    ("quantri", ("admin",), "Trưởng phòng Cải cách hành chính"),
    ("giaidap1", ("moderator",), "Chuyên viên giải đáp"),
    ("giaidap2", ("moderator",), "Chuyên viên giải đáp"),
    ("giangvien", ("trainer",), "Giảng viên"),
]


def generate(officials: int, seed: int = 4599) -> World:
    """The country for that many officials, always the same for the same seed."""
    rng = random.Random(seed)
    tree = _Tree()
    provinces = [
        _province(tree, rng, code, name)
        for code, name in PROVINCES[: provinces_for(officials)]
    ]
    people: list[Person] = []
    for prov in provinces:
        snv = next(u.id for u in tree.units if u.code == f"{prov.code}-SNV")
        for username, roles, position in STAFF:
            people.append(Person(len(people) + 1, f"{username}.{prov.code.lower()}", _name(rng),
                                 position, roles, prov.root, [(snv, HISTORY_FROM, None)],
                                 first_login=date(2024, 1, 2)))  # fmt: skip
    for n in range(officials):
        prov = provinces[n % len(provinces)]
        hired = HISTORY_FROM if rng.random() < 0.85 else _day(rng, HISTORY_FROM,
                                                                date(YEAR, 10, 31))
        memberships = _memberships(rng, prov, hired)
        if rng.random() < MOVING_SHARE and memberships[-1][1] < date(YEAR, 10, 1):
            _move(rng, prov, memberships)
        person = Person(len(people) + 1, f"cb{n + 1:07d}", _name(rng), rng.choice(POSITIONS),
                        ("official",), prov.root, memberships)  # fmt: skip
        if rng.random() < 0.9:
            person.first_login = _day(rng, max(hired, date(YEAR - 1, 1, 1)), date(YEAR, 11, 30))
        if rng.random() < LEAVING_SHARE:
            person.deactivated_on = _day(rng, date(YEAR, 1, 15), date(YEAR, 11, 15))
        people.append(person)
    return World(tree.units, provinces, people)
