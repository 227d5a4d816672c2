"""Notices and the e-mail outbox, sent to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from helpers import make_user
from sqlalchemy import func, select, update

from cchc_learn.auth.models import User
from cchc_learn.clock import utcnow
from cchc_learn.database import declare_write, transactional
from cchc_learn.extensions import db
from cchc_learn.notify import sending
from cchc_learn.notify.models import Notification, OutboxMail
from cchc_learn.notify.service import notify

MESSAGE = "Câu hỏi “Thủ tục cấp đổi giấy phép lái xe” đã có câu trả lời"


def make_recipient(app, username: str = "hocvien", email: str | None = None) -> int:
    user_id = make_user(app, username)
    with app.app_context():
        declare_write()
        db.session.get(User, user_id).email = email or f"{username}@xa.example.gov.vn"
        db.session.commit()
    return user_id


@transactional
def an_event(user_id: int, *, fail: bool = False, email: bool = True, url: str = "/qa/7") -> None:
    """What a feature does: change something and notify, in one unit of work."""
    notify(db.session.get(User, user_id), "qa.answered", MESSAGE, url, email=email)
    if fail:
        raise RuntimeError("the feature's own change failed")


def record(app, user_id: int, **kw) -> None:
    with app.app_context():
        declare_write()
        an_event(user_id, **kw)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Notification.id))),
            db.session.scalar(select(func.count(OutboxMail.id))),
        )


def outbox(app) -> list[OutboxMail]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return found


def send(app, limit: int = 100) -> sending.SendSummary:
    with app.app_context():
        return sending.send_due(limit)


def test_a_notice_and_its_mail_are_written_with_the_event(app):
    user_id = make_recipient(app)
    record(app, user_id)
    assert counts(app) == (1, 1)
    [mail] = outbox(app)
    assert mail.to_address == "hocvien@xa.example.gov.vn"
    assert mail.subject == f"[CCHC Learn] {MESSAGE}"
    assert "https://hoc.sonoivu.example.gov.vn/qa/7" in mail.body
    assert mail.sent_at is None and mail.attempts == 0


def test_rolling_back_the_callers_transaction_leaves_neither(app):
    user_id = make_recipient(app)
    with pytest.raises(RuntimeError):
        record(app, user_id, fail=True)
    assert counts(app) == (0, 0)


def test_no_mail_without_an_address_or_when_the_caller_says_so(app):
    quiet = make_user(app, "khongthu")
    record(app, quiet)
    loud = make_recipient(app, "cothu")
    record(app, loud, email=False)
    assert counts(app) == (2, 0)


def test_notify_refuses_links_that_leave_the_site(app):
    user_id = make_recipient(app)
    for url in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/a\\b", ""):
        with pytest.raises(ValueError):
            record(app, user_id, url=url)
    assert counts(app) == (0, 0)


def test_the_sink_receives_the_mail_once(app, sink):
    user_id = make_recipient(app)
    record(app, user_id)
    summary = send(app)
    assert (summary.sent, summary.failed) == (1, 0)
    assert str(summary) == "đã gửi 1 thư, 0 thư lỗi sẽ gửi lại sau"
    [message] = sink.messages
    assert message["To"] == "hocvien@xa.example.gov.vn"
    assert message["From"] == "CCHC Learn <no-reply@sonoivu.example.gov.vn>"
    # A long UTF-8 subject is folded from the header's first line: readers drop that space.
    assert message["Subject"].strip() == f"[CCHC Learn] {MESSAGE}"
    body = message.get_content()
    assert MESSAGE in body and "Xem chi tiết: https://hoc.sonoivu.example.gov.vn/qa/7" in body
    assert message.get_content_charset() == "utf-8"
    assert sink.envelopes == [("no-reply@sonoivu.example.gov.vn", ["hocvien@xa.example.gov.vn"])]
    [mail] = outbox(app)
    assert mail.sent_at is not None and mail.last_error is None
    # Sent is sent: the next tick finds nothing.
    assert send(app).sent == 0 and len(sink.messages) == 1


def test_with_the_server_down_the_mail_waits_then_goes(app, start_sink, clock):
    user_id = make_recipient(app)
    record(app, user_id)
    summary = send(app)
    assert (summary.sent, summary.failed) == (0, 1)
    [mail] = outbox(app)
    assert mail.sent_at is None and mail.claimed_at is None and mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.next_try_at == clock.now() + sending.retry_delay(1)

    sink = start_sink()
    assert send(app).sent == 0  # not yet due: backing off
    clock.advance(minutes=1, seconds=1)
    assert send(app).sent == 1
    assert [m["To"] for m in sink.messages] == ["hocvien@xa.example.gov.vn"]
    [mail] = outbox(app)
    assert mail.sent_at is not None and mail.attempts == 1


def test_retries_back_off_and_end(app, clock):
    user_id = make_recipient(app)
    record(app, user_id)
    waits = []
    for _ in range(sending.MAX_ATTEMPTS):
        assert send(app).failed == 1
        [mail] = outbox(app)
        waits.append(mail.next_try_at - clock.now())
        clock.current = mail.next_try_at
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(waits) == sending.LONGEST_RETRY
    assert send(app).failed == 0  # given up: the row keeps its last error
    [mail] = outbox(app)
    assert mail.attempts == sending.MAX_ATTEMPTS and mail.sent_at is None


def test_a_claim_left_by_a_killed_sender_lapses_after_the_lease(app, sink, clock):
    user_id = make_recipient(app)
    record(app, user_id)
    with app.app_context():
        declare_write()
        db.session.execute(
            update(OutboxMail).values(claimed_at=clock.now(), claimed_by="killed:1:x")
        )
        db.session.commit()
    clock.advance(minutes=9)
    assert send(app).sent == 0 and sink.messages == []
    clock.advance(minutes=2)
    assert send(app).sent == 1 and len(sink.messages) == 1


def test_a_mail_sent_again_after_a_killed_sender_keeps_its_message_id(app, sink, clock):
    """The sender died after the server took the mail and before it wrote "sent"."""
    user_id = make_recipient(app)
    record(app, user_id)
    record(app, user_id)
    assert send(app).sent == 2
    first, other = outbox(app)
    with app.app_context():
        declare_write()
        db.session.execute(
            update(OutboxMail).where(OutboxMail.id == first.id)
            .values(sent_at=None, claimed_at=clock.now(), claimed_by="killed:1:x")
        )
        db.session.commit()
    clock.advance(minutes=11)
    assert send(app).sent == 1
    ids = [m["Message-ID"] for m in sink.messages]
    expected = sending.message_id(first.id, first.created_at, "hoc.sonoivu.example.gov.vn")
    assert ids == [expected, sending.message_id(
        other.id, other.created_at, "hoc.sonoivu.example.gov.vn"), expected]
    assert len(set(ids)) == 2


def test_without_mail_settings_nothing_is_queued_or_sent(app, monkeypatch):
    app.config["MAIL_SERVER"] = None
    user_id = make_recipient(app)
    record(app, user_id)
    assert counts(app) == (1, 0)
    assert str(send(app)) == "chưa cấu hình máy chủ thư (MAIL_SERVER)"


def test_concurrent_senders_send_each_mail_exactly_once(app, sink):
    users = [make_recipient(app, f"nguoi{i:02d}") for i in range(6)]
    with app.app_context():
        declare_write()
        for round_ in range(5):
            for user_id in users:
                notify(db.session.get(User, user_id), "qa.due", f"Thông báo {round_}", "/qa/")
        db.session.commit()
    expected = len(users) * 5
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                barrier.wait()
                while sending.send_due(limit=3).sent:
                    pass
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    delivered = Counter((m["To"], m["Subject"].strip()) for m in sink.messages)
    assert len(sink.messages) == expected == len(delivered)
    assert set(delivered.values()) == {1}
    assert all(mail.sent_at is not None for mail in outbox(app))
    assert all(mail.claimed_by for mail in outbox(app))
    assert utcnow() >= max(mail.sent_at for mail in outbox(app))


def test_tick_sends_the_outbox(app, sink, runner):
    user_id = make_recipient(app)
    record(app, user_id)
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "notify: đã gửi 1 thư, 0 thư lỗi sẽ gửi lại sau" in result.output.splitlines()
    assert [m["To"] for m in sink.messages] == ["hocvien@xa.example.gov.vn"]
    assert "notify: đã gửi 0 thư" in runner.invoke(args=["tick"]).output
