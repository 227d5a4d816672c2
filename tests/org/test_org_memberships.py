"""Memberships and the unit tree over time: who belonged where, and the tree as of a date."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import make_unit, make_user
from sqlalchemy import select

from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import service
from cchc_learn.org.models import Membership, Unit, UnitLink

D = date


@pytest.fixture
def province(app):
    """A pre-2025 three-level tree: province → district → commune, plus a department."""
    make_unit(app, "TINH", "UBND tỉnh", "province", valid_from=D(2020, 1, 1))
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH", valid_from=D(2020, 1, 1))
    make_unit(app, "HUYEN", "Huyện Chợ Mới", "district", parent="TINH", valid_from=D(2020, 1, 1))
    make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune", parent="HUYEN", valid_from=D(2020, 1, 1))
    make_user(app, "hocvien")
    return app


def _unit(code: str) -> Unit:
    return service.get_by_code(code)


def _user(name: str = "hocvien") -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _assign(app, code: str | None, on: date, name: str = "hocvien") -> None:
    with app.app_context():
        declare_write()
        service.assign(_user(name), _unit(code) if code else None, on=on)
        db.session.commit()


def _move(app, code: str, parent: str | None, on: date) -> None:
    with app.app_context():
        declare_write()
        service.move_unit(_unit(code), _unit(parent) if parent else None, on=on)
        db.session.commit()


def unit_on(app, day: date, name: str = "hocvien") -> str | None:
    with app.app_context():
        membership = service.current_membership(_user(name), day)
        return membership.unit.code if membership else None


def memberships(app, name: str = "hocvien") -> list[tuple[str, date, date | None]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Membership)
            .where(Membership.user_id == _user(name).id)
            .order_by(Membership.valid_from)
        ).all()
        return [(m.unit.code, m.valid_from, m.valid_to) for m in rows]


def shape(app, day: date) -> dict[str, list[str]]:
    """The tree as of day, as parent code → child codes (roots under None)."""
    with app.app_context():
        out: dict[str, list[str]] = {}

        def walk(nodes, parent):
            out[parent] = [n.unit.code for n in nodes]
            for n in nodes:
                if n.children:
                    walk(n.children, n.unit.code)

        walk(service.tree(day), None)
        return out


def test_assign_starts_a_membership_on_its_date(province):
    _assign(province, "XA", D(2024, 3, 1))
    assert memberships(province) == [("XA", D(2024, 3, 1), None)]
    assert unit_on(province, D(2024, 2, 29)) is None
    assert unit_on(province, D(2024, 3, 1)) == "XA"
    assert unit_on(province, D(2030, 1, 1)) == "XA"


def test_moving_closes_the_old_membership_the_day_before(province):
    _assign(province, "XA", D(2024, 3, 1))
    _assign(province, "SNV", D(2025, 7, 1))
    assert memberships(province) == [
        ("XA", D(2024, 3, 1), D(2025, 6, 30)),
        ("SNV", D(2025, 7, 1), None),
    ]
    assert unit_on(province, D(2025, 6, 30)) == "XA"
    assert unit_on(province, D(2025, 7, 1)) == "SNV"
    assert unit_on(province, D(2024, 1, 1)) is None


def test_assigning_the_same_unit_again_changes_nothing(province):
    _assign(province, "XA", D(2024, 3, 1))
    _assign(province, "XA", D(2025, 1, 1))
    assert memberships(province) == [("XA", D(2024, 3, 1), None)]


def test_a_correction_on_the_same_day_replaces_the_membership(province):
    _assign(province, "XA", D(2025, 7, 1))
    _assign(province, "SNV", D(2025, 7, 1))
    assert memberships(province) == [("SNV", D(2025, 7, 1), None)]


def test_leaving_without_a_new_unit_closes_the_membership(province):
    _assign(province, "XA", D(2024, 3, 1))
    _assign(province, None, D(2025, 1, 1))
    assert memberships(province) == [("XA", D(2024, 3, 1), D(2024, 12, 31))]
    assert unit_on(province, D(2025, 1, 1)) is None


def test_a_backdated_move_leaves_no_overlapping_memberships(province):
    _assign(province, "XA", D(2024, 1, 1))
    _assign(province, "SNV", D(2025, 7, 1))
    # Later it turns out the official had moved to the district on 1 March 2025.
    _assign(province, "HUYEN", D(2025, 3, 1))
    assert memberships(province) == [
        ("XA", D(2024, 1, 1), D(2025, 2, 28)),
        ("HUYEN", D(2025, 3, 1), None),
    ]
    for day in [D(2025, 3, 1), D(2025, 7, 1), D(2026, 1, 1)]:
        assert unit_on(province, day) == "HUYEN", day


def test_current_units_maps_many_users_in_one_call(province):
    make_user(province, "dongnghiep")
    _assign(province, "XA", D(2024, 1, 1))
    _assign(province, "SNV", D(2025, 7, 1), name="dongnghiep")
    with province.app_context():
        ids = {u.username: u.id for u in db.session.scalars(select(User))}
        before = service.current_units(list(ids.values()), D(2025, 6, 30))
        after = service.current_units(list(ids.values()), D(2025, 7, 1))
        before = {k: v.code for k, v in before.items()}
        after = {k: v.code for k, v in after.items()}
    assert before == {ids["hocvien"]: "XA"}
    assert after == {ids["hocvien"]: "XA", ids["dongnghiep"]: "SNV"}
    with province.app_context():
        assert service.current_units([]) == {}


def test_tree_as_of_a_date_uses_the_parent_of_that_date(province):
    # 1 July 2025: districts are abolished and communes come directly under the province.
    _move(province, "XA", "TINH", D(2025, 7, 1))
    with province.app_context():
        declare_write()
        _unit("HUYEN").valid_to = D(2025, 6, 30)
        db.session.commit()

    assert shape(province, D(2025, 6, 30)) == {
        None: ["TINH"],
        "TINH": ["HUYEN", "SNV"],
        "HUYEN": ["XA"],
    }
    assert shape(province, D(2025, 7, 1)) == {None: ["TINH"], "TINH": ["SNV", "XA"]}
    with province.app_context():
        depths = {n.unit.code: n.depth for n in service.flatten(service.tree(D(2025, 6, 30)))}
    assert depths == {"TINH": 0, "HUYEN": 1, "XA": 2, "SNV": 1}


def test_tree_before_a_unit_existed_leaves_it_out(province):
    make_unit(province, "XA-MOI", "Xã mới", "commune", parent="TINH", valid_from=D(2025, 7, 1))
    assert "XA-MOI" not in shape(province, D(2025, 6, 30))["TINH"]
    assert "XA-MOI" in shape(province, D(2025, 7, 1))["TINH"]
    assert shape(province, D(2019, 12, 31)) == {None: []}


def test_a_backdated_unit_move_leaves_no_overlapping_links(province):
    _move(province, "XA", "TINH", D(2025, 7, 1))
    _move(province, "XA", "SNV", D(2025, 3, 1))
    with province.app_context():
        xa = _unit("XA")
        rows = db.session.scalars(
            select(UnitLink).where(UnitLink.unit_id == xa.id).order_by(UnitLink.valid_from)
        ).all()
        history = [(db.session.get(Unit, r.parent_id).code, r.valid_from, r.valid_to) for r in rows]
    assert history == [
        ("HUYEN", D(2020, 1, 1), D(2025, 2, 28)),
        ("SNV", D(2025, 3, 1), None),
    ]
    assert shape(province, D(2025, 4, 1))["SNV"] == ["XA"]
    assert shape(province, D(2025, 8, 1))["SNV"] == ["XA"]


def test_moving_a_unit_under_itself_or_a_descendant_is_refused(province):
    with province.app_context():
        for target in ["TINH", "HUYEN", "XA"]:
            with pytest.raises(service.OrgError, match="chính nó hoặc đơn vị cấp dưới"):
                service.move_unit(_unit("TINH"), _unit(target), on=D(2025, 7, 1))
