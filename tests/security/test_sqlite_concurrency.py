"""Several worker processes writing to one SQLite file: nothing locked, nothing lost."""

from __future__ import annotations

import multiprocessing
import shutil

from sqlalchemy import select
from sqlite_workers import read_then_write, worker_config

from cchc_learn import create_app
from cchc_learn.auth.models import LoginFailure
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import service as org_service
from cchc_learn.org.models import Unit

WORKERS = 4
ROUNDS = 25


def test_concurrent_read_then_write_transactions_all_land(sqlite_template, tmp_path):
    database = tmp_path / "shared.sqlite"
    shutil.copy(sqlite_template, database)
    app = create_app(worker_config(str(database), str(tmp_path)))
    with app.app_context():
        declare_write()
        org_service.create_unit("TINH", "UBND tỉnh", "province")
        db.session.commit()
    declare_write(False)

    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(WORKERS)
        with ctx.Pool(WORKERS) as pool:
            results = pool.starmap(
                read_then_write,
                [(str(database), str(tmp_path), w, ROUNDS, barrier) for w in range(WORKERS)],
                chunksize=1,
            )

    errors = [e for r in results for e in r["errors"]]
    assert errors == [], errors[0] if errors else ""
    assert not any("database is locked" in e for e in errors)
    failures = {name for r in results for name in r["failures"]}
    units = {code for r in results for code in r["units"]}
    assert len(failures) == len(units) == WORKERS * ROUNDS

    with app.app_context():
        stored_failures = set(db.session.scalars(select(LoginFailure.username)))
        stored_units = set(db.session.scalars(select(Unit.code))) - {"TINH"}
        mode = db.session.execute(db.text("PRAGMA journal_mode")).scalar()
        db.engine.dispose()
    assert stored_failures == failures
    assert stored_units == units
    assert mode == "wal"
