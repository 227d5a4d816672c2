"""/metrics: who may read it, what the text holds, and that its numbers follow the database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from helpers import login, make_user, page_text
from metrics_support import TOKEN, parse, requests_of, scrape, sibling_module, value
from sqlalchemy import func, select, text

from cchc_learn import create_app, metrics
from cchc_learn.database import declare_write, transactional
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.notify.models import OutboxMail
from cchc_learn.notify.sending import MAX_ATTEMPTS
from cchc_learn.search import indexer
from cchc_learn.search.models import log_change
from cchc_learn.tracking import events
from cchc_learn.tracking.models import AccessEvent
from cchc_learn.xapi.models import XapiStatement

tracking_content = sibling_module("tracking/tracking_content.py")
quizapp = sibling_module("quiz/quizapp_support.py")


@pytest.fixture
def app(app):
    app.config["METRICS_TOKEN"] = TOKEN
    return app


def _refusal_looks_like_a_missing_page(client, **kw) -> None:
    refused = client.get("/metrics", **kw)
    missing = client.get("/khong-co-trang-nay", **kw)
    assert refused.status_code == missing.status_code == 404
    assert page_text(refused) == page_text(missing)
    assert "cchc_" not in refused.get_data(as_text=True)
    assert "WWW-Authenticate" not in refused.headers


# --- who may read it ------------------------------------------------------------------------


def test_anonymous_officials_and_wrong_tokens_get_the_missing_page(app, client):
    _refusal_looks_like_a_missing_page(client)
    for header in [
        f"Bearer {TOKEN[:-1]}",  # one character short
        f"Bearer {TOKEN}x",  # one too many
        f"Bearer {TOKEN.upper()}",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer ",
        "Bearer \x00" + TOKEN,
        "Bearer " + "đ" * 40,
    ]:
        _refusal_looks_like_a_missing_page(client, headers={"Authorization": header})

    make_user(app, "hocvien")
    make_user(app, "giaidap", roles=("moderator", "trainer", "official"))
    for username in ("hocvien", "giaidap"):
        signed = app.test_client()
        assert login(signed, app, username).status_code == 302
        _refusal_looks_like_a_missing_page(signed)


def test_without_a_token_setting_no_bearer_is_accepted(app, client):
    app.config["METRICS_TOKEN"] = None
    _refusal_looks_like_a_missing_page(client, headers={"Authorization": "Bearer "})
    _refusal_looks_like_a_missing_page(client, headers={"Authorization": "Bearer None"})


def test_the_token_and_a_signed_in_admin_may_read_it(app, client):
    assert "cchc_mail_outbox_messages" in {name for name, _ in scrape(client)}
    spaced = client.get("/metrics", headers={"Authorization": f"bearer   {TOKEN} "})
    assert spaced.status_code == 200
    make_user(app, "quantri", roles=("admin",))
    admin = app.test_client()
    login(admin, app, "quantri")
    response = admin.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert ("cchc_quiz_attempts_open", ()) in parse(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "token",
    ["ngan-qua", "a" * 31, "a" * 20 + " " + "b" * 20, "mật-khẩu-" + "x" * 30, "a" * 40 + "\n"],
)
def test_an_unfit_token_setting_stops_the_start_with_a_vietnamese_message(app, token):
    with pytest.raises(metrics.InsecureMetricsToken) as refused:
        create_app({**app.config, "METRICS_TOKEN": token})
    assert "CCHC_METRICS_TOKEN không dùng được" in str(refused.value)
    assert "ít nhất 32 ký tự" in str(refused.value)


def test_a_token_from_the_environment_is_used_as_text(app, monkeypatch):
    monkeypatch.setenv("CCHC_METRICS_TOKEN", "1" * 40)  # JSON reads it as a number
    sibling = create_app({k: v for k, v in app.config.items() if k != "METRICS_TOKEN"})
    assert sibling.config["METRICS_TOKEN"] == "1" * 40
    assert scrape(sibling.test_client(), token="1" * 40)
    with sibling.app_context():
        db.session.remove()
        db.engine.dispose()


# --- requests -------------------------------------------------------------------------------


def test_requests_are_counted_by_endpoint_method_and_status_class_never_by_url(app, client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/auth/login").status_code == 200
    assert client.get("/kb/999999999999").status_code in (302, 404)
    assert client.get("/tim-khong-thay-abc123xyz").status_code == 404
    assert client.open("/auth/login", method="BREW").status_code == 405
    assert client.get("/healthz").status_code == 200
    after = scrape(client)

    assert requests_of(after, "auth.login") - requests_of(before, "auth.login") == 3
    assert requests_of(after, "home.healthz") - requests_of(before, "home.healthz") == 1
    assert requests_of(after, "unmatched", status="4xx") - requests_of(
        before, "unmatched", status="4xx") == 1  # fmt: skip
    assert requests_of(after, "unmatched", method="other", status="4xx") - requests_of(
        before, "unmatched", method="other", status="4xx") == 1  # fmt: skip
    # The histogram's buckets add up to its count, and a URL never becomes a label.
    login_buckets = [
        v for (name, labels), v in after.items()
        if name == "cchc_http_request_duration_seconds_bucket"
        and ("endpoint", "auth.login") in labels and ("status_class", "2xx") in labels
    ]
    assert max(login_buckets) == requests_of(after, "auth.login")
    labels = {label for (_, pairs) in after for _, label in pairs}
    assert not any("abc123xyz" in label or "999999999999" in label for label in labels)
    endpoints = {label for (_, pairs) in after for key, label in pairs if key == "endpoint"}
    assert endpoints <= set(app.view_functions) | {"unmatched"}


# --- access events --------------------------------------------------------------------------


def _events_in_db(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessEvent))


def test_access_events_are_counted_when_they_are_committed(app, client):
    tracking_content.load_sample(app)
    make_user(app, "hocvien")
    official = app.test_client()
    login(official, app, "hocvien")
    views = dict(object_type="document", action="view")

    before, rows_before = scrape(client), _events_in_db(app)
    assert official.get(tracking_content.DOCUMENT_URL).status_code == 200
    assert official.get(tracking_content.DOCUMENT_URL).status_code == 200
    after = scrape(client)
    assert _events_in_db(app) - rows_before == 2
    assert value(after, "cchc_access_events_total", **views) - value(
        before, "cchc_access_events_total", **views) == 2  # fmt: skip

    # In a unit of work that writes, the event counts only once its owner commits.
    with app.app_context():
        document = db.session.scalar(select(Document))
        user_id = db.session.scalar(text("SELECT id FROM \"user\" WHERE username = 'hocvien'"))
        access = events.document_view(document.id, document.version)

    @transactional
    def record(fail: bool) -> None:
        events.record(user_id, access)
        db.session.flush()  # the row is written, not yet committed
        if fail:
            raise RuntimeError("the rest of the unit of work failed")

    for fail, moved in [(True, 0), (False, 1), (True, 0)]:
        before, rows_before = scrape(client), _events_in_db(app)
        with app.app_context():
            declare_write()
            if fail:
                with pytest.raises(RuntimeError):
                    record(True)
            else:
                record(False)
            declare_write(False)
        after = scrape(client)
        assert _events_in_db(app) - rows_before == moved
        assert value(after, "cchc_access_events_total", **views) - value(
            before, "cchc_access_events_total", **views) == moved  # fmt: skip


# --- gauges from the database ---------------------------------------------------------------


def _ages(samples) -> tuple[float, float]:
    return (value(samples, "cchc_mail_outbox_oldest_waiting_seconds"),
            value(samples, "cchc_xapi_outbox_oldest_waiting_seconds"))  # fmt: skip


def test_outbox_gauges_count_the_rows_and_age_the_oldest_waiting_one(app, client, clock):
    empty = scrape(client)
    assert value(empty, "cchc_mail_outbox_messages", state="waiting") == 0
    assert value(empty, "cchc_xapi_outbox_statements", state="waiting") == 0
    assert _ages(empty) == (0, 0)

    now = clock.now()
    with app.app_context():
        declare_write()
        mails = [
            dict(created_at=now - timedelta(minutes=25)),  # waiting, the oldest
            dict(created_at=now - timedelta(minutes=3), attempts=2, last_error="refused"),
            dict(created_at=now - timedelta(days=2), attempts=MAX_ATTEMPTS),  # given up
            dict(created_at=now - timedelta(days=3), sent_at=now - timedelta(days=3)),  # sent
        ]
        for number, fields in enumerate(mails):
            db.session.add(OutboxMail(to_address=f"cb{number}@example.gov.vn",
                                      subject="Thông báo", body="Nội dung", **fields))
        statements = [
            dict(created_at=now - timedelta(hours=2)),  # waiting, the oldest
            dict(created_at=now - timedelta(minutes=1)),
            dict(created_at=now - timedelta(days=1), rejected_at=now),  # refused by the store
            dict(created_at=now - timedelta(days=5), sent_at=now - timedelta(days=5)),
        ]
        for number, fields in enumerate(statements):
            db.session.add(XapiStatement(
                kind="lesson_view", source_id=number, at=now,
                statement_id=f"00000000-0000-4000-8000-00000000000{number}", body="{}", **fields))
        db.session.commit()
        declare_write(False)

    samples = scrape(client)
    assert value(samples, "cchc_mail_outbox_messages", state="waiting") == 2
    assert value(samples, "cchc_mail_outbox_messages", state="failed") == 1
    assert value(samples, "cchc_xapi_outbox_statements", state="waiting") == 2
    assert value(samples, "cchc_xapi_outbox_statements", state="rejected") == 1
    assert _ages(samples) == (25 * 60, 2 * 3600)
    clock.advance(minutes=5)
    assert _ages(scrape(client)) == (30 * 60, 2 * 3600 + 5 * 60)


def test_the_index_lag_counts_changes_this_host_has_not_applied(app, client):
    tracking_content.load_sample(app)  # a document and a lesson: the sync logs their changes
    with app.app_context():
        logged = db.session.scalar(text("SELECT count(*) FROM search_change"))
    assert logged >= 2
    samples = scrape(client)
    assert value(samples, "cchc_search_index_present") == 0
    assert value(samples, "cchc_search_index_lag_changes") == logged

    with app.app_context():
        indexer.rebuild()
    samples = scrape(client)
    assert value(samples, "cchc_search_index_present") == 1
    assert value(samples, "cchc_search_index_lag_changes") == 0

    with app.app_context():
        declare_write()
        document_id = db.session.scalar(select(Document.id))
        for _ in range(3):
            log_change("document", document_id)
        db.session.commit()
        declare_write(False)
    assert value(scrape(client), "cchc_search_index_lag_changes") == 3
    with app.app_context():
        assert indexer.catch_up(wait=True) == 3
    assert value(scrape(client), "cchc_search_index_lag_changes") == 0


def test_open_and_overdue_attempts_follow_the_quiz_clock(app, client, clock, runner):
    quizapp.make_bank(app)
    quizapp.make_quiz(app, time_limit=10)
    make_user(app, "hocvien")
    official = app.test_client()
    login(official, app, "hocvien")
    quizapp.start(official, app)

    samples = scrape(client)
    assert value(samples, "cchc_quiz_attempts_open") == 1
    assert value(samples, "cchc_quiz_attempts_overdue") == 0
    clock.advance(minutes=10, seconds=31)  # past the deadline and its 30 s of grace
    samples = scrape(client)
    assert value(samples, "cchc_quiz_attempts_open") == 1
    assert value(samples, "cchc_quiz_attempts_overdue") == 1
    result = runner.invoke(args=["tick"])
    assert "quiz: đã đóng và chấm 1 lượt làm bài quá giờ" in result.output
    samples = scrape(client)
    assert value(samples, "cchc_quiz_attempts_open") == 0
    assert value(samples, "cchc_quiz_attempts_overdue") == 0


def test_a_gauge_that_fails_is_reported_and_the_others_still_read(app, client):
    metrics.register_gauge(
        app, "cchc_test_broken", "A query on a table that does not exist.",
        lambda: db.session.scalar(text("SELECT count(*) FROM khong_co_bang_nay")),
    )
    samples = scrape(client)
    assert value(samples, "cchc_gauge_read_ok", gauge="cchc_test_broken") == 0
    assert ("cchc_test_broken", ()) not in samples
    # On PostgreSQL the failed query aborted the transaction: the later gauges read anew.
    for name in ("cchc_mail_outbox_oldest_waiting_seconds", "cchc_search_index_lag_changes",
                 "cchc_xapi_outbox_oldest_waiting_seconds", "cchc_quiz_attempts_open"):
        assert value(samples, "cchc_gauge_read_ok", gauge=name) == 1, name
    with pytest.raises(ValueError, match="registered twice"):
        metrics.register_gauge(app, "cchc_test_broken", "again", lambda: 0)


def test_every_series_is_documented_and_named_for_the_app(app, client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    body = response.get_data(as_text=True)
    families = re.findall(r"^# TYPE (\S+) (\S+)$", body, re.M)
    helped = set(re.findall(r"^# HELP (\S+) .+$", body, re.M))
    assert families and all(name.startswith("cchc_") for name, _ in families)
    assert {name for name, _ in families} <= helped
    assert dict(families)["cchc_http_request_duration_seconds"] == "histogram"
    assert dict(families)["cchc_access_events_total"] == "counter"
