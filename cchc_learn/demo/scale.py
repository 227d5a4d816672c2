"""`cchc-learn demo scale`: a national-size synthetic dataset, for benchmarks and load tests.

`build(officials, events)` draws a country (`scale_world`: provinces, departments, offices,
districts and communes with the 2025 mergers; officials and their memberships), what they did
(`scale_activity`: plans, classes, Q&A, quiz attempts, access events over the year) and writes
it all in one transaction (`scale_load`: COPY on PostgreSQL, executemany on SQLite), then
builds the access summary from the events with one query. The same seed gives the same data.

It runs on an empty database, or on one that holds only what an earlier run made (every
account's e-mail is in `scale_world.EMAIL_DOMAIN`; that data is replaced). Anything else —
accounts made by people, content synced from files — makes it refuse before writing anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, text

from ..auth.models import user_search_key
from ..auth.passwords import generate_password, hash_password
from ..database import declare_write, transactional
from ..extensions import db
from . import scale_load
from .scale_activity import activity, events
from .scale_world import EMAIL_DOMAIN, World, generate

SEED = 4599
MAX_OFFICIALS = 5_000_000
MAX_EVENTS = 2_000_000_000
UNUSABLE_HASH = "!"  # no password matches it: officials get one with `users reset-password`
COUNTED = ("unit", "unit_link", "user", "membership", "plan", "training_class", "class_session",
           "class_participant", "class_attendance", "qa_question", "qa_post", "quiz_attempt",
           "access_event", "access_summary")  # fmt: skip
OWN_DATA = ("unit", "module", "document", "quiz", "plan", "qa_question", "access_event",
            "training_class", "quiz_bank")  # fmt: skip
LABELS = {"unit": "đơn vị", "module": "chuyên đề", "document": "văn bản", "quiz": "bài kiểm tra",
          "plan": "kế hoạch", "qa_question": "câu hỏi", "access_event": "sự kiện truy cập",
          "training_class": "lớp bồi dưỡng", "quiz_bank": "ngân hàng câu hỏi"}  # fmt: skip


class ScaleError(ValueError):
    """A run that cannot be made (bad numbers, other data); the message is for users."""


@dataclass
class ScaleResult:
    """What a run wrote: rows per table, the staff accounts and their one-time password."""

    counts: dict[str, int]
    staff: list[str]
    password: str
    replaced: bool
    seconds: dict[str, float] = field(default_factory=dict)


def parse_count(value: object, what: str, low: int, high: int) -> int:
    """Read a whole number given on the command line (1.000.000 allowed), within [low, high]."""
    given = str(value if value is not None else "")
    digits = given.strip().replace("_", "").replace(".", "")
    if not digits.isascii() or not digits.isdigit():
        shown = "".join(c if c.isprintable() else "?" for c in given[:20])
        raise ScaleError(f"{what}: “{shown}” không phải số nguyên không âm.")
    number = int(digits[:13])
    if not low <= number <= high or len(digits) > 13:
        raise ScaleError(f"{what}: {digits[:13]}{'…' if len(digits) > 13 else ''} nằm ngoài "
                         f"khoảng cho phép ({_vn(low)} – {_vn(high)}).")  # fmt: skip
    return number


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def foreign_data(conn: Connection) -> tuple[str | None, bool]:
    """(why the database cannot be used, or None; whether it holds an earlier run's data)."""
    users = db.metadata.tables["user"]
    own = users.c.email.like(f"%@{EMAIL_DOMAIN}")
    others = conn.execute(
        select(users.c.username).where(~own | users.c.email.is_(None)).order_by(users.c.id)
        .limit(3)
    ).scalars().all()  # fmt: skip
    if others:
        total = conn.execute(
            select(func.count()).where(~own | users.c.email.is_(None)).select_from(users)
        ).scalar_one()
        return (f"Cơ sở dữ liệu đã có {total} tài khoản không do `demo scale` tạo "
                f"(ví dụ: {', '.join(others)}). Lệnh này chỉ chạy trên cơ sở dữ liệu trống hoặc "
                "do chính nó tạo; hãy tạo một cơ sở dữ liệu riêng cho dữ liệu mẫu. "
                "Không có gì được ghi."), False  # fmt: skip
    mine = conn.execute(select(func.count()).select_from(users)).scalar_one() > 0
    if mine:
        return None, True
    found = []
    for name in OWN_DATA:
        n = conn.execute(select(func.count()).select_from(db.metadata.tables[name])).scalar_one()
        if n:
            found.append(f"{n} {LABELS[name]}")
    if found:
        return (f"Cơ sở dữ liệu chưa có tài khoản nhưng đã có dữ liệu ({', '.join(found)}). "
                "Lệnh này chỉ chạy trên cơ sở dữ liệu trống hoặc do chính nó tạo. "
                "Không có gì được ghi."), False  # fmt: skip
    return None, False


def _unit_rows(world: World, now: datetime) -> tuple[list[dict], list[dict]]:
    units, links = [], []
    for u in world.units:
        units.append({"id": u.id, "code": u.code, "name": u.name, "level": u.level,
                      "parent_id": u.parent_id, "valid_from": u.valid_from,
                      "valid_to": u.valid_to, "created_at": now})  # fmt: skip
        for parent, start, end in u.links:
            links.append({"id": len(links) + 1, "unit_id": u.id, "parent_id": parent,
                          "valid_from": start, "valid_to": end})  # fmt: skip
    return units, links


def _moment(day) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def _people_rows(world: World, staff_hash: str) -> dict[str, list[dict]]:
    users, roles, memberships = [], [], []
    for p in world.people:
        staff = "official" not in p.roles
        users.append({
            "id": p.id, "username": p.username, "full_name": p.full_name, "email": p.email,
            "position": p.position, "search_key": user_search_key(p.username, p.full_name, p.email),
            "password_hash": staff_hash if staff else UNUSABLE_HASH,
            "active": p.deactivated_on is None, "must_change_password": False,
            "session_version": 1, "totp_enabled": False,
            "created_at": _moment(p.memberships[0][1]),
            "first_login_at": _moment(p.first_login) if p.first_login else None,
            "last_login_at": _moment(p.first_login) if p.first_login else None,
            "deactivated_at": _moment(p.deactivated_on) if p.deactivated_on else None,
        })  # fmt: skip
        roles.extend({"user_id": p.id, "role": r} for r in p.roles)
        for unit_id, start, end in p.memberships:
            memberships.append({"id": len(memberships) + 1, "user_id": p.id, "unit_id": unit_id,
                                "valid_from": start, "valid_to": end})  # fmt: skip
    return {"user": users, "user_role": roles, "membership": memberships}


ORDER = ("unit", "unit_link", "user", "user_role", "membership", "module", "lesson", "document",
         "quiz", "plan", "training_class", "class_session", "class_participant",
         "class_attendance", "quiz_attempt", "qa_question", "qa_question_topic", "qa_post",
         "qa_event")  # fmt: skip


@transactional
def build(
    officials: int,
    n_events: int,
    seed: int = SEED,
    *,
    summary: str = "bulk",
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Generate and write the dataset (all or nothing); summary "bulk" or "trigger"."""
    say = progress or (lambda _message: None)
    officials = parse_count(officials, "Số cán bộ (--officials)", 10, MAX_OFFICIALS)
    n_events = parse_count(n_events, "Số sự kiện (--events)", 0, MAX_EVENTS)
    seed = parse_count(seed, "Hạt giống (--seed)", 0, 2**31 - 1)
    if summary not in ("bulk", "trigger"):
        raise ValueError(f"summary must be 'bulk' or 'trigger', not {summary!r}")
    declare_write()
    conn = db.session.connection()
    problem, replaced = foreign_data(conn)
    if problem:
        raise ScaleError(problem)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if replaced:
        say("· Xóa dữ liệu mẫu của lần chạy trước…")
        scale_load.clear(conn)
    now = datetime.now(UTC)
    say(f"· Sinh đơn vị và {officials:,} cán bộ…".replace(",", "."))
    world = generate(officials, seed)
    password = generate_password()
    tables: dict[str, list[dict]] = {}
    tables["unit"], tables["unit_link"] = _unit_rows(world, now)
    tables.update(_people_rows(world, hash_password(password)))
    acts = activity(world, seed, now)
    tables.update(acts.tables)
    seconds["generate"] = time.perf_counter() - started
    for name in ORDER:
        t0 = time.perf_counter()
        scale_load.write(conn, name, tables.get(name, []))
        seconds[name] = time.perf_counter() - t0
    say(f"· Ghi {n_events:,} sự kiện truy cập…".replace(",", "."))
    step = max(1_000_000, n_events // 10)
    marks = {"next": step}

    def events_done(n: int) -> None:
        if n >= marks["next"] and n < n_events:
            say(f"  {n:,} / {n_events:,}".replace(",", "."))
            marks["next"] += step

    t0 = time.perf_counter()
    stream = events(world, acts.diligence, n_events, seed)
    if summary == "bulk":
        with scale_load.IndexesOff(conn, "access_event"), scale_load.TriggerOff(conn):
            scale_load.write_events(conn, stream, progress=events_done)
            say("· Dựng lại chỉ mục của access_event…")
        seconds["access_event"] = time.perf_counter() - t0
        say("· Tổng hợp bảng access_summary từ các sự kiện…")
        t0 = time.perf_counter()
        with scale_load.IndexesOff(conn, "access_summary"):
            scale_load.build_summary(conn)
        seconds["access_summary"] = time.perf_counter() - t0
    else:
        scale_load.write_events(conn, stream, progress=events_done)
        seconds["access_event"] = time.perf_counter() - t0
    scale_load.reset_sequences(conn, [*ORDER, "access_event"])
    say("· Cập nhật thống kê của cơ sở dữ liệu (ANALYZE)…")
    conn.execute(text("ANALYZE"))
    counts = {
        name: conn.execute(select(func.count()).select_from(db.metadata.tables[name])).scalar_one()
        for name in COUNTED
    }
    seconds["total"] = time.perf_counter() - started
    staff = [p.username for p in world.people if "official" not in p.roles]
    return ScaleResult(counts, staff, password, replaced, seconds)
