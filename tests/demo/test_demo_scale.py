"""`cchc-learn demo scale`: a small national dataset that holds together, and refusals."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

import pytest
from helpers import make_unit, make_user
from sqlalchemy import func, select, text

from cchc_learn.auth.models import User, user_search_key
from cchc_learn.classes import outcome
from cchc_learn.classes.models import ClassParticipant, TrainingClass
from cchc_learn.clock import LOCAL_TZ, set_clock
from cchc_learn.demo import scale
from cchc_learn.demo.scale_activity import EVENTS_UNTIL, MAIN_PLAN
from cchc_learn.extensions import db
from cchc_learn.org.models import Membership, Unit, UnitLink
from cchc_learn.plans.models import Plan
from cchc_learn.plans.report import build as build_report
from cchc_learn.qa.models import Post, Question
from cchc_learn.tracking.models import AccessEvent, AccessSummary

OFFICIALS, EVENTS = 300, 15_000
ARGS = ["demo", "scale", "--officials", str(OFFICIALS), "--events", str(EVENTS)]


@pytest.fixture(autouse=True)
def december_clock():
    set_clock(lambda: datetime(2026, 12, 3, 3, 0, tzinfo=UTC))
    yield
    set_clock(None)


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            name: db.session.scalar(select(func.count()).select_from(db.metadata.tables[name]))
            for name in ("user", "unit", "membership", "access_event", "access_summary",
                         "qa_question", "class_participant", "quiz_attempt", "plan")
        }  # fmt: skip


def summary_rows(app) -> list[tuple]:
    s = AccessSummary
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(s.user_id, s.object_type, s.object_id, s.year, s.first_at, s.last_at,
                   s.completed_at, s.last_completed_at)
            .order_by(s.user_id, s.object_type, s.object_id, s.year))]  # fmt: skip


def test_the_command_builds_a_country_that_holds_together(app, runner):
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    assert "access_event" in result.output and "15.000" in result.output
    n = counts(app)
    assert n["user"] == OFFICIALS + 8  # two provinces, four staff accounts each
    assert n["access_event"] == EVENTS and 0 < n["access_summary"] <= EVENTS
    assert n["plan"] == 4 and n["qa_question"] >= 20 and n["class_participant"] > 0
    with app.app_context():
        units = {u.id: u for u in db.session.scalars(select(Unit))}
        # Every membership is in a unit that existed on each of its days, and an official's
        # memberships never overlap.
        by_user = defaultdict(list)
        for m in db.session.scalars(select(Membership)):
            unit = units[m.unit_id]
            assert unit.valid_from <= m.valid_from, (unit.code, m.valid_from)
            if unit.valid_to is not None:
                assert m.valid_to is not None and m.valid_to <= unit.valid_to, unit.code
            by_user[m.user_id].append((m.valid_from, m.valid_to))
        for periods in by_user.values():
            periods.sort()
            for (_, end), (start, _) in zip(periods, periods[1:], strict=False):
                assert end is not None and end < start
        # The 2025 reorganisation: districts and old communes ended on 30 June 2025, new
        # communes began on 1 July, and officials moved from the one to the other.
        ended = {u.level for u in units.values() if u.valid_to == date(2025, 6, 30)}
        assert ended == {"district", "commune"}
        moved = db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.valid_from == date(2025, 7, 1)))  # fmt: skip
        assert moved > OFFICIALS // 3
        # A unit's parent links follow one another, each to a parent alive on its days.
        for link in db.session.scalars(select(UnitLink).where(UnitLink.parent_id.isnot(None))):
            parent, unit = units[link.parent_id], units[link.unit_id]
            assert parent.valid_from <= link.valid_from
            end = link.valid_to or unit.valid_to
            assert parent.valid_to is None or (end is not None and end <= parent.valid_to)
        # The folded search key is the one the application computes.
        for user in db.session.scalars(select(User)):
            assert user.search_key == user_search_key(user.username, user.full_name, user.email)
        assert db.session.scalar(select(func.count()).select_from(User).where(
            User.search_key.contains("nguyen"))) > 0  # fmt: skip
        # Events fall between the official's joining and the last day of data.
        joined = dict(db.session.execute(
            select(Membership.user_id, func.min(Membership.valid_from))
            .group_by(Membership.user_id)).all())  # fmt: skip
        for user_id, at in db.session.execute(select(AccessEvent.user_id, AccessEvent.at)):
            day = at.astimezone(LOCAL_TZ).date()
            assert joined[user_id] <= day <= EVENTS_UNTIL
        # Questions in many states; the answered ones have their answer, open ones a due time.
        states = dict(db.session.execute(
            select(Question.state, func.count()).group_by(Question.state)).all())  # fmt: skip
        assert len(states) >= 5
        for q in db.session.scalars(select(Question)):
            answers = db.session.scalar(select(func.count()).select_from(Post).where(
                Post.question_id == q.id, Post.kind == "answer"))  # fmt: skip
            assert (answers == 1) == (q.state in ("answered", "accepted", "closed"))
            assert (q.due_at is not None) == (q.state in ("new", "assigned")), q.state


def test_attended_on_is_what_the_classes_rule_computes(app, runner):
    assert runner.invoke(args=ARGS).exit_code == 0
    with app.app_context():
        kept = dict(db.session.execute(
            select(ClassParticipant.id, ClassParticipant.attended_on)).all())
        assert any(kept.values()) and not all(kept.values())
        changed = sum(outcome.refresh(k) for k in db.session.scalars(select(TrainingClass)))
        assert changed == 0
        assert dict(db.session.execute(
            select(ClassParticipant.id, ClassParticipant.attended_on)).all()) == kept  # fmt: skip
        db.session.rollback()


def test_the_compliance_report_runs_and_adds_up(app, runner):
    assert runner.invoke(args=ARGS).exit_code == 0
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.slug == MAIN_PLAN))
        report = build_report(plan, EVENTS_UNTIL)
        provinces = [r for r in report.rows if r.depth == 0]
        assert len(provinces) == 2
        assert report.total.roster == sum(r.counts.roster for r in provinces)
        # A parent counts at least what its children count (plus its own staff).
        by_parent = defaultdict(list)
        for row in report.rows:
            by_parent[row.parent_code].append(row)
        for row in report.rows:
            kids = by_parent.get(row.code, [])
            for field in ("roster", "accessed", "trained", "never_signed_in"):
                assert getattr(row.counts, field) >= sum(getattr(k.counts, field) for k in kids)
        # The roster: officials active at the end of the window (or deactivated later) with a
        # membership on the day, counted here from the rows directly.
        day = EVENTS_UNTIL
        end = datetime(2026, 12, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
        expected = db.session.scalar(text(
            "SELECT COUNT(DISTINCT m.user_id) FROM membership m "
            "JOIN \"user\" u ON u.id = m.user_id "
            "JOIN user_role r ON r.user_id = u.id AND r.role = 'official' "
            "WHERE m.valid_from <= :day AND (m.valid_to IS NULL OR m.valid_to >= :day) "
            "AND (u.active OR u.deactivated_at >= :end)"
        ), {"day": day, "end": end})  # fmt: skip
        assert report.total.roster == expected > OFFICIALS // 2
        assert 0 < report.total.accessed < report.total.roster
        assert 0 < report.total.trained < report.total.roster


def test_the_summary_built_in_bulk_is_what_the_trigger_makes(app):
    with app.app_context():
        first = scale.build(OFFICIALS, EVENTS, 7, summary="trigger")
        assert not first.replaced
    through_trigger = summary_rows(app)
    with app.app_context():
        again = scale.build(OFFICIALS, EVENTS, 7, summary="bulk")
        assert again.replaced  # the earlier run's data, replaced
    in_bulk = summary_rows(app)
    assert len(in_bulk) == again.counts["access_summary"] > 1000
    assert in_bulk == through_trigger
    # The trigger is on again after the bulk load: a new event reaches the summary.
    with app.app_context():
        db.session.execute(text(
            "INSERT INTO access_event (user_id, object_type, object_id, action, version, at) "
            "VALUES (9, 'lesson', 999, 'view', 1, :at)"
        ), {"at": datetime(2026, 12, 2, 3, 0, tzinfo=UTC)})  # fmt: skip
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AccessSummary).where(
            AccessSummary.object_id == 999)) == 1  # fmt: skip


def test_it_refuses_a_database_with_other_accounts_and_writes_nothing(app, runner):
    make_unit(app, "TINH")
    make_user(app, "quantri", roles=("admin",), unit="TINH")
    before = counts(app)
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 1
    assert "1 tài khoản không do `demo scale` tạo (ví dụ: quantri)" in result.output
    assert "Không có gì được ghi" in result.output
    assert counts(app) == before


def test_it_refuses_units_without_accounts(app, runner):
    make_unit(app, "TINH")
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 1
    assert "đã có dữ liệu (1 đơn vị)" in result.output
    assert counts(app)["user"] == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--officials", "abc", "Số cán bộ (--officials): “abc” không phải số nguyên không âm."),
        ("--officials", "5", "Số cán bộ (--officials): 5 nằm ngoài khoảng cho phép (10 – "),
        ("--officials", "99999999999999", "nằm ngoài khoảng cho phép (10 – 5.000.000)"),
        ("--officials", "１２３", "Số cán bộ (--officials): “１２３” không phải số nguyên"),
        ("--events", "-5", "Số sự kiện (--events): “-5” không phải số nguyên không âm."),
        ("--events", "1\x00", "Số sự kiện (--events): “1?” không phải số nguyên không âm."),
        ("--seed", "1e9", "Hạt giống (--seed): “1e9” không phải số nguyên không âm."),
    ],
)
def test_bad_numbers_get_a_vietnamese_message_and_nothing_is_written(
    app, runner, option, value, message
):
    args = dict(zip(ARGS[2::2], ARGS[3::2], strict=True))
    args[option] = value
    result = runner.invoke(args=["demo", "scale", *[x for kv in args.items() for x in kv]])
    assert result.exit_code == 1
    assert message in result.output
    assert counts(app)["user"] == 0 and counts(app)["unit"] == 0


def test_migration_0017_indexes_accounts_by_role_and_trigrams_on_postgresql(app, backend):
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db.engine)
        roles = {i["name"]: i["column_names"] for i in inspector.get_indexes("user_role")}
        assert roles["ix_user_role_role"] == ["role", "user_id"]
        names = {i["name"] for i in inspector.get_indexes("user")}
        assert ("ix_user_search_key_trgm" in names) == (backend == "postgresql")
