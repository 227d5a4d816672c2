"""Two imports of the same file at once: the accounts exist once, nothing is half written."""

from __future__ import annotations

import threading

from import_samples import accounts_file, counts, prepare, via_service


def test_simultaneous_imports_of_one_file_create_each_account_once(app):
    prepare(app)
    before = counts(app)
    data = accounts_file()
    start = threading.Barrier(2)
    outcomes = []

    def run() -> None:
        start.wait()
        outcomes.append(via_service(app, "accounts", "can-bo.csv", data))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    texts = sorted(o.text for o in outcomes)
    assert "3 created, 0 unchanged" in texts
    other = next(t for t in texts if t != "3 created, 0 unchanged")
    # SQLite serialises the writers, so the second sees the accounts; PostgreSQL lets both
    # plan, and the second is stopped by the unique username and rolled back whole.
    assert other == "0 created, 3 unchanged" or "vừa thay đổi trong lúc nhập" in other
    after = counts(app)
    assert after["User"] - before["User"] == 3
    assert after["Membership"] - before["Membership"] == 3
    assert after["AuditEntry"] - before["AuditEntry"] == 7


def test_a_large_import_on_sqlite_leaves_other_writers_working(sqlite_template, tmp_path):
    """Checking and hashing run before the write lock is taken; the write itself is short.

    Before, 3,000 accounts held SQLite's only write lock for about 7 s on a quiet machine
    (much longer on a busy one), so sign-ins made meanwhile waited out the busy timeout and
    failed with "database is locked"; now the write takes about 1 s. The service's own busy
    timeout is used, so the test checks what officials would see, not how fast this machine is.
    """
    import shutil

    from helpers import make_unit, page_text, post

    from cchc_learn import create_app
    from cchc_learn.auth.models import LoginFailure, User
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.org import importing

    database = tmp_path / "shared.sqlite"
    shutil.copy(sqlite_template, database)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "import-lock-test-secret-key-0123456789abcdef",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "CONTENT_DIR": str(tmp_path / "content"),
            "LOGIN_IP_MAX_FAILURES": 1_000_000,
            "RATELIMIT_ENABLED": False,
            # Generated passwords are hashed at their service cost (about 2.5 ms each here).
            "PASSWORD_HASH_TIME_COST": None,
            "PASSWORD_HASH_MEMORY_KIB": 4096,
        }
    )
    make_unit(app, "TINH", "Tỉnh An Giang", "province")
    rows = [[f"canbo{i:05d}", f"Cán bộ {i}", "", "TINH", "Chuyên viên", ""] for i in range(3000)]
    data = accounts_file(rows)
    done = threading.Event()
    imported = []

    def run_import() -> None:
        try:
            with app.app_context():
                declare_write()
                imported.append(len(importing.run("accounts", "lon.csv", data, actor=None).created))
        finally:
            done.set()

    answers: list[tuple[int, str]] = []

    def sign_in_meanwhile() -> None:
        client = app.test_client()
        i = 0
        while not done.is_set() and i < 2000:
            response = post(client, app, "/auth/login", {"username": f"x{i}", "password": "sai"})
            answers.append((response.status_code, page_text(response)[:80]))
            i += 1

    importer = threading.Thread(target=run_import)
    visitor = threading.Thread(target=sign_in_meanwhile)
    importer.start()
    visitor.start()
    importer.join(timeout=300)
    visitor.join(timeout=300)
    assert imported == [3000]
    assert answers and [a for a in answers if a[0] != 401] == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 3000
        failures = db.session.scalar(db.select(db.func.count()).select_from(LoginFailure))
    assert failures == len(answers)  # every acknowledged write landed
