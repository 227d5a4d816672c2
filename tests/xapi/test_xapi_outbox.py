"""The outbox against a stub learning record store: retry, no duplicates, refused statements."""

from __future__ import annotations

import base64
import json

from helpers import login, make_user, page_text
from sqlalchemy import select
from xapi_world import at, build

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.tracking import events
from cchc_learn.xapi.models import XapiCursor, XapiStatement


def tick(runner) -> str:
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    return result.output


def rows(app) -> list[XapiStatement]:
    with app.app_context():
        found = list(db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)))
        db.session.expunge_all()
        return found


def test_retry_no_duplicates_and_a_refused_statement_on_the_admin_page(
        app, runner, client, clock, start_store, tmp_path):
    ids = build(app, refused_lesson=True)
    store = start_store()
    out = tick(runner)  # the store answers 503: everything waits
    assert "thu thập 12 câu lệnh, đã gửi 0" in out
    assert len(store.posts) == 1 and store.kept == {}
    waiting = rows(app)
    assert len(waiting) == 12 and all(r.attempts == 1 and r.sent_at is None for r in waiting)
    assert all("503" in r.last_error for r in waiting)

    assert "đã gửi 0" in tick(runner)  # within the back-off: nothing is tried
    assert len(store.posts) == 1

    clock.advance(minutes=2)
    out = tick(runner)  # the batch is refused for one statement: sent one by one
    assert "đã gửi 11, bị từ chối 1" in out
    assert sorted(store.kept.values()) == [1] * 11
    headers = store.posts[-1][0]
    assert headers["x-experience-api-version"] == "1.0.3"
    assert headers["authorization"] == "Basic " + base64.b64encode(
        "cchc:mật-khẩu".encode()).decode()
    refused = [r for r in rows(app) if r.rejected_at is not None]
    assert len(refused) == 1 and "400" in refused[0].last_error
    assert json.loads(refused[0].body)["object"]["id"].endswith("/modules/m1/tu-choi")

    # The same statements as the export's, never sent again; a new event goes out alone.
    target = tmp_path / "s.jsonl"
    assert runner.invoke(args=["xapi", "export", "-o", str(target)]).exit_code == 0
    exported = {json.loads(line)["id"] for line in target.read_text().splitlines()}
    assert set(store.kept) | {refused[0].statement_id} == exported
    posts = len(store.posts)
    clock.advance(hours=3)
    assert "thu thập 0 câu lệnh, đã gửi 0" in tick(runner)
    assert len(store.posts) == posts
    with app.app_context():
        declare_write()
        events.record(ids["official"], events.document_view(ids["doc"], 1), at=at(7))
        db.session.commit()
    assert "thu thập 1 câu lệnh, đã gửi 1" in tick(runner)
    assert len(store.kept) == 12 and set(store.kept.values()) == {1}
    with app.app_context():
        positions = {c.source: c.position for c in db.session.scalars(select(XapiCursor))}
    assert positions["access"] > 0  # settled after SETTLE: later scans start after it

    make_user(app, "quantri", roles=("admin",))
    login(client, app, "quantri")
    page = client.get("/admin/xapi")
    assert page.status_code == 200
    text = page_text(page)
    assert refused[0].statement_id in text and "HTTP 400" in text
    assert "Bị kho từ chối 1" in text and "Đang chờ gửi 0" in text


def test_a_store_down_for_a_day_loses_nothing(app, runner, clock, start_store):
    build(app)
    for _ in range(12):  # nothing listens: every tick fails and backs off, up to an hour
        tick(runner)
        clock.advance(hours=2)
    waiting = rows(app)
    assert len(waiting) == 11
    assert all(r.sent_at is None and r.rejected_at is None for r in waiting)
    assert max(r.attempts for r in waiting) >= 10
    store = start_store(fail_first=False)
    assert "đã gửi 11" in tick(runner)
    assert len(store.kept) == 11 and set(store.kept.values()) == {1}


def test_without_a_store_nothing_is_collected(app, runner):
    app.config["XAPI_ENDPOINT"] = None
    build(app)
    assert "chưa cấu hình kho xAPI" in tick(runner)
    assert rows(app) == []


def test_the_admin_page_is_for_admins(app, client):
    make_user(app, "hocvien2")
    login(client, app, "hocvien2")
    assert client.get("/admin/xapi").status_code == 403
