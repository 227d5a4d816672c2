"""How long a bulk account import holds SQLite's write lock, against holding it throughout.

The import checks the file and hashes every generated password with reads only, then writes
in one short transaction (org/importing/service.py). The reference is the same work with all
of it inside the writing transaction, as the import did before (which also flushed each
account on its own, so it held the lock longer still). Prints a table:

    python benchmarks/import_lock.py [--rows 1000,5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from cchc_learn import create_app  # noqa: E402
from cchc_learn.database import declare_write  # noqa: E402
from cchc_learn.extensions import db  # noqa: E402
from cchc_learn.org import service as org_service  # noqa: E402
from cchc_learn.org.importing import service as importing  # noqa: E402

HEADER = "Tên đăng nhập,Họ và tên,Email,Mã đơn vị,Chức danh,Vai trò\n"


def fresh_app(folder: Path):
    app = create_app(
        {
            "SECRET_KEY": "benchmark-secret-key-0123456789-abcdefghij",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SEARCH_INDEX_DIR": str(folder / "index"),
            "UPLOAD_DIR": str(folder / "uploads"),
            "IMPORT_MAX_ROWS": 50_000,
        }
    )
    with app.app_context():
        declare_write()
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        org_service.create_unit("XA", "Xã Mỹ Hòa", "commune")
        db.session.commit()
    declare_write(False)
    return app


def accounts(rows: int) -> bytes:
    lines = (f"canbo{i:05d},Cán bộ {i},,XA,Chuyên viên,\n" for i in range(rows))
    return (HEADER + "".join(lines)).encode()


def measure(rows: int, *, split: bool) -> tuple[float, float]:
    """(seconds the import took, seconds the write lock was held)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = fresh_app(Path(tmp))
        data = accounts(rows)
        with app.app_context():
            start = time.perf_counter()
            if split:
                prepared = importing.prepare_unlocked("accounts", "a.csv", data)
                locked = time.perf_counter()
            else:
                declare_write()
                db.session.execute(db.text("SELECT 1"))  # BEGIN IMMEDIATE: the lock from here
                locked = time.perf_counter()
                prepared = importing.prepare("accounts", "a.csv", data)
            importing.write(prepared, actor=None, source="benchmark")
            db.session.commit()
            end = time.perf_counter()
            declare_write(False)
            db.engine.dispose()
        return end - start, end - locked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,5000")
    args = parser.parse_args()
    print("| accounts | import (s) | write lock held (s) | all under the lock (s) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for rows in (int(r) for r in args.rows.split(",")):
        total, held = measure(rows, split=True)
        _, reference = measure(rows, split=False)
        print(f"| {rows:,} | {total:.2f} | {held:.2f} | {reference:.2f} | {held / reference:.2f} |")


if __name__ == "__main__":
    main()
