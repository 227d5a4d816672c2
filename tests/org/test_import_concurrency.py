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
