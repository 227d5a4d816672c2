"""Load test: virtual officials follow a campaign's journeys; every acknowledged write is counted.

The tool prepares a fresh database (`cchc-learn quickstart`: the content, the demo province and
its accounts, the index) and adds the accounts the run signs in with (officials spread over
the demo units, some moderators and admins, passwords that need no change). It starts gunicorn
on 127.0.0.1, an SMTP sink and a stub learning record store, and runs `cchc-learn tick` every
few seconds. Virtual people (`load_clients.py`) sign in through the form and follow journeys
until `--duration` seconds or `--requests` requests are over.

Afterwards it checks the ledger — every write the server acknowledged — against the database
(access events, completions, quiz answers and submissions, questions, answers), lets the tick
deliver what is left, and checks that the sink and the store got every mail and statement
exactly once. It prints p50/p95 and throughput per step, what each check found, and last:

    load: <requests> requests, <n> 5xx, <m> lost, p95 <ms> ms

`--fault NAME` injects one fault during each run (`load_faults.py`): kill-worker,
index-deleted, index-corrupted, smtp-down, lrs-down, tick-killed.

    python benchmarks/load.py [--database sqlite] [--database postgresql://postgres@127.0.0.1:5432/cchc_load]
        [--users 50 100 200] [--duration 60] [--requests N] [--fault NAME] [--workers 4]

A PostgreSQL URL names a database the tool creates (dropping one of that name first) and drops
at the end. The exit status is 1 when a run had a 5xx or lost anything.
"""  # noqa: E501

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import load_faults as faults  # noqa: E402
from load_clients import Ledger, Person, Site, Stats, percentiles  # noqa: E402

PASSWORD = "Tai-thu-mat-khau-2026"
SECRET = "load-test-secret-key-" + "x" * 32
SENDER = "CCHC Learn <no-reply@sonoivu.example.gov.vn>"
BIG = 10**9


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the database and the accounts --------------------------------------------------------------


@dataclass
class Target:
    """A database prepared for the runs, with the settings every process gets."""

    label: str
    uri: str
    work: Path
    config: dict
    pg_admin: str | None = None
    pg_name: str | None = None
    env: dict[str, str] = field(default_factory=dict)


def make_target(spec: str, work: Path, ports: dict[str, int], cheap: bool,
                keep: bool = False) -> Target:
    """Create the database a spec names ("sqlite" or a PostgreSQL URL) and its settings.

    With keep, a database prepared by an earlier run with --keep is used again.
    """
    work.mkdir(parents=True, exist_ok=True)
    reuse = keep and (work / "prepared").exists()
    pg_admin = pg_name = None
    if spec == "sqlite":
        uri, label = f"sqlite:///{work / 'load.sqlite'}", "sqlite"
        if not reuse:
            for old in work.glob("load.sqlite*"):
                old.unlink()
    else:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(spec)
        pg_name = url.database or "cchc_load"
        pg_admin = url.set(drivername="postgresql", database="postgres").render_as_string(
            hide_password=False)
        if not reuse:
            with psycopg.connect(pg_admin, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{pg_name}"')
        uri = url.set(drivername="postgresql+psycopg", database=pg_name).render_as_string(
            hide_password=False)
        label = "postgresql"
    config = {
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SEARCH_INDEX_DIR": str(work / "search-index"),
        "UPLOAD_DIR": str(work / "uploads"),
        # Every virtual person comes from 127.0.0.1: a limit per address would stop them.
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "SITE_URL": f"http://127.0.0.1:{ports['app']}",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": ports["smtp"],
        "MAIL_DEFAULT_SENDER": SENDER,
        "MAIL_TIMEOUT": 5,
        "XAPI_ENDPOINT": f"http://127.0.0.1:{ports['lrs']}/xapi",
        "XAPI_TIMEOUT": 5,
    }
    if cheap:
        config.update(PASSWORD_HASH_TIME_COST=1, PASSWORD_HASH_MEMORY_KIB=64)
    target = Target(label, uri, work, config, pg_admin, pg_name)
    target.env = {**os.environ, **{f"CCHC_{k}": str(v) for k, v in config.items()},
                  "PYTHONPATH": str(ROOT)}
    return target


def drop_target(target: Target) -> None:
    if target.pg_name:
        import psycopg

        with psycopg.connect(target.pg_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target.pg_name}" WITH (FORCE)')


def quickstart(target: Target) -> None:
    """`cchc-learn quickstart --no-serve` into the target (once with --keep)."""
    marker = target.work / "prepared"
    if marker.exists():
        return
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "from cchc_learn.cli import main; main()", "quickstart",
         "--no-serve"],
        env=target.env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    print(f"quickstart: {time.monotonic() - started:.0f} s", flush=True)
    marker.touch()


def create_app(target: Target):
    from cchc_learn import create_app as factory

    return factory(dict(target.config))


def make_accounts(app, users: int) -> dict[str, list[str]]:
    """Officials, moderators and admins for `users` people (the ones missing are created)."""
    from sqlalchemy import select

    from cchc_learn.auth import service as auth_service
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.org import accounts
    from cchc_learn.org.models import Unit

    admins, moderators = max(1, users // 50), max(2, users // 25)
    people = {
        "admin": [f"tai_qt{i:02d}" for i in range(1, admins + 1)],
        "moderator": [f"tai_gd{i:02d}" for i in range(1, moderators + 1)],
        "official": [f"tai{i:04d}" for i in range(1, users - admins - moderators + 1)],
    }
    started, made = time.monotonic(), 0
    with app.app_context():
        units = list(db.session.scalars(
            select(Unit.code).where(Unit.level.in_(("department", "commune"))).order_by(Unit.code)))
        for role, names in people.items():
            for n, name in enumerate(names):
                if auth_service.get_by_username(name) is not None:
                    continue
                declare_write()
                accounts.create_account(
                    name, f"Người dùng thử tải {name}", unit_code=units[n % len(units)],
                    roles=[role], password=PASSWORD, email=f"{name}@angiang.gov.vn.example")
                declare_write(False)
                made += 1
    if made:
        print(f"accounts: {made} created in {time.monotonic() - started:.0f} s", flush=True)
    return people


def site_facts(app, port: int) -> Site:
    """The lessons, documents, quizzes and plan the virtual people go to."""
    from sqlalchemy import select

    from cchc_learn.extensions import db
    from cchc_learn.kb.models import Document
    from cchc_learn.lessons.models import Lesson, Module
    from cchc_learn.plans.models import Plan
    from cchc_learn.quiz.models import Quiz

    with app.app_context():
        lessons = [f"{m}/{lesson}" for m, lesson in db.session.execute(
            select(Module.slug, Lesson.slug).join(Module, Lesson.module_id == Module.id)
            .where(Lesson.published, ~Lesson.archived, Module.published, ~Module.archived)
            .order_by(Lesson.id))]
        documents = list(db.session.scalars(
            select(Document.slug).where(~Document.archived).order_by(Document.id)))
        quizzes = list(db.session.scalars(
            select(Quiz.slug).where(~Quiz.archived).order_by(Quiz.id)))
        plan = db.session.scalar(select(Plan.slug).order_by(Plan.id))
        db.session.remove()
    return Site(port, lessons, documents, quizzes, plan, PASSWORD)


# --- the server ---------------------------------------------------------------------------------


GUNICORN_HOOK = """
from pathlib import Path


def post_worker_init(worker):
    # The worker has loaded the app and is about to accept: say so.
    (Path({folder!r}) / f"ready-{{worker.pid}}").touch()
"""


def ready_workers(folder: Path, master: int) -> int:
    """How many of the master's workers have loaded the app."""
    return sum((folder / f"ready-{pid}").exists() for pid in faults.worker_pids(master))


def serve(target: Target, port: int, workers: int, threads: int) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port; returns once every worker has loaded the app."""
    folder = target.work / "gunicorn"
    folder.mkdir(exist_ok=True)
    hook = folder / "hook.py"
    hook.write_text(GUNICORN_HOOK.format(folder=str(folder)), encoding="utf-8")
    log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(hook), "-w", str(workers), "-k", "gthread",
         "--threads", str(threads), "--keep-alive", "30", "--timeout", "120",
         "--graceful-timeout", "20", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "wsgi:app"],
        env=target.env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    log.close()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if ready_workers(folder, process.pid) >= workers:
            return process
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start on port {port}")


# --- checking the ledger ------------------------------------------------------------------------


def last_event_id(app) -> int:
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.tracking.models import AccessEvent

    with app.app_context():
        found = db.session.scalar(select(func.max(AccessEvent.id))) or 0
        db.session.remove()
        return found


def _chunks(values: list, size: int = 500):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def check_ledger(app, ledger: Ledger, after_event: int) -> tuple[list[tuple], int]:
    """Each kind of acknowledged write: (kind, acknowledged, found, lost); and the lost total."""
    from sqlalchemy import func, select

    from cchc_learn.auth.models import User
    from cchc_learn.extensions import db
    from cchc_learn.kb.models import Document
    from cchc_learn.lessons.models import Lesson, Module
    from cchc_learn.qa.models import Post, Question
    from cchc_learn.quiz.models import Attempt, AttemptItem
    from cchc_learn.tracking.models import AccessEvent

    rows = []
    with app.app_context():
        s = db.session
        names = ({k[0] for k in ledger.views} | {k[0] for k in ledger.completions}
                 | set(ledger.submits.values()) | {v[0] for v in ledger.autosaves.values()}
                 | {v[0] for v in ledger.questions.values()} | {a[1] for a in ledger.answers})
        user = {n: i for i, n in s.execute(
            select(User.id, User.username).where(User.username.in_(sorted(names) or [""])))}
        lesson = {f"{m}/{x}": i for i, m, x in s.execute(
            select(Lesson.id, Module.slug, Lesson.slug)
            .join(Module, Lesson.module_id == Module.id))}
        document = dict((slug, i) for i, slug in s.execute(select(Document.id, Document.slug)))
        ids = {"lesson": lesson, "document": document}
        e = AccessEvent
        counted = Counter({(u, t, o, a): n for u, t, o, a, n in s.execute(
            select(e.user_id, e.object_type, e.object_id, e.action, func.count())
            .where(e.id > after_event).group_by(e.user_id, e.object_type, e.object_id, e.action))})
        for kind in ("lesson", "document"):
            acked = found = 0
            for (name, k, key), n in ledger.views.items():
                if k == kind:
                    acked += n
                    found += min(n, counted[(user[name], kind, ids[kind][key], "view")])
            rows.append((f"{kind} views", acked, found, acked - found))
        completed = {(u, o) for u, o in s.execute(
            select(e.user_id, e.object_id)
            .where(e.object_type == "lesson", e.action == "complete"))}
        found = sum((user[n], lesson[key]) in completed for n, key in ledger.completions)
        rows.append(("lesson completions", len(ledger.completions), found,
                     len(ledger.completions) - found))

        attempts, answered = {}, set()
        for chunk in _chunks(sorted(set(ledger.submits) | set(ledger.autosaves))):
            attempts.update({a.id: a for a in s.execute(
                select(Attempt.id, Attempt.user_id, Attempt.status, Attempt.submitted_at,
                       Attempt.score).where(Attempt.id.in_(chunk)))})
            answered.update(s.execute(
                select(AttemptItem.attempt_id, AttemptItem.position)
                .where(AttemptItem.attempt_id.in_(chunk), AttemptItem.response.is_not(None))))
        found = sum(1 for a, (name, positions) in ledger.autosaves.items()
                    if a in attempts and attempts[a].user_id == user[name]
                    and all((a, p) in answered for p in positions))
        rows.append(("quiz answers autosaved", len(ledger.autosaves), found,
                     len(ledger.autosaves) - found))
        found = sum(1 for a, name in ledger.submits.items()
                    if a in attempts and attempts[a].user_id == user[name]
                    and attempts[a].status == "submitted" and attempts[a].submitted_at is not None
                    and attempts[a].score is not None)
        rows.append(("quiz submissions", len(ledger.submits), found,
                     len(ledger.submits) - found))

        asked = {}
        for chunk in _chunks(sorted(ledger.questions)):
            asked.update({q: (u, t) for q, u, t in s.execute(
                select(Question.id, Question.asker_id, Question.title)
                .where(Question.id.in_(chunk)))})
        found = sum(1 for q, (name, title) in ledger.questions.items()
                    if asked.get(q) == (user[name], title))
        rows.append(("questions asked", len(ledger.questions), found,
                     len(ledger.questions) - found))

        posts = set()
        for chunk in _chunks(sorted({a[0] for a in ledger.answers})):
            for q, author, body in s.execute(
                    select(Post.question_id, Post.author_id, Post.body_md)
                    .where(Post.kind == "answer", Post.question_id.in_(chunk))):
                marker = body.rsplit("Mã trả lời ", 1)[-1].rstrip(")")
                posts.add((q, author, marker))
        found = sum((q, user[name], marker) in posts for q, name, marker in ledger.answers)
        rows.append(("answers posted", len(ledger.answers), found, len(ledger.answers) - found))
        s.remove()
    return rows, sum(r[3] for r in rows)


# --- delivery of mails and statements -----------------------------------------------------------


def undelivered(app) -> dict[str, object]:
    """What the outboxes still hold: counts, and when the last of it becomes due."""
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.notify import sending
    from cchc_learn.notify.models import OutboxMail
    from cchc_learn.xapi import outbox, sources
    from cchc_learn.xapi.models import XapiStatement

    m, x = OutboxMail, XapiStatement
    with app.app_context():
        s = db.session
        mails = s.execute(select(func.count(), func.max(m.next_try_at), func.max(m.claimed_at))
                          .where(m.sent_at.is_(None))).one()
        statements = s.execute(
            select(func.count(), func.max(x.next_try_at), func.max(x.claimed_at))
            .where(x.sent_at.is_(None), x.rejected_at.is_(None))).one()
        uncollected = sum(len(sources.uncollected(src, 0, BIG)) for src in sources.SOURCES)
        s.remove()
    due = [t for t in (mails[1], statements[1]) if t is not None]
    due += [t + lease for t, lease in ((mails[2], sending.LEASE), (statements[2], outbox.LEASE))
            if t is not None]
    return {"mails": mails[0], "statements": statements[0], "uncollected": uncollected,
            "due": max(due) if due else None}


def run_tick(env: dict[str, str]) -> None:
    subprocess.run(faults.tick_command(), env=env, cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drain(app, target: Target, seconds: float) -> list[str]:
    """Tick until the outboxes are empty: in real time while something is due, then later.

    What waits for a back-off or for the lease of a killed tick is sent by a tick run in this
    process with the clock moved to when it is due, as cron would run it then.
    """
    from cchc_learn.clock import set_clock

    notes = []
    deadline = time.monotonic() + seconds
    ticks = 0
    left = undelivered(app)
    while (left["mails"] or left["statements"] or left["uncollected"]) and \
            time.monotonic() < deadline:
        now = datetime.now(UTC)
        if left["due"] is not None and left["due"] > now + timedelta(seconds=5) and \
                not left["uncollected"]:
            break  # the rest waits for its back-off or lease: see below
        run_tick(target.env)
        ticks += 1
        left = undelivered(app)
    notes.append(f"{ticks} ticks after the run")
    for _ in range(3):
        if not (left["mails"] or left["statements"] or left["uncollected"]):
            break
        due = left["due"] or datetime.now(UTC)
        shift = max(due - datetime.now(UTC), timedelta()) + timedelta(seconds=2)
        notes.append(f"{left['mails']} mails and {left['statements']} statements waited for "
                     f"a back-off or a lease: tick run with the clock {shift.total_seconds():.0f}"
                     " s ahead")
        set_clock(lambda shift=shift: datetime.now(UTC) + shift)
        try:
            result = app.test_cli_runner().invoke(args=["tick"])
            if result.exit_code:
                notes.append(f"that tick failed: {result.output.strip()[-300:]}")
        finally:
            set_clock(None)
        left = undelivered(app)
    return notes


def outbox_tops(app) -> tuple[int, int]:
    """The newest mail and statement ids: rows up to them were sent before this invocation."""
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.notify.models import OutboxMail
    from cchc_learn.xapi.models import XapiStatement

    with app.app_context():
        tops = (db.session.scalar(select(func.max(OutboxMail.id))) or 0,
                db.session.scalar(select(func.max(XapiStatement.id))) or 0)
        db.session.remove()
    return tops


def check_delivery(app, sink: faults.MailSink, store: faults.RecordStore,
                   tops: tuple[int, int]) -> tuple[list, int, int]:
    """Every mail and statement received once: rows (what, rows, once, twice+, missing)."""
    from sqlalchemy import select

    from cchc_learn.extensions import db
    from cchc_learn.notify import sending
    from cchc_learn.notify.models import OutboxMail
    from cchc_learn.xapi.models import XapiStatement

    with app.app_context():
        domain = sending._domain()
        mails = [sending.message_id(i, at, domain) for i, at in db.session.execute(
            select(OutboxMail.id, OutboxMail.created_at).where(OutboxMail.id > tops[0]))]
        statements = list(db.session.scalars(
            select(XapiStatement.statement_id)
            .where(XapiStatement.rejected_at.is_(None), XapiStatement.id > tops[1])))
        db.session.remove()
    rows = []
    for what, expected, received in (("mails", mails, sink.received),
                                     ("xAPI statements", statements, store.received)):
        once = sum(1 for i in expected if received[i] == 1)
        twice = sum(1 for i in expected if received[i] > 1)
        missing = sum(1 for i in expected if received[i] == 0)
        stray = sum(n for i, n in received.items() if i not in set(expected))
        rows.append((what, len(expected), once, twice, missing, stray))
    return rows, sum(r[4] for r in rows), sum(r[3] for r in rows)


# --- one run ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    requests: int
    errors: int
    lost: int
    p95: float
    twice: int


def print_steps(stats: Stats, elapsed: float) -> None:
    print(f"\n{'step':24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} "
          f"{'4xx':>5} {'5xx':>5} {'no answer':>9}")
    for step in sorted(stats.samples, key=lambda k: -len(stats.samples[k])):
        samples = stats.samples[step]
        p50, p95 = percentiles(samples)
        c = stats.status[step]
        print(f"{step:24} {len(samples):>8} {p50:>8.1f} {p95:>8.1f} {len(samples) / elapsed:>7.1f} "
              f"{c['4xx']:>5} {c['5xx']:>5} {c['none']:>9}")
    p50, p95 = percentiles(stats.all_samples())
    print(f"{'all':24} {stats.total():>8} {p50:>8.1f} {p95:>8.1f} "
          f"{stats.total() / elapsed:>7.1f} {stats.total('4xx'):>5} {stats.total('5xx'):>5} "
          f"{stats.total('none'):>9}")


def search_recovered(site: Site, username: str, stats: Stats, timeout: float) -> float | None:
    """Seconds until a search answers with results and no degraded notice again."""
    from load_clients import DEGRADED, Browser

    started = time.monotonic()
    browser = Browser(site, stats)
    person = Person(username, "official", site, stats, Ledger(), 0, 0, 1)
    person.browser = browser
    person.sign_in()
    while time.monotonic() - started < timeout:
        answer = browser.get("search (recovery)", "/search?q=m%E1%BB%99t+c%E1%BB%ADa")
        if answer is not None and answer.status == 200 and DEGRADED not in answer.text \
                and "/kb/" in answer.text:
            browser.close()
            return time.monotonic() - started
        time.sleep(1)
    browser.close()
    return None


def run(target: Target, app, people: dict[str, list[str]], users: int, args, fault: str | None,
        sink: faults.MailSink, store: faults.RecordStore, tops: tuple[int, int]) -> Outcome:
    """One run of `users` people with the fault, then every check; prints as it goes."""
    admins = people["admin"][:max(1, users // 50)]
    moderators = people["moderator"][:max(2, users // 25)]
    officials = people["official"][:users - len(admins) - len(moderators)]
    port = int(target.config["SITE_URL"].rsplit(":", 1)[1])
    site = site_facts(app, port)
    after_event = last_event_id(app)
    print(f"\n== {target.label}, {users} users ({len(officials)} officials, {len(moderators)} "
          f"moderators, {len(admins)} admins), fault: {fault or 'none'} ==", flush=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    server = serve(target, port, args.workers, args.threads)
    ticker = faults.Ticker(target.env, args.tick_every, kill=fault == "tick-killed")
    stop = threading.Event()
    stats = Stats(args.requests, stop)
    ledger = Ledger()
    crowd = [Person(name, role, site, stats, ledger, args.think, args.ramp, seed)
             for seed, (name, role) in enumerate(
                 [(n, "admin") for n in admins] + [(n, "moderator") for n in moderators]
                 + [(n, "official") for n in officials])]
    notes: list[str] = []
    loads = []
    try:
        ticker.start()
        began = time.monotonic()
        for person in crowd:
            person.start()
        # The duration counts from when everyone has signed in (signing in is measured too).
        for person in crowd:
            person.arrived.wait(timeout=max(1.0, began + 300 - time.monotonic()))
        started = time.monotonic()
        print(f"signed in: {sum(p.signed_in for p in crowd)} of {len(crowd)} in "
              f"{started - began:.0f} s", flush=True)
        plan = {0.3: "start", 0.7: "end"}
        for share, what in plan.items():
            if stop.wait(max(0.0, started + args.duration * share - time.monotonic())):
                break
            loads.append(os.getloadavg()[0])
            notes += inject(fault, what, server, target, sink, store, stats)
        stop.wait(max(0.0, started + args.duration - time.monotonic()))
        stop.set()
        for person in crowd:
            person.join(timeout=90)
        elapsed = time.monotonic() - began
        loads.append(os.getloadavg()[0])
        ticker.stop()
        if fault in ("smtp-down",) and sink.controller is None:
            sink.start()
        store.down = False
        print_steps(stats, elapsed)
        print(f"\nload average during the run: {min(loads):.2f}–{max(loads):.2f} (1-minute, "
              f"{os.cpu_count()} cores); {len(crowd)} people, think time {args.think:g} s, "
              f"{args.workers} workers × {args.threads} threads; ticks: {ticker.runs} ran, "
              f"{ticker.failed} failed, {ticker.killed} killed")
        for note in notes:
            print(f"fault: {note}")
        if fault in ("index-deleted", "index-corrupted"):
            searches = stats.samples.get("search", [])
            print(f"fault: searches during the run: {len(searches)}, answered degraded: "
                  f"{stats.degraded}, 5xx: {stats.status['search']['5xx']}")
            took = search_recovered(site, officials[0], Stats(None, threading.Event()), 180)
            print("fault: search recovered (results, no notice) "
                  + (f"{took:.1f} s after the run" if took is not None else "NOT within 180 s"))
            if took is None:
                notes.append("not recovered")
        if fault == "kill-worker":
            folder, deadline = target.work / "gunicorn", time.monotonic() + 60
            while ready_workers(folder, server.pid) < args.workers and \
                    time.monotonic() < deadline:
                time.sleep(0.5)
            print(f"fault: gunicorn has {ready_workers(folder, server.pid)} workers serving "
                  f"again (asked for {args.workers}); requests with no answer: "
                  f"{stats.total('none')} (not acknowledged, so not counted as lost)")
    finally:
        stop.set()
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    for line, n in server_errors(target).most_common(8):
        print(f"server error: {n} × {line}")
    rows, lost = check_ledger(app, ledger, after_event)
    print(f"\n{'acknowledged write':24} {'acked':>8} {'in db':>8} {'lost':>6}")
    for kind, acked, found, missing in rows:
        print(f"{kind:24} {acked:>8} {found:>8} {missing:>6}")
    for note in drain(app, target, args.drain):
        print(f"delivery: {note}")
    delivered, missing, twice = check_delivery(app, sink, store, tops)
    print(f"\n{'delivered':24} {'rows':>8} {'once':>8} {'twice+':>7} {'missing':>8} "
          f"{'unknown':>8}")
    for what, n, once, more, miss, stray in delivered:
        print(f"{what:24} {n:>8} {once:>8} {more:>7} {miss:>8} {stray:>8}")
    if fault == "lrs-down":
        print(f"fault: the store answered 503 to {store.refused} batches while down; "
              f"statements that failed at least once: {failed_statements(app)}")
    if fault == "smtp-down":
        print("fault: mails that failed at least once before the sink came back: "
              f"{failed_mails(app)}")
    errors = stats.total("5xx")
    p95 = percentiles(stats.all_samples())[1]
    lost += missing
    if "not recovered" in notes:
        lost += 1
    print(f"load: {stats.total()} requests, {errors} 5xx, {lost} lost, p95 {p95:.0f} ms",
          flush=True)
    return Outcome(stats.total(), errors, lost, p95, twice)


def server_errors(target: Target) -> Counter:
    """The exceptions the server logged during the run, by their last traceback line."""
    try:
        lines = (target.work / "gunicorn" / "server.log").read_text("utf-8", "replace")
    except OSError:
        return Counter()
    found: Counter = Counter()
    inside = False
    for line in lines.splitlines():
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line.startswith((" ", "\t", "The above", "During")):
            found[line[:160]] += 1
            inside = False
    return found


def failed_statements(app) -> int:
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.xapi.models import XapiStatement

    with app.app_context():
        found = db.session.scalar(
            select(func.count()).where(XapiStatement.attempts > 0)) or 0
        db.session.remove()
        return found


def failed_mails(app) -> int:
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.notify.models import OutboxMail

    with app.app_context():
        found = db.session.scalar(select(func.count()).where(OutboxMail.attempts > 0)) or 0
        db.session.remove()
        return found


def inject(fault: str | None, moment: str, server, target: Target, sink, store,
           stats: Stats) -> list[str]:
    """Start (moment "start", 30 % into the run) or end (70 %) the fault."""
    if fault is None:
        return []
    at = f"at {time.strftime('%H:%M:%S')}"
    index_dir = Path(target.config["SEARCH_INDEX_DIR"])
    if moment == "start":
        if fault == "kill-worker":
            return [f"{faults.kill_worker(server.pid)} {at}"]
        if fault == "index-deleted":
            return [f"{faults.delete_index(index_dir)} {at}"]
        if fault == "index-corrupted":
            return [f"{faults.corrupt_index(index_dir)} {at}"]
        if fault in ("smtp-down", "lrs-down"):
            if fault == "smtp-down":
                sink.stop()
            else:
                store.down = True
            # One tick surely runs into the outage, however slowly the loop's ticks start.
            run_tick(target.env)
            what = "SMTP sink stopped" if fault == "smtp-down" else "record store answering 503"
            return [f"{what} {at}; a tick ran while it was down"]
        if fault == "tick-killed":
            return ["tick killed at random moments through the whole run"]
    if moment == "end":
        if fault == "smtp-down":
            sink.start()
            return [f"SMTP sink back {at}"]
        if fault == "lrs-down":
            store.down = False
            return [f"record store back {at}"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", action="append",
                        help="'sqlite' (default) or a PostgreSQL URL; may be given twice")
    parser.add_argument("--users", type=int, nargs="+", default=[50])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--requests", type=int, help="stop a run after this many requests")
    parser.add_argument("--fault", choices=faults.FAULTS, action="append",
                        help="inject this fault; given several times, one run each")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a person waits between journeys")
    parser.add_argument("--ramp", type=float, default=10.0,
                        help="seconds over which people arrive")
    parser.add_argument("--tick-every", type=float, default=10.0)
    parser.add_argument("--drain", type=float, default=120.0,
                        help="seconds of real-time ticks after a run before moving the clock")
    parser.add_argument("--cheap-passwords", action="store_true",
                        help="hash the accounts' passwords with argon2id's smallest cost")
    parser.add_argument("--keep", type=Path,
                        help="work folder to keep, and its databases to use again next time")
    args = parser.parse_args(argv)

    bad = 0
    with tempfile.TemporaryDirectory() as temp:
        for spec in args.database or ["sqlite"]:
            ports = {"app": free_port(), "smtp": free_port(), "lrs": 0}
            store = faults.RecordStore(0)
            ports["lrs"] = store.port
            sink = faults.MailSink(ports["smtp"])
            sink.start()
            work = (args.keep or Path(temp)) / ("sqlite" if spec == "sqlite" else "postgresql")
            target = make_target(spec, work, ports, args.cheap_passwords, bool(args.keep))
            try:
                fresh = not (work / "prepared").exists()
                quickstart(target)
                app = create_app(target)
                tops = (0, 0) if fresh else outbox_tops(app)
                people = make_accounts(app, max(args.users))
                for users in args.users:
                    for fault in args.fault or [None]:
                        outcome = run(target, app, people, users, args, fault, sink, store,
                                      tops)
                        bad += bool(outcome.errors or outcome.lost)
                with app.app_context():
                    from cchc_learn.extensions import db

                    db.engine.dispose()
            finally:
                sink.stop()
                store.close()
                if not args.keep:
                    drop_target(target)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
