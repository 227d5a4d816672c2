"""On SQLite a request holds the one write lock only while its service writes.

Everything before the service (loading the signed-in account, the CSRF check, reading the
form and the unit list) reads without the lock; another process can write meanwhile.
"""

from __future__ import annotations

import sqlite3

import pytest
from flask import Blueprint
from helpers import login, make_unit, make_user, page_text, post
from sqlalchemy import event, select

from cchc_learn.access import public
from cchc_learn.auth.models import User
from cchc_learn.database import LateWrite, transactional
from cchc_learn.extensions import db
from cchc_learn.org.models import Unit


def _lock_is_free(path: str) -> bool:
    """Whether another connection could take the write lock at this moment."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_post_reads_without_the_write_lock_and_writes_with_it(app, client):
    make_user(app, "quantri", roles=["admin"])
    make_unit(app, "AG", "UBND tỉnh An Giang", "province")
    login(client, app, "quantri")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    seen: list[tuple[str, bool]] = []

    def probe(_conn, _cursor, statement, *_args) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in {"SELECT", "INSERT", "UPDATE"}:
            seen.append((verb, _lock_is_free(path)))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", probe)
    try:
        response = post(client, app, "/admin/units/new", {
            "code": "AG-SNV", "name": "Sở Nội vụ", "level": "department", "parent": "AG",
            "valid_from": "2025-07-01",
        }, follow_redirects=True)  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", probe)
    assert "Đã tạo đơn vị Sở Nội vụ." in page_text(response)
    writes = [i for i, (verb, _) in enumerate(seen) if verb != "SELECT"]
    assert writes, seen
    # The account, the session and the parent list were read with the lock free …
    assert seen[0] == ("SELECT", True)
    assert any(free for verb, free in seen[: writes[0]] if verb == "SELECT")
    # … and the unit and its audit entry were written holding it.
    assert [free for verb, free in seen if verb != "SELECT"] == [False] * len(writes)
    # The page shown after the redirect reads without it again.
    assert seen[-1] == ("SELECT", True)
    with app.app_context():
        assert db.session.scalar(select(Unit.name).where(Unit.code == "AG-SNV")) == "Sở Nội vụ"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_write_after_reads_outside_a_service_is_refused_in_tests(app, client):
    """Such a write could meet "database is locked" at once under load; the tests refuse it."""
    bp = Blueprint("late_write_probe", __name__)

    @transactional
    def rename(user_id: int, name: str) -> None:
        db.session.get(User, user_id).full_name = name

    @bp.post("/_probe/late/<int:user_id>")
    @public
    def late(user_id: int):
        db.session.get(User, user_id).full_name = "Đổi không qua dịch vụ"
        db.session.commit()
        return "ok"

    @bp.post("/_probe/service/<int:user_id>")
    @public
    def in_service(user_id: int):
        db.session.get(User, user_id)  # a read first, as every page does
        rename(user_id, "Đổi qua dịch vụ")
        return "ok"

    app.config["WTF_CSRF_ENABLED"] = False
    app.register_blueprint(bp)
    user = make_user(app, "canbo01", roles=["official"])
    uid = user.id if hasattr(user, "id") else user
    with pytest.raises(LateWrite, match="write after reads without the write lock"):
        client.post(f"/_probe/late/{uid}")
    assert client.post(f"/_probe/service/{uid}").status_code == 200
    with app.app_context():
        assert db.session.get(User, uid).full_name == "Đổi qua dịch vụ"
