"""The compliance report of a generated province against one hand-written SQL query.

A province of about 500 units (departments with offices, communes), N officials (5 % move to
another unit during the plan), M access events over the plan's first eleven months; the plan
requires a module's lessons, two documents and a quiz. The report (`plans.report.build`, every
query it makes: units, links, materials, the aggregate) is timed against one recursive-CTE
query computing the same per-unit numbers, and both results are compared; the report page's
other two parts (the weekly trend, and every official's gaps at province level) are timed too.
Prints a table:

    python benchmarks/compliance.py [--officials 20000] [--events 1000000]
                                    [--database sqlite] [--database postgresql] [--repeat 3]

PostgreSQL is 127.0.0.1:5432 as user postgres (CCHC_BENCH_DATABASE_URL to change); a database
is created for the run and dropped after it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cchc_learn import create_app  # noqa: E402
from cchc_learn.auth.models import User, UserRole  # noqa: E402
from cchc_learn.clock import set_clock  # noqa: E402
from cchc_learn.database import declare_write  # noqa: E402
from cchc_learn.extensions import db  # noqa: E402
from cchc_learn.kb.models import Document  # noqa: E402
from cchc_learn.lessons.models import Lesson, Module  # noqa: E402
from cchc_learn.org.models import Membership, Unit, UnitLink  # noqa: E402
from cchc_learn.plans.counting import Window  # noqa: E402
from cchc_learn.plans.details import official_rows, trend  # noqa: E402
from cchc_learn.plans.models import Plan  # noqa: E402
from cchc_learn.plans.report import build  # noqa: E402
from cchc_learn.quiz.models import Attempt, Quiz  # noqa: E402
from cchc_learn.tracking.models import AccessEvent  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
FOUNDED = date(2025, 7, 1)
STARTS = date(2026, 1, 1)
AS_OF = date(2026, 11, 30)
MOVED = date(2026, 6, 1)
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
STORED = "%Y-%m-%d %H:%M:%S.%f"  # how SQLite keeps a UTC time

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
    SELECT id FROM unit WHERE code = :root
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


def generate(officials: int, events: int, seed: int = 4599) -> dict:
    """Rows for the province, as plain tuples (ids assigned here)."""
    rng = random.Random(seed)
    units = [(1, "AG", "UBND tỉnh", "province", None)]
    for d in range(40):
        units.append((len(units) + 1, f"AG-S{d:02d}", f"Sở {d}", "department", 1))
    for d in range(40):
        for o in range(4):
            units.append((len(units) + 1, f"AG-S{d:02d}-P{o}", f"Phòng {o}", "office", 2 + d))
    for c in range(300):
        units.append((len(units) + 1, f"AG-X{c:03d}", f"Xã {c}", "commune", 1))
    leaves = [u[0] for u in units if u[3] in ("office", "commune")] + list(range(2, 42))
    memberships = []
    for user_id in range(1, officials + 1):
        first = rng.choice(leaves)
        if rng.random() < 0.05:
            second = rng.choice([u for u in leaves if u != first][:50])
            memberships.append((user_id, first, FOUNDED, MOVED - timedelta(days=1)))
            memberships.append((user_id, second, MOVED, None))
        else:
            memberships.append((user_id, first, FOUNDED, None))
    start = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    span = datetime(2026, 11, 30, tzinfo=UTC).timestamp() - start
    required_lessons, other_lessons = list(range(1, 7)), list(range(7, 41))
    required_docs, other_docs = [1, 2], list(range(3, 101))
    rows = []
    diligence = [rng.random() for _ in range(officials + 1)]
    for _ in range(events):
        user = rng.randint(1, officials)
        when = datetime.fromtimestamp(start + rng.random() * span, UTC)
        pick = rng.random()
        if pick < 0.45 * (0.5 + diligence[user]):
            rows.append((user, "lesson", rng.choice(required_lessons), "view", 1, when))
        elif pick < 0.6:
            rows.append((user, "document", rng.choice(required_docs + other_docs), "view", 1,
                         when))  # fmt: skip
        elif pick < 0.7:
            rows.append((user, "lesson", rng.choice(required_lessons), "complete", 1, when))
        else:
            rows.append((user, "lesson", rng.choice(other_lessons), "view", 1, when))
    attempts = [
        (user, rng.random() < 0.8, datetime.fromtimestamp(start + rng.random() * span, UTC))
        for user in rng.sample(range(1, officials + 1), officials // 3)
    ]
    logins = {
        user: datetime.fromtimestamp(start + rng.random() * span, UTC)
        for user in range(1, officials + 1)
        if rng.random() < 0.85
    }
    return {"units": units, "memberships": memberships, "events": rows, "attempts": attempts,
            "logins": logins, "officials": officials}  # fmt: skip


def load(app, data: dict) -> None:
    """Write the province, materials, plan and events."""
    with app.app_context():
        declare_write()
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        s = db.session
        s.execute(insert(Unit), [
            {"id": i, "code": c, "name": n, "level": lv, "parent_id": p, "valid_from": FOUNDED}
            for i, c, n, lv, p in data["units"]
        ])  # fmt: skip
        s.execute(insert(UnitLink), [
            {"unit_id": i, "parent_id": p, "valid_from": FOUNDED} for i, _, _, _, p in data["units"]
        ])  # fmt: skip
        s.execute(insert(User), [
            {"id": u, "username": f"cb{u:06d}", "full_name": f"Cán bộ {u}", "password_hash": "x",
             "search_key": "", "first_login_at": data["logins"].get(u)}
            for u in range(1, data["officials"] + 1)
        ])  # fmt: skip
        s.execute(insert(UserRole), [
            {"user_id": u, "role": "official"} for u in range(1, data["officials"] + 1)
        ])  # fmt: skip
        s.execute(insert(Membership), [
            {"user_id": u, "unit_id": unit, "valid_from": a, "valid_to": b}
            for u, unit, a, b in data["memberships"]
        ])  # fmt: skip
        s.execute(insert(Module), [{"id": 1, "slug": "bat-buoc", "title": "M", "published": True}])
        s.execute(insert(Module), [{"id": 2, "slug": "khac", "title": "K", "published": True}])
        s.execute(insert(Lesson), [
            {"id": i, "module_id": 1 if i <= 6 else 2, "slug": f"bai-{i}", "position": i,
             "title": f"Bài {i}", "published": True}
            for i in range(1, 41)
        ])  # fmt: skip
        s.execute(insert(Document), [
            {"id": i, "slug": f"vb-{i}", "number": f"{i}/QĐ-UBND", "number_key": f"{i}/qd-ubnd",
             "doc_type": "Quyết định", "issuer": "UBND", "issued": FOUNDED, "summary": "S"}
            for i in range(1, 101)
        ])  # fmt: skip
        s.execute(insert(Quiz), [{"id": 1, "slug": "kiem-tra", "title": "Q", "draws": []}])
        s.execute(insert(Attempt), [
            {"quiz_id": 1, "user_id": u, "number": 1, "seed": 1, "status": "submitted",
             "started_at": at, "submitted_at": at, "score": 1.0, "max_score": 1.0, "passed": ok}
            for u, ok, at in data["attempts"]
        ])  # fmt: skip
        s.add(Plan(slug="ke-hoach", title="Kế hoạch", starts=STARTS, ends=date(2026, 12, 31),
                   audience_units=["AG"], audience_levels=[], required_modules=["bat-buoc"],
                   required_lessons=[], required_documents=["1/QĐ-UBND", "2/QĐ-UBND"],
                   quiz_slug="kiem-tra", target_accessed=100, target_trained=85))  # fmt: skip
        s.commit()
        _load_events(data["events"])
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            s.execute(text("ANALYZE"))
            s.commit()
    declare_write(False)


def _load_events(rows: list[tuple]) -> None:
    if db.engine.dialect.name == "postgresql":
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cur, cur.copy(
                "COPY access_event (user_id, object_type, object_id, action, version, at) "
                "FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    table = AccessEvent.__table__
    for i in range(0, len(rows), 50_000):
        db.session.execute(insert(table), [
            {"user_id": u, "object_type": t, "object_id": o, "action": a, "version": v,
             "at": at}
            for u, t, o, a, v, at in rows[i:i + 50_000]
        ])  # fmt: skip
    db.session.commit()


def timed(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        db.session.rollback()
        db.session.expire_all()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(app, repeat: int) -> tuple[float, float, bool, float, float]:
    """(report s, reference s, same numbers, weekly trend s, drill-down to every official s)."""
    with app.app_context():
        plan = db.session.scalar(db.select(Plan))

        def report():
            return build(plan, AS_OF)

        report_s, result = timed(report, repeat)
        window = Window.of(STARTS, AS_OF)
        sqlite = db.engine.dialect.name == "sqlite"
        params = {
            "day": AS_OF.isoformat() if sqlite else AS_OF,
            "start": window.start.strftime(STORED) if sqlite else window.start,
            "end": window.end.strftime(STORED) if sqlite else window.end,
            "root": "AG", "quiz": 1, "n_access": 8, "n_lessons": 6,
        }  # fmt: skip
        sql = text(REFERENCE.format(lessons="1,2,3,4,5,6", documents="1,2"))

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
        people_s, _ = timed(lambda: official_rows(result), repeat)
    return report_s, reference_s, same, trend_s, people_s


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
    started = time.perf_counter()
    data = generate(args.officials, args.events)
    print(f"Tỉnh sinh ngẫu nhiên: {len(data['units'])} đơn vị, {args.officials:,} cán bộ, "
          f"{args.events:,} sự kiện ({time.perf_counter() - started:.1f} s)")  # fmt: skip
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
                load(app, data)
                load_s = time.perf_counter() - t0
                lines.append((backend, load_s, *measure(app, args.repeat)))
                with app.app_context():
                    db.engine.dispose()
            finally:
                if admin:
                    with psycopg.connect(admin, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print()
    print("| database | load (s) | report (s) | hand-written SQL (s) | ratio | same numbers "
          "| weekly trend (s) | every official's gaps (s) |")
    print("|---|---:|---:|---:|---:|---|---:|---:|")
    for backend, load_s, report_s, reference_s, same, trend_s, people_s in lines:
        print(f"| {backend} | {load_s:.1f} | {report_s:.3f} | {reference_s:.3f} | "
              f"{report_s / reference_s:.2f} | {'yes' if same else 'NO'} | {trend_s:.3f} "
              f"| {people_s:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
