"""The compliance report: roster, accessed, trained, moves, merges, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import make_unit, make_user
from plan_world import (
    TODAY,
    at,
    complete_all,
    fixed_clock,  # noqa: F401 - autouse: the clock of every test here
    make_materials,
    make_plan,
    pass_quiz,
    record,
    sign_in_at,
    view_all,
)
from sqlalchemy import event

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import service as org_service
from cchc_learn.plans.report import ReportError, compliance
from cchc_learn.tracking import events


def province(app) -> None:
    make_unit(app, "TINH", "UBND tỉnh", "province", valid_from=date(2025, 7, 1))
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH", valid_from=date(2025, 7, 1))
    make_unit(app, "XA1", "Xã Một", "commune", parent="TINH", valid_from=date(2025, 7, 1))
    make_unit(app, "XA2", "Xã Hai", "commune", parent="TINH", valid_from=date(2025, 7, 1))


def rows(app, as_of=None, unit=None, slug="ke-hoach-thu") -> dict[str, dict]:
    with app.app_context():
        report = compliance(slug, as_of, unit)
        return {row["code"]: row for row in report.as_json()["units"]}


def test_roster_counts_officials_who_never_signed_in(app):
    province(app)
    admin = make_user(app, "quantri", roles=("admin",), unit="SNV")
    a = make_user(app, "cb-a", unit="XA1")
    b = make_user(app, "cb-b", unit="XA1")
    c = make_user(app, "cb-c", unit="XA2")
    make_user(app, "khoa", unit="XA2", active=False)  # deactivated: out of the roster
    ids = make_materials(app)
    make_plan(app)
    sign_in_at(app, a, at(date(2026, 2, 1)))
    sign_in_at(app, c, at(date(2026, 2, 1)))
    view_all(app, a, ids, at(date(2026, 3, 1)))
    complete_all(app, a, ids, at(date(2026, 3, 2)))
    pass_quiz(app, a, ids["quiz"], at(date(2026, 3, 3)))
    view_all(app, c, ids, at(date(2026, 3, 1)))  # accessed, not trained
    complete_all(app, b, ids, at(date(2025, 12, 1)))  # before the plan: does not count

    got = rows(app, "2026-06-01")
    assert got["XA1"] | {} == got["XA1"]
    assert (got["XA1"]["roster"], got["XA1"]["accessed"], got["XA1"]["trained"]) == (2, 1, 1)
    assert got["XA1"]["never_signed_in"] == 1  # b
    assert (got["XA2"]["roster"], got["XA2"]["accessed"], got["XA2"]["trained"]) == (1, 1, 0)
    province_row = got["TINH"]
    assert province_row["roster"] == 3 and province_row["parent_code"] is None
    assert province_row["accessed"] == 2 and province_row["trained"] == 1
    assert province_row["accessed_pct"] == 66.7 and province_row["trained_pct"] == 33.3
    assert province_row["accessed_target_met"] is False
    assert got["SNV"]["roster"] == 0 and got["SNV"]["accessed_pct"] is None  # admin: no role
    assert admin
    # As of a day before the first view, nobody had accessed anything yet.
    early = rows(app, "2026-02-15")
    assert early["TINH"]["accessed"] == 0 and early["TINH"]["never_signed_in"] == 1


def test_quiz_failed_or_outside_the_window_does_not_train(app):
    province(app)
    a = make_user(app, "cb-a", unit="XA1")
    ids = make_materials(app)
    make_plan(app)
    view_all(app, a, ids, at(date(2026, 3, 1)))
    complete_all(app, a, ids, at(date(2026, 3, 1)))
    pass_quiz(app, a, ids["quiz"], at(date(2026, 3, 2)), passed=False)
    assert rows(app, "2026-06-01")["XA1"]["trained"] == 0
    pass_quiz(app, a, ids["quiz"], at(date(2026, 5, 2)))
    assert rows(app, "2026-05-01")["XA1"]["trained"] == 0
    assert rows(app, "2026-05-02")["XA1"]["trained"] == 1


def test_an_attachment_download_counts_as_opening_the_document(app):
    from plan_world import record

    from cchc_learn.tracking import events

    province(app)
    a = make_user(app, "cb-a", unit="XA1")
    ids = make_materials(app)
    make_plan(app)
    for name in ("l1", "l2"):
        record(app, a, events.lesson_view(ids[name], 1), at(date(2026, 3, 1)))
    assert rows(app, "2026-06-01")["XA1"]["accessed"] == 0
    record(app, a, events.attachment_download(ids["attachment"], 1), at(date(2026, 3, 1)))
    assert rows(app, "2026-06-01")["XA1"]["accessed"] == 1


def test_a_move_counts_the_official_in_the_old_unit_before_and_the_new_one_after(app):
    province(app)
    a = make_user(app, "cb-a", unit="XA1")
    ids = make_materials(app)
    make_plan(app)
    view_all(app, a, ids, at(date(2026, 2, 1)))
    with app.app_context():
        declare_write()
        user = db.session.get(org_service.User, a)
        org_service.assign(user, org_service.get_by_code("XA2"), on=date(2026, 4, 1))
        db.session.commit()
    before, after = rows(app, "2026-03-31"), rows(app, "2026-04-01")
    assert (before["XA1"]["roster"], before["XA1"]["accessed"]) == (1, 1)
    assert before["XA2"]["roster"] == 0
    assert (after["XA1"]["roster"], after["XA2"]["roster"], after["XA2"]["accessed"]) == (0, 1, 1)
    assert before["TINH"]["roster"] == after["TINH"]["roster"] == 1


def test_a_merged_commune_still_adds_up_at_the_province(app):
    """XA2 merges into XA1 on 1 April: the report as of March keeps XA2 and the same total."""
    province(app)
    a = make_user(app, "cb-a", unit="XA1")
    b = make_user(app, "cb-b", unit="XA2")
    ids = make_materials(app)
    make_plan(app)
    view_all(app, b, ids, at(date(2026, 2, 1)))
    with app.app_context():
        declare_write()
        xa1, xa2 = org_service.get_by_code("XA1"), org_service.get_by_code("XA2")
        org_service.assign(db.session.get(org_service.User, b), xa1, on=date(2026, 4, 1))
        xa2.valid_to = date(2026, 3, 31)
        db.session.commit()
    march, may = rows(app, "2026-03-15"), rows(app, "2026-05-01")
    assert set(march) == {"TINH", "SNV", "XA1", "XA2"}
    assert march["XA2"]["roster"] == 1 and march["XA2"]["accessed"] == 1
    assert "XA2" not in may
    assert march["TINH"]["roster"] == may["TINH"]["roster"] == 2
    assert march["TINH"]["accessed"] == may["TINH"]["accessed"] == 1
    assert may["XA1"]["roster"] == 2
    assert a


def test_a_district_that_disappears_keeps_last_years_rollup(app):
    province(app)
    make_unit(app, "HUYEN", "Huyện Cũ", "district", parent="TINH", valid_from=date(2025, 7, 1))
    make_unit(app, "XA3", "Xã Ba", "commune", parent="HUYEN", valid_from=date(2025, 7, 1))
    make_user(app, "cb-a", unit="XA3")
    make_materials(app)
    make_plan(app)
    with app.app_context():
        declare_write()
        org_service.move_unit(org_service.get_by_code("XA3"), org_service.get_by_code("TINH"),
                              on=date(2026, 3, 1))  # fmt: skip
        org_service.get_by_code("HUYEN").valid_to = date(2026, 2, 28)
        db.session.commit()
    feb, apr = rows(app, "2026-02-01"), rows(app, "2026-04-01")
    assert feb["HUYEN"]["roster"] == 1 and feb["XA3"]["parent_code"] == "HUYEN"
    assert "HUYEN" not in apr and apr["XA3"]["parent_code"] == "TINH"
    assert feb["TINH"]["roster"] == apr["TINH"]["roster"] == 1


def test_levels_narrow_the_audience(app):
    province(app)
    make_user(app, "cb-a", unit="XA1")
    make_user(app, "cb-s", unit="SNV")
    make_materials(app)
    make_plan(app, levels="commune")
    got = rows(app, "2026-06-01")
    assert got["TINH"]["roster"] == 1 and got["SNV"]["roster"] == 0


def test_bad_dates_units_and_plans_are_refused_in_vietnamese(app):
    province(app)
    make_materials(app)
    make_plan(app)
    with app.app_context():
        for as_of, unit, text in [
            ("2025-12-31", None, "trước ngày bắt đầu kế hoạch"),
            ("2026-07-01", None, "ở tương lai"),
            ("31/12/2026", None, "không hợp lệ"),
            (None, "KHONG-CO", "Không tìm thấy đơn vị"),
        ]:
            with pytest.raises(ReportError, match=text):
                compliance("ke-hoach-thu", as_of, unit)
        with pytest.raises(ReportError, match="Không có kế hoạch"):
            compliance("khong-co", None)


def test_the_number_of_queries_does_not_grow_with_units_or_officials(app):
    province(app)
    ids = make_materials(app)
    make_plan(app)

    def count() -> int:
        with app.app_context():
            # The plan's kept progress brought up to date first (plans/reached.py; how many
            # statements that takes is tested there): this counts the report itself.
            compliance("ke-hoach-thu", "2026-06-01")
            statements = []

            def note(*args):
                statements.append(args[2])

            event.listen(db.engine, "before_cursor_execute", note)
            try:
                report = compliance("ke-hoach-thu", "2026-06-01")
                from cchc_learn.plans.details import official_rows, trend

                official_rows(report)
                trend(report)
            finally:
                event.remove(db.engine, "before_cursor_execute", note)
            return len(statements)

    first = make_user(app, "cb-dau", unit="XA1")
    view_all(app, first, ids, at(date(2026, 3, 1)))
    pass_quiz(app, first, ids["quiz"], at(date(2026, 3, 2)))
    small = count()
    for i in range(12):
        make_unit(app, f"XN{i}", f"Xã mới {i}", "commune", parent="TINH",
                  valid_from=date(2025, 7, 1))  # fmt: skip
        user = make_user(app, f"u{i}", unit=f"XN{i}")
        view_all(app, user, ids, at(date(2026, 3, 1)))
    assert count() == small


def test_a_deactivated_account_leaves_the_roster_from_the_day_it_was_deactivated(app):
    province(app)
    a = make_user(app, "cb-a", unit="XA1")
    make_materials(app)
    make_plan(app)
    with app.app_context():
        declare_write()
        user = db.session.get(org_service.User, a)
        user.active, user.deactivated_at = False, at(date(2026, 4, 1), 0)
        db.session.commit()
    assert rows(app, "2026-03-31")["XA1"]["roster"] == 1
    assert rows(app, "2026-04-01")["XA1"]["roster"] == 0


def test_deactivating_through_the_service_keeps_the_date(app):
    from cchc_learn.auth import service as auth_service

    province(app)
    a = make_user(app, "cb-a", unit="XA1")
    with app.app_context():
        declare_write()
        user = db.session.get(org_service.User, a)
        auth_service.set_active(user, False)
        db.session.commit()
        assert user.deactivated_at == TODAY
        auth_service.set_active(user, True)
        db.session.commit()
        assert user.deactivated_at is None


def test_a_plan_starting_mid_year_counts_what_was_opened_again_after_its_start(app):
    """The summary keeps a row per year: an earlier access that year must not hide a later one."""
    province(app)
    again = make_user(app, "cb-lai", unit="XA1")  # before the start, and again after it
    before = make_user(app, "cb-truoc", unit="XA1")  # only before the start
    ids = make_materials(app)
    make_plan(app, starts=date(2026, 4, 1))
    for user in (again, before):
        view_all(app, user, ids, at(date(2026, 2, 1)))
        complete_all(app, user, ids, at(date(2026, 2, 2)))
        pass_quiz(app, user, ids["quiz"], at(date(2026, 4, 20)))
    view_all(app, again, ids, at(date(2026, 4, 1), 0))  # the plan's first minute
    for lesson in ("l1", "l2"):  # confirmed again (the completion row stays the first one)
        record(app, again, events.lesson_completion(ids[lesson], 1), at(date(2026, 5, 10)))

    def counts(as_of: str) -> tuple[int, int, int]:
        row = rows(app, as_of)["TINH"]
        return row["roster"], row["accessed"], row["trained"]

    assert counts("2026-04-01") == (2, 1, 0)
    assert counts("2026-05-09") == (2, 1, 0)  # completed before the start only
    assert counts("2026-05-10") == (2, 1, 1)
    with app.app_context():
        from cchc_learn.plans.details import official_rows, trend

        report = compliance("ke-hoach-thu", "2026-06-01")
        people = {row.username: row for row in official_rows(report)[0]}
        assert people["cb-lai"].state == "trained" and people["cb-lai"].missing == []
        assert people["cb-truoc"].state == "in_progress"  # the quiz, passed after the start
        assert {m.what for m in people["cb-truoc"].missing} == {"open", "complete"}
        points = {p.day: (p.roster, p.accessed, p.trained) for p in trend(report)}
    assert points[date(2026, 4, 7)] == (2, 1, 0)
    assert points[date(2026, 5, 12)] == (2, 1, 1)
