"""The access-event table partitioned by month against the plain table, on PostgreSQL.

Copies the events of a database built by `cchc-learn demo scale` into two tables of a schema
of their own (`partition_bench`, dropped at the end unless --keep): a plain one shaped like
`access_event` (same columns, primary key and indexes) and one partitioned by month on `at`
(declarative partitioning, one partition per month, the same indexes declared on the parent).
The application's tables are read, never changed. Then times, median of --repeat runs, each
change rolled back so the next run starts from the same tables:

- inserting a day of events (the busiest day's number of rows, dated the day after the data);
- counting one month's events, and the officials who had any that month;
- the summary-building query (migration 0013's, as `demo scale` runs it) over the plan's year;
- archiving a year (copying it out and deleting it, against detaching its twelve partitions)
  and dropping a year (deleting it, against dropping its twelve partitions).

    python benchmarks/partition.py [--database-url postgresql://postgres@127.0.0.1/cchc_scale]
                                   [--repeat 5] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date

import psycopg

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/cchc_scale"
SCHEMA = "partition_bench"
FIRST_MONTH, LAST_MONTH = date(2025, 1, 1), date(2027, 12, 1)
YEAR_OUT = 2025  # the year archived or dropped
COLUMNS = "id, user_id, object_type, object_id, action, version, at"
INDEXES = [  # as the application's access_event has them
    ("user_object", "user_id, object_type, object_id"),
    ("object", "object_type, object_id"),
    ("at", "at"),
    ("object_at_user", "object_type, object_id, at, user_id"),
]
SUMMARY = """
SELECT user_id, object_type, object_id,
       CAST(EXTRACT(YEAR FROM at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS INTEGER) AS year,
       MIN(CASE WHEN action IN ('view', 'download') THEN at END),
       MAX(CASE WHEN action IN ('view', 'download') THEN at END),
       MIN(CASE WHEN action = 'complete' THEN at END),
       MAX(CASE WHEN action = 'complete' THEN at END)
FROM {table}
WHERE action IN ('view', 'download', 'complete')
  AND at >= '2025-12-31 17:00+00' AND at < '2026-12-31 17:00+00'
GROUP BY 1, 2, 3, 4
"""


def months() -> list[date]:
    out, day = [], FIRST_MONTH
    while day <= LAST_MONTH:
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def _next(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def create(conn: psycopg.Connection) -> dict[str, float]:
    """Make the two copies; seconds each took."""
    seconds = {}
    conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    conn.execute(f"CREATE SCHEMA {SCHEMA}")
    conn.execute("SET maintenance_work_mem = '256MB'")
    shape = ("(id integer NOT NULL, user_id integer NOT NULL, object_type varchar(20) NOT NULL, "
             "object_id integer NOT NULL, action varchar(20) NOT NULL, version integer, "
             "at timestamptz NOT NULL")  # fmt: skip
    started = time.perf_counter()
    conn.execute(f"CREATE TABLE {SCHEMA}.plain {shape}, PRIMARY KEY (id))")
    conn.execute(f"INSERT INTO {SCHEMA}.plain SELECT {COLUMNS} FROM public.access_event")
    for name, cols in INDEXES:
        conn.execute(f"CREATE INDEX plain_{name} ON {SCHEMA}.plain ({cols})")
    seconds["plain"] = time.perf_counter() - started
    started = time.perf_counter()
    # The partition key must be part of the primary key of a partitioned table.
    conn.execute(f"CREATE TABLE {SCHEMA}.monthly {shape}, PRIMARY KEY (id, at)) "
                 "PARTITION BY RANGE (at)")  # fmt: skip
    for month in months():
        # Months in Vietnam's time: a partition holds what a report of that month reads.
        conn.execute(
            f"CREATE TABLE {SCHEMA}.m{month:%Y_%m} PARTITION OF {SCHEMA}.monthly "
            f"FOR VALUES FROM ('{month} 00:00+07') TO ('{_next(month)} 00:00+07')"
        )
    conn.execute(f"INSERT INTO {SCHEMA}.monthly SELECT {COLUMNS} FROM public.access_event")
    for name, cols in INDEXES:
        conn.execute(f"CREATE INDEX monthly_{name} ON {SCHEMA}.monthly ({cols})")
    seconds["monthly"] = time.perf_counter() - started
    conn.execute(f"ANALYZE {SCHEMA}.plain")
    conn.execute(f"ANALYZE {SCHEMA}.monthly")
    return seconds


def timed(conn: psycopg.Connection, repeat: int, statements: list[str]) -> float:
    """Median seconds of running statements in a transaction that is then rolled back."""
    times = []
    for _ in range(repeat):
        with conn.transaction(force_rollback=True):
            started = time.perf_counter()
            for sql in statements:
                conn.execute(sql)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def busiest_day(conn: psycopg.Connection) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM public.access_event "
        "GROUP BY (at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date ORDER BY 1 DESC LIMIT 1"
    ).fetchone()[0]


def day_insert(table: str, rows: int) -> str:
    """A day of events after the data (2 December 2026), ids after the last."""
    return (
        f"INSERT INTO {SCHEMA}.{table} ({COLUMNS}) "
        f"SELECT 100000000 + g, 1 + (g * 7919) % 200000, 'lesson', 1 + g % 36, "
        f"CASE WHEN g % 5 = 0 THEN 'complete' ELSE 'view' END, 1, "
        f"TIMESTAMPTZ '2026-12-02 00:30+00' + (g % 36000) * INTERVAL '1 second' "
        f"FROM generate_series(1, {rows}) g"
    )


def year_out(table: str) -> tuple[list[str], list[str]]:
    """(archive, drop) statements for YEAR_OUT."""
    start, end = f"'{YEAR_OUT}-01-01 00:00+07'", f"'{YEAR_OUT + 1}-01-01 00:00+07'"
    if table == "plain":
        where = f"at >= {start} AND at < {end}"
        archive = [f"CREATE TABLE {SCHEMA}.archive_{YEAR_OUT} AS "
                   f"SELECT * FROM {SCHEMA}.plain WHERE {where}",
                   f"DELETE FROM {SCHEMA}.plain WHERE {where}"]  # fmt: skip
        return archive, [f"DELETE FROM {SCHEMA}.plain WHERE {where}"]
    parts = [f"{SCHEMA}.m{m:%Y_%m}" for m in months() if m.year == YEAR_OUT]
    archive = [f"ALTER TABLE {SCHEMA}.monthly DETACH PARTITION {p}" for p in parts]
    return archive, [f"DROP TABLE {p}" for p in parts]


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("CCHC_SCALE_PG_URL",
                                                                 DEFAULT_URL))  # fmt: skip
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the copies for another run")
    args = parser.parse_args()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        events = conn.execute("SELECT COUNT(*) FROM public.access_event").fetchone()[0]
        if not events:
            sys.exit("access_event trống: chạy cchc-learn demo scale trước.")
        kept = conn.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                            "AND table_name = 'monthly'", (SCHEMA,)).fetchone()  # fmt: skip
        if kept and args.keep:
            made = {}
            print("Dùng lại bản sao đã có.")
        else:
            print(f"Sao chép {_vn(events)} sự kiện vào hai bảng…", flush=True)
            made = create(conn)
        load = os.getloadavg()[0]
        day_rows = busiest_day(conn)
        month = "at >= '2026-10-01 00:00+07' AND at < '2026-11-01 00:00+07'"
        results = []
        try:
            for table in ("plain", "monthly"):
                archive, drop = year_out(table)
                results.append((table, {
                    "day": timed(conn, args.repeat, [day_insert(table, day_rows)]),
                    "count": timed(conn, args.repeat, [
                        f"SELECT COUNT(*) FROM {SCHEMA}.{table} WHERE {month}"]),
                    "users": timed(conn, args.repeat, [
                        f"SELECT COUNT(DISTINCT user_id) FROM {SCHEMA}.{table} WHERE {month}"]),
                    "summary": timed(conn, args.repeat, [
                        f"SELECT COUNT(*) FROM ({SUMMARY.format(table=f'{SCHEMA}.{table}')}) s"]),
                    "archive": timed(conn, max(1, args.repeat // 2), archive),
                    "drop": timed(conn, max(1, args.repeat // 2), drop),
                }))  # fmt: skip
                print(f"  {table}: xong", flush=True)
            size = {t: conn.execute(f"SELECT pg_size_pretty(pg_total_relation_size("
                                    f"'{SCHEMA}.{t}'))").fetchone()[0]
                    for t in ("plain",)}  # fmt: skip
        finally:
            if not args.keep:
                conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    print(f"\n{_vn(events)} sự kiện; một ngày = {_vn(day_rows)} dòng; trung vị của "
          f"{args.repeat} lần (lưu trữ, xóa năm: {max(1, args.repeat // 2)}); tải máy "
          f"{load:.1f} → {os.getloadavg()[0]:.1f}; bảng thường {size['plain']}")  # fmt: skip
    if made:
        print(f"Tạo bản sao: bảng thường {made['plain']:.0f} s, chia theo tháng "
              f"{made['monthly']:.0f} s")  # fmt: skip
    print("| table | insert a day (s) | count a month (s) | officials in a month (s) "
          f"| summary of {YEAR_OUT + 1} (s) | archive {YEAR_OUT} (s) | drop {YEAR_OUT} (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for table, m in results:
        print(f"| {table} | {m['day']:.3f} | {m['count']:.3f} | {m['users']:.3f} | "
              f"{m['summary']:.2f} | {m['archive']:.2f} | {m['drop']:.3f} |")  # fmt: skip
    plain, monthly = results[0][1], results[1][1]
    print("| monthly / plain | " + " | ".join(
        f"{monthly[k] / plain[k]:.2f}" for k in ("day", "count", "users", "summary", "archive",
                                                 "drop")) + " |")  # fmt: skip


if __name__ == "__main__":
    main()
