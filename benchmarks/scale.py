"""The pages people wait for, on a national-size database built by `cchc-learn demo scale`.

Each page is requested through the Flask test client (in process, no network), signed in
through the real form as the role that uses it: the compliance report for one province and
for the whole country, the drill-down to one commune, an official's `/me`, the moderators'
queue, the admin's account search by a name typed without diacritics, and the unit tree.
Prints, per page, the median, fastest and slowest of --repeat runs (after one warm-up) and
the number of SQL statements one request makes (counted with an SQLAlchemy event listener),
and the load average before and after:

    cchc-learn demo scale --officials 200000 --events 10000000   # CCHC_SQLALCHEMY_DATABASE_URI
    python benchmarks/scale.py [--database-url postgresql://postgres@127.0.0.1/cchc_scale]
                               [--repeat 5] [--only me] [--label "after 0017"]

The benchmark sets a known password on the three accounts it signs in with (an admin, a
moderator and an official of the first province); it changes nothing else. It refuses a
database that `demo scale` did not build.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, select, update  # noqa: E402

from cchc_learn import create_app  # noqa: E402
from cchc_learn.auth.models import User  # noqa: E402
from cchc_learn.auth.passwords import hash_password  # noqa: E402
from cchc_learn.clock import set_clock  # noqa: E402
from cchc_learn.demo.scale import foreign_data  # noqa: E402
from cchc_learn.demo.scale_activity import EVENTS_UNTIL, MAIN_PLAN  # noqa: E402
from cchc_learn.extensions import db  # noqa: E402
from cchc_learn.org.models import Membership, Unit  # noqa: E402
from cchc_learn.textnorm import fold  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/cchc_scale"
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # the day after the data's last events
PASSWORD = "Mat-khau-do-hieu-nang-2026"
AS_OF = EVENTS_UNTIL.isoformat()


@dataclass
class Page:
    key: str
    title: str
    role: str  # which signed-in client asks
    url: str


def pages(first: str, commune: str, name: str) -> list[Page]:
    report = f"/reports/plans/{MAIN_PLAN}?as_of={AS_OF}"
    return [
        Page("province", f"báo cáo tuân thủ, một tỉnh ({first})", "admin",
             f"{report}&unit={first}"),
        Page("country", "báo cáo tuân thủ, toàn bộ cây đơn vị", "admin", report),
        Page("commune", f"xem chi tiết một xã ({commune})", "admin", f"{report}&unit={commune}"),
        Page("me", "/me của một cán bộ", "official", "/me"),
        Page("queue", "hàng đợi của người giải đáp", "moderator", "/qa/queue"),
        Page("search", f"tìm tài khoản theo tên không dấu (“{name}”)", "admin",
             f"/admin/users?q={name.replace(' ', '+')}"),
        Page("units", "cây đơn vị", "admin", "/admin/units"),
    ]  # fmt: skip


def sign_in(app, username: str):
    client = app.test_client()
    form = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    response = client.post("/auth/login", data={
        "username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""})
    if response.status_code != 302:
        raise SystemExit(f"Đăng nhập {username} không được (mã {response.status_code}).")
    return client


def prepare(app) -> tuple[dict[str, str], str, str, str]:
    """The accounts to sign in with (a known password set), a province, a commune, a name."""
    with app.app_context():
        problem, built = foreign_data(db.session.connection())
        if problem or not built:
            raise SystemExit(problem or "Cơ sở dữ liệu trống: chạy cchc-learn demo scale trước.")
        day = EVENTS_UNTIL
        first = db.session.scalar(select(Unit.code).where(Unit.level == "province")
                                  .order_by(Unit.id).limit(1))  # fmt: skip
        suffix = first.lower()
        commune_id, commune = db.session.execute(
            select(Unit.id, Unit.code).where(Unit.level == "commune", Unit.valid_to.is_(None),
                                             Unit.code.like(f"{first}-%"))
            .order_by(Unit.code).limit(1)).one()  # fmt: skip
        official = db.session.scalar(
            select(User.username).join(Membership, Membership.user_id == User.id)
            .where(Membership.unit_id == commune_id, Membership.valid_from <= day,
                   Membership.valid_to.is_(None), User.active.is_(True),
                   User.username.like("cb%"))
            .order_by(User.id).limit(1))  # fmt: skip
        accounts = {"admin": f"quantri.{suffix}", "moderator": f"giaidap1.{suffix}",
                    "official": official}  # fmt: skip
        db.session.execute(update(User).where(User.username.in_(list(accounts.values())))
                           .values(password_hash=hash_password(PASSWORD),
                                   must_change_password=False))  # fmt: skip
        # A common full name, typed as people type it: no diacritics, lower case.
        full = db.session.execute(
            select(User.full_name, func.count()).where(User.username.like("cb%"))
            .group_by(User.full_name).order_by(func.count().desc()).limit(1)).one()[0]  # fmt: skip
        db.session.commit()
        return accounts, first, commune, fold(full)


def measure(app, page: Page, client, repeat: int) -> dict:
    counter = {"n": 0}

    def count(*_args, **_kw):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        warm = client.get(page.url)
        times, queries = [], []
        for _ in range(repeat):
            counter["n"] = 0
            started = time.perf_counter()
            response = client.get(page.url)
            times.append(time.perf_counter() - started)
            queries.append(counter["n"])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return {"status": response.status_code, "warm_status": warm.status_code,
            "median": statistics.median(times), "min": min(times), "max": max(times),
            "queries": max(queries), "kb": len(response.get_data()) / 1024}  # fmt: skip


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CCHC_SCALE_DATABASE_URL",
                                                                 DEFAULT_URL))  # fmt: skip
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", action="append", help="page keys to measure")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    set_clock(lambda: NOW)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghij",
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "SEARCH_INDEX_DIR": str(Path(tmp) / "index"),
            "UPLOAD_DIR": str(Path(tmp) / "uploads"),
            "RATELIMIT_ENABLED": False,
        })  # fmt: skip
        accounts, first, commune, name = prepare(app)
        with app.app_context():
            officials = db.session.scalar(select(func.count()).select_from(User))
            events = db.session.scalar(select(func.count()).select_from(
                db.metadata.tables["access_event"]))  # fmt: skip
        clients = {role: sign_in(app, username) for role, username in accounts.items()}
        load_before = os.getloadavg()
        rows = []
        for page in pages(first, commune, name):
            if args.only and page.key not in args.only:
                continue
            rows.append((page, measure(app, page, clients[page.role], args.repeat)))
            print(f"  {page.key}: {rows[-1][1]['median'] * 1000:.0f} ms", flush=True)
        load_after = os.getloadavg()
    label = f" — {args.label}" if args.label else ""
    print(f"\n{_vn(officials)} tài khoản, {_vn(events)} sự kiện{label}; trung vị của "
          f"{args.repeat} lần sau một lần khởi động; tải máy {load_before[0]:.1f} → "
          f"{load_after[0]:.1f}")
    print("| page | role | median (ms) | fastest–slowest (ms) | SQL statements | KB | status |")
    print("|---|---|---:|---:|---:|---:|---|")
    for page, m in rows:
        print(f"| {page.title} | {page.role} | {m['median'] * 1000:.0f} | "
              f"{m['min'] * 1000:.0f}–{m['max'] * 1000:.0f} | {m['queries']} | "
              f"{m['kb']:.0f} | {m['status']} |")  # fmt: skip


if __name__ == "__main__":
    main()
