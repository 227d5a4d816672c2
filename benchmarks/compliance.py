"""The compliance report of a generated country against one hand-written SQL query.

The data is `cchc-learn demo scale` (`cchc_learn/demo/scale.py`): provinces of about 140 units
each (departments and their offices, communes; districts and old communes until the 2025
mergers), N officials (4 % move during the year), M access events over 2025 and the plan's year
up to 30 November, quiz attempts, classes and Q&A; the main plan covers every province and
requires a module's six lessons, two documents and a quiz. The summary of the events is built
by the same INSERT … SELECT as migration 0013 (timed: it is what an existing installation runs
once). The report (`plans.report.build`, every query it makes: units, links, materials, the
aggregate over the plan's kept progress) is timed against one recursive-CTE query over the raw
events computing the same per-unit numbers, and both results are compared; the report page's
other parts are timed too: the weekly trend, the drill-down to one commune (its report and
every official's gaps), and — up to 50,000 officials — every official's gaps in the whole
audience. The first report is timed apart (it builds the plan's kept progress from the summary,
`plans/reached.py`), and so is a report after 1,000 officials had new events since the previous
one (their progress recomputed first). Prints a table:

    python benchmarks/compliance.py [--officials 20000] [--events 1000000]
                                    [--database sqlite] [--database postgresql] [--repeat 3]

    python benchmarks/compliance.py --officials 200000 --events 10000000 --database postgresql

PostgreSQL is 127.0.0.1:5432 as user postgres (CCHC_BENCH_DATABASE_URL to change); a database
is created for the run and dropped after it, whatever happens.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, literal, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cchc_learn import create_app  # noqa: E402
from cchc_learn.auth.models import User  # noqa: E402
from cchc_learn.clock import set_clock  # noqa: E402
from cchc_learn.database import declare_write  # noqa: E402
from cchc_learn.demo import scale  # noqa: E402
from cchc_learn.demo.scale_activity import EVENTS_UNTIL, MAIN_PLAN, PLAN_STARTS  # noqa: E402
from cchc_learn.extensions import db  # noqa: E402
from cchc_learn.numbers import vi_count as vi  # noqa: E402
from cchc_learn.org.models import Unit  # noqa: E402
from cchc_learn.plans.counting import Window  # noqa: E402
from cchc_learn.plans.details import official_rows, trend  # noqa: E402
from cchc_learn.plans.models import Plan, ProgressStale  # noqa: E402
from cchc_learn.plans.report import build  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
STARTS = PLAN_STARTS
AS_OF = EVENTS_UNTIL
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
STORED = "%Y-%m-%d %H:%M:%S.%f"  # how SQLite keeps a UTC time
STALE = 1_000  # officials with new events between two reports
PROVINCE_GAPS = 50_000  # more officials than this: the audience-wide list is not timed
COMMUNE_LEVEL = "commune"

# The hand-written reference: the tree of the day (recursive CTE over the links in force), the
# roster of the day, COUNT(DISTINCT …) per official, rolled up to every ancestor.
REFERENCE = """
WITH RECURSIVE alive AS (
    SELECT id, level FROM unit
    WHERE valid_from <= :day AND (valid_to IS NULL OR valid_to >= :day)
), parent AS (
    SELECT l.unit_id, l.parent_id FROM unit_link l
    JOIN alive a ON a.id = l.unit_id JOIN alive p ON p.id = l.parent_id
    WHERE l.valid_from <= :day AND (l.valid_to IS NULL OR l.valid_to >= :day)
), below(id) AS (
    SELECT id FROM unit WHERE code IN ({roots})
    UNION ALL SELECT p.unit_id FROM parent p JOIN below b ON p.parent_id = b.id
), up(unit_id, anc_id) AS (
    SELECT id, id FROM below
    UNION ALL SELECT u.unit_id, p.parent_id FROM up u JOIN parent p ON p.unit_id = u.anc_id
), acc AS (
    SELECT user_id, COUNT(DISTINCT CASE WHEN object_type = 'lesson' THEN object_id
                                        ELSE -object_id END) AS n
    FROM access_event
    WHERE action IN ('view', 'download') AND at >= :start AND at < :end
      AND ((object_type = 'lesson' AND object_id IN ({lessons}))
        OR (object_type = 'document' AND object_id IN ({documents})))
    GROUP BY user_id
), done AS (
    SELECT user_id, COUNT(DISTINCT object_id) AS n FROM access_event
    WHERE action = 'complete' AND object_type = 'lesson' AND object_id IN ({lessons})
      AND at >= :start AND at < :end
    GROUP BY user_id
), passed AS (
    SELECT DISTINCT user_id FROM quiz_attempt
    WHERE quiz_id = :quiz AND status = 'submitted' AND passed AND submitted_at >= :start
      AND submitted_at < :end
), roster AS (
    SELECT m.user_id, m.unit_id,
           CASE WHEN COALESCE(acc.n, 0) = :n_access THEN 1 ELSE 0 END AS accessed,
           CASE WHEN COALESCE(done.n, 0) = :n_lessons AND passed.user_id IS NOT NULL
                THEN 1 ELSE 0 END AS trained,
           CASE WHEN u.first_login_at IS NULL OR u.first_login_at >= :end THEN 1 ELSE 0 END
               AS never
    FROM membership m
    JOIN "user" u ON u.id = m.user_id
    JOIN below b ON b.id = m.unit_id
    LEFT JOIN acc ON acc.user_id = u.id
    LEFT JOIN done ON done.user_id = u.id
    LEFT JOIN passed ON passed.user_id = u.id
    WHERE m.valid_from <= :day AND (m.valid_to IS NULL OR m.valid_to >= :day)
      AND (u.active OR u.deactivated_at >= :end)
      AND EXISTS (SELECT 1 FROM user_role r WHERE r.user_id = u.id AND r.role = 'official')
)
SELECT up.anc_id, COUNT(*), SUM(accessed), SUM(trained), SUM(never)
FROM roster JOIN up ON up.unit_id = roster.unit_id
GROUP BY up.anc_id
"""


def make_app(uri: str, folder: Path):
    return create_app({
        "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghij",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "UPLOAD_DIR": str(folder / "uploads"),
    })  # fmt: skip


def load(app, officials: int, events: int) -> dict[str, float]:
    """Migrate, then `demo scale` (seconds per step: events, summary, total)."""
    with app.app_context():
        declare_write()
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        result = scale.build(officials, events)
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    declare_write(False)
    return result.seconds


def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        db.session.rollback()
        db.session.expire_all()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(app, repeat: int, officials: int) -> dict:
    """Seconds for the report, the reference, the trend and the drill-downs; same numbers?"""
    with app.app_context():
        plan = db.session.scalar(db.select(Plan).where(Plan.slug == MAIN_PLAN))

        def report():
            return build(plan, AS_OF)

        commune_code = db.session.scalar(
            db.select(Unit.code).where(Unit.level == COMMUNE_LEVEL, Unit.valid_to.is_(None))
            .order_by(Unit.code).limit(1))  # fmt: skip

        db.session.rollback()
        start = time.perf_counter()
        report()  # the first report builds the plan's kept progress (plans/reached.py)
        first_s = time.perf_counter() - start
        report_s, result = timed(report, repeat)

        def after_activity():
            # What a report does after STALE officials had new events since the last one: the
            # trigger marks them; the report recomputes their kept progress first.
            db.session.execute(insert(ProgressStale).from_select(
                ["user_id", "events"],
                select(User.id, literal(1)).order_by(User.id.desc()).limit(STALE)))  # fmt: skip
            db.session.commit()
            return report()

        stale_s, _ = timed(after_activity, repeat)
        window = Window.of(STARTS, AS_OF)
        sqlite = db.engine.dialect.name == "sqlite"
        params = {
            "day": AS_OF.isoformat() if sqlite else AS_OF,
            "start": window.start.strftime(STORED) if sqlite else window.start,
            "end": window.end.strftime(STORED) if sqlite else window.end,
            "quiz": 1, "n_access": 8, "n_lessons": 6,
        }  # fmt: skip
        roots = ", ".join(f"'{code}'" for code in plan.audience_units)
        sql = text(REFERENCE.format(lessons="1,2,3,4,5,6", documents="1,2", roots=roots))

        def reference():
            return db.session.execute(sql, params).all()

        reference_s, rows = timed(reference, repeat)
        codes = {u.id: u.code for u in db.session.scalars(db.select(Unit))}
        expected = {codes[i]: (r, a, t, n) for i, r, a, t, n in rows}
        got = {
            row.code: (row.counts.roster, row.counts.accessed, row.counts.trained,
                       row.counts.never_signed_in)
            for row in result.rows
            if row.counts.roster
        }  # fmt: skip
        same = got == {k: tuple(int(x) for x in v) for k, v in expected.items()}
        trend_s, _ = timed(lambda: trend(result), repeat)

        def commune():
            return official_rows(build(plan, AS_OF, unit_code=commune_code))

        commune_s, (people, _) = timed(commune, repeat)
        province_s = None
        if officials <= PROVINCE_GAPS:
            province_s, _ = timed(lambda: official_rows(result), repeat)
    return {"first": first_s, "stale": stale_s,
            "report": report_s, "reference": reference_s, "same": same, "trend": trend_s,
            "commune": commune_s, "commune_people": len(people), "province": province_s}


def postgres_database() -> tuple[str, str, str]:
    base = make_url(os.environ.get("CCHC_BENCH_DATABASE_URL", DEFAULT_PG))
    name = f"cchc_bench_{os.getpid()}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    uri = base.set(drivername="postgresql+psycopg", database=name)
    return uri.render_as_string(hide_password=False), admin, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officials", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--database", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    set_clock(lambda: NOW)
    lines = []
    for backend in args.database or ["sqlite", "postgresql"]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            admin = name = None
            if backend == "sqlite":
                uri = f"sqlite:///{folder / 'bench.sqlite'}"
            else:
                uri, admin, name = postgres_database()
            try:
                app = make_app(uri, folder)
                t0 = time.perf_counter()
                seconds = load(app, args.officials, args.events)
                load_s = time.perf_counter() - t0
                print(f"{backend}: dữ liệu sinh và nạp trong {load_s:.1f} s")
                lines.append((backend, load_s, seconds.get("access_summary", 0.0),
                              measure(app, args.repeat, args.officials)))  # fmt: skip
                with app.app_context():
                    db.engine.dispose()
            finally:
                if admin:
                    with psycopg.connect(admin, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print()
    print(f"{vi(args.officials)} cán bộ, {vi(args.events)} sự kiện; "
          f"lặp {args.repeat} lần, trung vị")
    print("| database | load (s) | summary built (s) | first report, progress kept (s) | "
          f"report (s) | report after {vi(STALE)} officials' activity (s) | hand-written SQL "
          "over events (s) | ratio | same numbers | weekly trend (s) | commune drill-down (s) "
          "| every official's gaps (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for backend, load_s, migrate_s, m in lines:
        province = f"{m['province']:.3f}" if m["province"] is not None else "—"
        print(f"| {backend} | {load_s:.1f} | {migrate_s:.1f} | {m['first']:.3f} | "
              f"{m['report']:.3f} | {m['stale']:.3f} | "
              f"{m['reference']:.3f} | {m['report'] / m['reference']:.2f} | "
              f"{'yes' if m['same'] else 'NO'} | {m['trend']:.3f} | {m['commune']:.3f} "
              f"({m['commune_people']} people) | {province} |")  # fmt: skip


if __name__ == "__main__":
    main()
