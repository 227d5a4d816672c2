"""Who is told what, the deadline reminders of `tick`, and the FAQ with its review flags."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import login, page_text, post
from qa_world import ask, build, count, events, make_document, notices, question, run

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.notify.models import Notification, OutboxMail
from cchc_learn.qa import faq, moderation, reminders, routing, service
from cchc_learn.qa.errors import QaError
from cchc_learn.qa.models import Faq, Reminder


@pytest.fixture
def people(app, clock):
    return build(app)


def test_the_asker_is_told_of_an_answer_a_request_and_a_duplicate(app, people):
    qid = ask(app, people["hocvien"], "Câu hỏi về TTHC?")
    run(app, service.request_info, qid, people["giaidap"], "Cho biết thêm?")
    run(app, service.reply, qid, people["hocvien"], "Thêm đây.")
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    original = ask(app, people["hocvien2"])
    dup = ask(app, people["hocvien"], "Câu hỏi trùng?")
    run(app, moderation.mark_duplicate, dup, people["giaidap"], original)
    told = notices(app, people["hocvien"])
    assert [(k, u) for k, _, u in told] == [
        ("qa.needs_info", f"/qa/{qid}"), ("qa.answer", f"/qa/{qid}"),
        ("qa.duplicate", f"/qa/{dup}")]
    assert "đề nghị bổ sung thông tin" in told[0][1]
    assert "đã có câu trả lời: Câu hỏi về TTHC?" in told[1][1]
    assert f"/qa/{original}" in told[2][1]
    # The moderator who asked for information is told of the reply.
    assert ("qa.info_reply", f"/qa/{qid}") in [(k, u) for k, _, u in notices(
        app, people["giaidap"])]


def test_moderators_of_the_topic_are_told_of_a_new_question(app, people):
    run(app, routing.add_rule, people["giaidap"], "PCI", people["giaidap"])
    run(app, routing.add_rule, people["giaidap"], "PCI", people["giaidap2"])
    qid = ask(app, people["hocvien"], "Hỏi về PCI?", topics=("PCI",))
    mine = notices(app, people["giaidap"])
    theirs = notices(app, people["giaidap2"])
    assert mine == [("qa.new", "Câu hỏi được giao cho bạn (PCI): Hỏi về PCI?", f"/qa/{qid}")]
    assert theirs == [("qa.new", "Câu hỏi mới (PCI): Hỏi về PCI?", f"/qa/{qid}")]
    ask(app, people["hocvien"], "Hỏi về SIPAS?", topics=("SIPAS",))
    assert len(notices(app, people["giaidap"])) == 1


def test_an_email_is_queued_with_the_notice_when_mail_is_configured(app, people):
    app.config["MAIL_SERVER"] = "127.0.0.1"
    with app.app_context():
        declare_write()
        from cchc_learn.auth.models import User

        db.session.get(User, people["hocvien"]).email = "hocvien@example.gov.vn"
        db.session.commit()
    qid = ask(app, people["hocvien"])
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    assert count(app, OutboxMail) == 1


def test_tick_reminds_near_due_and_overdue_questions_once(app, people, clock):
    run(app, routing.add_rule, people["giaidap"], "PAR-INDEX", people["giaidap"])
    qid = ask(app, people["hocvien"])
    assert run(app, reminders.run).startswith("hỏi đáp: 0 nhắc sắp đến hạn, 0 nhắc quá hạn")
    clock.advance(days=3, hours=7)  # Thursday 15:00: over 80 % of the time used
    assert "1 nhắc sắp đến hạn, 0 nhắc quá hạn" in run(app, reminders.run)
    assert "0 nhắc sắp đến hạn, 0 nhắc quá hạn" in run(app, reminders.run)
    clock.advance(hours=3)  # Thursday 18:00
    assert "0 nhắc sắp đến hạn, 1 nhắc quá hạn" in run(app, reminders.run)
    assert "0 nhắc sắp đến hạn, 0 nhắc quá hạn" in run(app, reminders.run)
    kinds = [k for k, _, _ in notices(app, people["giaidap"])]
    assert kinds == ["qa.new", "qa.near", "qa.overdue"]
    assert count(app, Reminder) == 2
    # A follow-up after an answer starts a new period: its own reminders, once each.
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    run(app, service.reply, qid, people["hocvien"], "Hỏi thêm.")
    clock.advance(days=7)
    assert "0 nhắc sắp đến hạn, 1 nhắc quá hạn" in run(app, reminders.run)
    assert count(app, Reminder) == 3


def test_the_tick_command_runs_the_qa_job(app, runner, people):
    result = runner.invoke(args=["tick"])
    assert "qa: hỏi đáp: 0 nhắc sắp đến hạn" in result.output


def test_a_reminder_row_already_there_is_never_sent_again(app, people, clock):
    """Two hosts ticking at once: the second finds the row (unique) and sends nothing."""
    qid = ask(app, people["hocvien"])
    run(app, service.claim, qid, people["giaidap"])
    clock.advance(days=5)
    with app.app_context():
        declare_write()
        q_due = question(app, qid)["due_at"]
        db.session.add(Reminder(question_id=qid, threshold="overdue", due_at=q_due))
        db.session.commit()
        declare_write(False)
    assert "0 nhắc quá hạn" in run(app, reminders.run)
    assert [k for k, _, _ in notices(app, people["giaidap"])] == []
    with app.app_context():
        declare_write()
        from cchc_learn.qa.models import Question

        question_row = db.session.get(Question, qid)
        assert reminders._remind(question_row, "overdue") is False
        db.session.rollback()
        declare_write(False)
    assert count(app, Notification) == 0


def _answered(app, people, **kwargs) -> int:
    make_document(app)
    qid = ask(app, people["hocvien"], "Ai là cán bộ làm công tác CCHC?", **kwargs)
    run(app, service.answer, qid, people["giaidap"], "Theo [[4599/QĐ-UBND]] thì …")
    return qid


def test_promoting_to_the_faq_with_date_and_documents(app, people):
    qid = _answered(app, people, visibility="private")
    with pytest.raises(QaError, match="không tìm thấy văn bản số “1/XYZ”"):
        run(app, faq.promote_to_faq, qid, people["giaidap"], None, ["1/XYZ"])
    moderator = app.test_client()
    login(moderator, app, "giaidap")
    page = page_text(moderator.get(f"/qa/{qid}"))
    assert "4599/QĐ-UBND" in page  # the cited number is offered
    response = post(moderator, app, f"/qa/{qid}/faq",
                    {"valid_as_of": "01/03/2026", "documents": "4599/QD-UBND"})
    assert response.status_code == 302
    q = question(app, qid)
    assert q["faq"] is True
    with app.app_context():
        entry = db.session.get(Faq, qid)
        assert entry.valid_as_of == date(2026, 3, 1)
        assert [d.number for d in entry.documents] == ["4599/QĐ-UBND"]
    other = app.test_client()
    login(other, app, "hocvien2")
    text = page_text(other.get("/qa/faq"))
    assert "Ai là cán bộ làm công tác CCHC?" in text and "01/03/2026" in text
    thread = page_text(other.get(f"/qa/{qid}"))
    assert "· Một cán bộ ·" in thread and "· Cán bộ hocvien ·" not in thread
    bad = post(moderator, app, f"/qa/{qid}/faq", {"valid_as_of": "31/02/2026"})
    assert bad.status_code == 400 and "không phải ngày dạng ngày/tháng/năm" in page_text(bad)
    with pytest.raises(QaError, match="đã có trong mục"):
        run(app, faq.promote_to_faq, qid, people["giaidap"], None, [])


def test_an_unanswered_question_cannot_be_promoted(app, people):
    qid = ask(app, people["hocvien"])
    with pytest.raises(QaError, match="câu hỏi đã có câu trả lời"):
        run(app, faq.promote_to_faq, qid, people["giaidap"], None, [])


def test_a_successor_of_a_cited_document_flags_the_entry_for_review(app, people):
    qid = _answered(app, people)
    run(app, faq.promote_to_faq, qid, people["giaidap"], date(2026, 3, 1), ["4599/QĐ-UBND"])
    assert "0 mục hỏi đáp thường gặp cần rà soát" in run(app, reminders.run)
    # The document is replaced, but its successor is not in the knowledge base yet.
    with app.app_context():
        declare_write()
        doc = db.session.scalar(db.select(Document).where(Document.slug == "4599-qd-ubnd"))
        doc.replaced_by, doc.status = "100/QĐ-UBND", "replaced"
        db.session.commit()
        declare_write(False)
    assert "0 mục hỏi đáp thường gặp cần rà soát" in run(app, reminders.run)
    make_document(app, "100/QĐ-UBND", summary="Đề án mới")
    assert "1 mục hỏi đáp thường gặp cần rà soát" in run(app, reminders.run)
    assert "0 mục hỏi đáp thường gặp cần rà soát" in run(app, reminders.run)
    with app.app_context():
        entry = db.session.get(Faq, qid)
        assert entry.review_reason == ("Cần rà soát: văn bản 4599/QĐ-UBND đã có văn bản thay "
                                       "thế 100/QĐ-UBND.")
    moderator = app.test_client()
    login(moderator, app, "giaidap")
    assert "Hỏi đáp thường gặp cần rà soát" in page_text(moderator.get("/qa/queue"))
    assert "Mục hỏi đáp thường gặp cần rà soát: 1" in page_text(moderator.get("/"))
    # Reviewed, still citing the old document: the same successor does not flag it again.
    run(app, faq.review_faq, qid, people["giaidap"], date(2026, 4, 1), ["4599/QĐ-UBND"])
    assert "0 mục hỏi đáp thường gặp cần rà soát" in run(app, reminders.run)
    assert "Hỏi đáp thường gặp cần rà soát" not in page_text(moderator.get("/qa/queue"))
    assert [e[0] for e in events(app, qid)][-2:] == ["faq_flagged", "review_faq"]
