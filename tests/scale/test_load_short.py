"""The load test, short: 50 people under gunicorn on SQLite and PostgreSQL lose nothing.

`benchmarks/load.py` runs as it does for the figures (a fresh database from quickstart, its own
accounts, gunicorn, the SMTP sink, the stub record store, `cchc-learn tick`), for a few
seconds; both databases run at once to keep the test short. It checks every acknowledged write
against the database and every mail and statement at the sink and the store; this test reads
its tables and asserts no 5xx and nothing lost (never a timing).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
LAST = re.compile(r"^load: (\d+) requests, (\d+) 5xx, (\d+) lost, p95 (\d+) ms$", re.M)
LEDGER = re.compile(r"^(lesson views|document views|lesson completions|quiz submissions"
                    r"|questions asked|answers posted) +(\d+) +(\d+) +(\d+)$", re.M)
DELIVERED = re.compile(r"^(mails|xAPI statements) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", re.M)


def databases() -> list[str]:
    """The databases to run on: those of CCHC_TEST_BACKENDS, PostgreSQL if it answers."""
    backends = os.environ.get("CCHC_TEST_BACKENDS", "sqlite,postgresql")
    chosen = ["sqlite"] if "sqlite" in backends else []
    if "postgresql" in backends:
        base = os.environ.get("CCHC_TEST_DATABASE_URL", DEFAULT_PG)
        url = make_url(base)
        try:
            dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
            psycopg.connect(dsn, connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL is required in CI but unreachable at {base}: {exc}")
        else:
            name = f"cchc_load_test_{os.getpid()}"
            chosen.append(url.set(drivername="postgresql", database=name)
                          .render_as_string(hide_password=False))
    return chosen


def test_fifty_people_get_no_server_error_and_lose_nothing():
    chosen = databases()
    if not chosen:
        pytest.skip("no database to run on (CCHC_TEST_BACKENDS, PostgreSQL unreachable)")
    runs = {}
    for spec in chosen:
        command = [sys.executable, str(REPO / "benchmarks" / "load.py"), "--database", spec,
                   "--users", "50", "--duration", "12", "--ramp", "3", "--workers", "2",
                   "--tick-every", "5", "--drain", "60", "--cheap-passwords"]
        runs[spec] = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True)
    for spec, process in runs.items():
        output, _ = process.communicate(timeout=900)
        where = f"{spec}:\n{output[-4000:]}"
        last = LAST.findall(output)
        assert last, where
        requests, errors, lost, _p95 = map(int, last[-1])
        assert requests >= 150, where
        assert (errors, lost) == (0, 0), where
        ledger = {kind: tuple(map(int, rest)) for kind, *rest in LEDGER.findall(output)}
        # The people did write, and the database holds each acknowledged write.
        assert ledger["lesson views"][0] > 0 and ledger["lesson completions"][0] > 0, where
        assert all(acked == found and missing == 0
                   for acked, found, missing in ledger.values()), where
        delivered = {kind: tuple(map(int, rest)) for kind, *rest in DELIVERED.findall(output)}
        assert delivered["xAPI statements"][0] > 0, where
        for rows, once, twice, missing, stray in delivered.values():
            assert (once, twice, missing, stray) == (rows, 0, 0, 0), where
        assert process.returncode == 0, where
