"""A province-sized officials file imported in one go (SQLite only: it is slow by nature)."""

from __future__ import annotations

import pytest
from import_samples import accounts_file, counts, prepare, via_service


@pytest.fixture(params=["sqlite"])
def backend(request) -> str:
    """Ten thousand argon2 hashes take minutes; one database is enough to prove the path."""
    return request.param


@pytest.mark.slow
def test_ten_thousand_officials_import_in_one_go_and_reimport_changes_nothing(app):
    prepare(app)
    rows = [
        [f"cb{i:05d}", f"Cán bộ số {i}", "", "SNV" if i % 2 else "XA-MYHOA", "Chuyên viên", ""]
        for i in range(10_000)
    ]
    data = accounts_file(rows)
    before = counts(app)
    outcome = via_service(app, "accounts", "lon.csv", data)
    assert outcome.ok, outcome.text[:500]
    after = counts(app)
    assert after["User"] - before["User"] == 10_000
    assert after["Membership"] - before["Membership"] == 10_000
    again = via_service(app, "accounts", "lon.csv", data)
    assert again.text == "0 created, 10000 unchanged"
    assert counts(app) == after
