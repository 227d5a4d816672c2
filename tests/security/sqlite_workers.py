"""Work done in separate OS processes by the SQLite concurrency test (importable by spawn)."""

from __future__ import annotations

import os
import traceback


def worker_config(database: str, tmp: str) -> dict:
    """Settings for an application in a worker process."""
    return {
        "TESTING": True,
        "RAISE_UNEXPECTED": True,
        "SECRET_KEY": "concurrency-test-secret-key-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SEARCH_INDEX_DIR": os.path.join(tmp, "index"),
        "UPLOAD_DIR": os.path.join(tmp, "uploads"),
        "CONTENT_DIR": os.path.join(tmp, "content"),
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 64,
        "LOGIN_ACCOUNT_MAX_FAILURES": 1_000_000,
        "LOGIN_IP_MAX_FAILURES": 1_000_000,
    }


def read_then_write(database: str, tmp: str, worker: int, rounds: int, barrier) -> dict:
    """Run transactions that read before they write; return what was acknowledged."""
    from cchc_learn import create_app
    from cchc_learn.auth import service as auth_service
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.org import service as org_service

    app = create_app(worker_config(database, tmp))
    done: dict = {"failures": [], "units": [], "errors": []}
    barrier.wait()
    for i in range(rounds):
        name = f"may{worker}-lan{i}"
        code = f"XA-{worker}-{i}"
        try:
            with app.app_context():
                declare_write()
                try:
                    # Counts earlier failures (a read), then records this one (a write).
                    auth_service.authenticate(name, "sai-mat-khau", f"10.0.{worker}.1")
                except auth_service.InvalidCredentials:
                    db.session.commit()
                    done["failures"].append(name)
                # Looks the parent and the code up (reads), then inserts the unit and audit.
                parent = org_service.get_by_code("TINH")
                org_service.create_unit(code, f"Xã {code}", "commune", parent)
                db.session.commit()
                done["units"].append(code)
        except Exception:  # noqa: BLE001 - reported to the test, which fails on any
            done["errors"].append(traceback.format_exc(limit=3))
    with app.app_context():
        db.engine.dispose()
    return done
