"""Find the officials a file names: by username, or by full name within a unit (code or name).

A name is matched within the unit the official belonged to on the day that matters (the
session's day), then within any unit they ever belonged to (records older than the unit tree
or than a move), first letter for letter (case and tone placement aside: `Hòa` = `Hoà`), then
without diacritics. Two candidates at the first step that finds any make the row ambiguous:
nothing is guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..org.models import Membership, Unit
from ..org.service import current_units
from ..search.analysis import canonical_word
from ..textnorm import fold

CHUNK = 500


def name_key(text: str) -> str:
    """A name compared letter for letter: NFC, lower case, one tone placement, single spaces."""
    words = unicodedata.normalize("NFC", text).split()
    return " ".join(canonical_word(w) for w in words)


def folded_key(text: str) -> str:
    """A name compared without diacritics (đ → d)."""
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())


@dataclass(frozen=True)
class Person:
    """An account as an import shows it."""

    id: int
    username: str
    full_name: str
    active: bool
    unit_name: str = ""

    @property
    def label(self) -> str:
        """`Họ tên (tên đăng nhập, đơn vị)`."""
        where = f", {self.unit_name}" if self.unit_name else ""
        locked = ", tài khoản đã khoá" if not self.active else ""
        return f"{self.full_name} ({self.username}{where}{locked})"


@dataclass
class Found:
    """What a lookup found: one person, or why not (a Vietnamese message), and how."""

    person: Person | None = None
    problem: str | None = None
    kind: str = ""
    """`unknown`, `ambiguous` or `invalid` when there is a problem."""
    note: str = ""


UNKNOWN, AMBIGUOUS, INVALID = "unknown", "ambiguous", "invalid"


@dataclass(frozen=True)
class _UnitRow:
    id: int
    code: str
    name: str
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class _Member:
    person: Person
    unit_id: int
    valid_from: date
    valid_to: date | None


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


class Directory:
    """The accounts and units a file names, loaded in a few queries, then looked up."""

    def __init__(self, on: date) -> None:
        self.on = on
        self.units: list[_UnitRow] = []
        self._unit_index: dict[str, dict[str, list[_UnitRow]]] = {}
        self.by_username: dict[str, Person] = {}
        self.members: dict[int, list[_Member]] = {}

    def load(self, usernames: Iterable[str], unit_texts: Iterable[str]) -> None:
        """Fetch the named accounts, every unit, and the members of the units named."""
        self.units = [
            _UnitRow(*row)
            for row in db.session.execute(
                select(Unit.id, Unit.code, Unit.name, Unit.valid_from, Unit.valid_to)
            )
        ]
        self._unit_index = {"code": {}, "name": {}, "folded": {}}
        for unit in self.units:
            for how, value in (("code", unit.code.lower()), ("name", name_key(unit.name)),
                               ("folded", folded_key(unit.name))):
                self._unit_index[how].setdefault(value, []).append(unit)
        wanted = sorted({u.lower() for u in usernames if u})
        accounts: list[User] = []
        for part in _chunks(wanted):
            # Usernames are stored in lower case (auth.service.validate_username).
            accounts.extend(db.session.scalars(select(User).where(User.username.in_(part))))
        units_of: dict[int, Unit] = {}
        for part in _chunks([u.id for u in accounts]):
            units_of.update(current_units(part, self.on))
        for user in accounts:
            unit = units_of.get(user.id)
            self.by_username[user.username.lower()] = Person(
                user.id, user.username, user.full_name, user.active, unit.name if unit else ""
            )
        unit_ids = sorted({
            unit.id
            for text in set(unit_texts)
            if text
            for unit in self._units_named(text)
        })
        names = {u.id: u.name for u in self.units}
        for part in _chunks(unit_ids):
            rows = db.session.execute(
                select(User.id, User.username, User.full_name, User.active, Membership.unit_id,
                       Membership.valid_from, Membership.valid_to)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.unit_id.in_(part))
            )
            for uid, username, full_name, active, unit_id, start, end in rows:
                person = Person(uid, username, full_name, active, names.get(unit_id, ""))
                self.members.setdefault(unit_id, []).append(_Member(person, unit_id, start, end))

    def _units_named(self, text: str) -> list[_UnitRow]:
        index = self._unit_index
        return (
            index["code"].get(text.strip().lower())
            or index["name"].get(name_key(text))
            or index["folded"].get(folded_key(text))
            or []
        )

    def unit(self, text: str) -> tuple[_UnitRow | None, str | None]:
        """The unit a cell names by code or name, or the message saying why none."""
        found = self._units_named(text)
        if len(found) > 1:
            current = [u for u in found if u.valid_on(self.on)]
            found = current if len(current) == 1 else found
        if not found:
            return None, f"Không có đơn vị nào mã hoặc tên “{text}”."
        if len(found) > 1:
            codes = ", ".join(sorted(u.code for u in found)[:10])
            return None, (f"Có {len(found)} đơn vị tên “{text}” ({codes}); hãy ghi mã đơn vị "
                          "thay cho tên.")
        return found[0], None

    def by_login(self, username: str, full_name: str = "") -> Found:
        """The account with this username; when a name is given too, it must be theirs."""
        person = self.by_username.get(username.lower())
        if person is None:
            return Found(problem=f"Không có tài khoản nào tên đăng nhập “{username}”.",
                         kind=UNKNOWN)
        if full_name and folded_key(full_name) != folded_key(person.full_name):
            return Found(
                problem=(f"Tên đăng nhập “{username}” là của {person.full_name}, không phải "
                         f"“{full_name}”; hãy kiểm tra lại tên đăng nhập hoặc họ tên."),
                kind=INVALID,
            )
        return Found(person)

    def by_name(self, full_name: str, unit_text: str) -> Found:
        """The one official of this name in this unit, or why there is not exactly one."""
        unit, problem = self.unit(unit_text)
        if unit is None:
            return Found(problem=problem, kind=UNKNOWN)
        members = self.members.get(unit.id, [])
        current = [m for m in members if m.valid_from <= self.on
                   and (m.valid_to is None or self.on <= m.valid_to)]
        for compare, note in ((name_key, ""), (folded_key, "khớp họ tên khi bỏ dấu")):
            wanted = compare(full_name)
            for group in (current, members):
                people = {m.person.id: m.person for m in group
                          if compare(m.person.full_name) == wanted}
                if len(people) == 1:
                    return Found(next(iter(people.values())), note=note)
                if len(people) > 1:
                    listed = ", ".join(sorted(p.username for p in people.values()))
                    return Found(
                        problem=(f"Có {len(people)} cán bộ tên “{full_name}” ở {unit.name} "
                                 f"({listed}); hãy ghi tên đăng nhập để chỉ rõ người nào."),
                        kind=AMBIGUOUS,
                    )
        return Found(problem=f"Không tìm thấy cán bộ tên “{full_name}” ở {unit.name} "
                             f"({unit.code}).", kind=UNKNOWN)

