"""Every state change of a question, its clock in working days, and the history it keeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from qa_world import ask, build, events, posts, question, run

from cchc_learn.extensions import db
from cchc_learn.qa import moderation, routing, service, states
from cchc_learn.qa.errors import QaError, QaForbidden, QaNotFound
from cchc_learn.qa.models import Event

# The fake clock starts on Monday 2 March 2026, 08:00 in Vietnam (01:00 UTC).
MONDAY_8 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
THURSDAY_17 = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam


@pytest.fixture
def people(app, clock):
    return build(app)


def test_a_question_starts_new_with_a_due_time_three_working_days_on(app, people):
    qid = ask(app, people["hocvien"])
    q = question(app, qid)
    assert q["state"] == "new" and q["assignee_id"] is None
    assert q["asked_at"] == MONDAY_8
    assert q["clock_started_at"] == MONDAY_8
    assert q["due_at"] == THURSDAY_17
    assert q["unit_id"] is not None
    assert events(app, qid) == [("ask", None, "new", people["hocvien"], None)]


def test_after_half_past_four_the_clock_starts_the_next_working_day(app, people, clock):
    clock.current = datetime(2026, 3, 6, 9, 45, tzinfo=UTC)  # Friday 16:45 in Vietnam
    qid = ask(app, people["hocvien"])
    q = question(app, qid)
    assert q["clock_started_at"] == datetime(2026, 3, 9, 0, 30, tzinfo=UTC)  # Monday 07:30
    assert q["due_at"] == datetime(2026, 3, 12, 10, 0, tzinfo=UTC)  # Thursday 17:00


def test_routing_rules_assign_new_questions_to_the_least_busy_moderator(app, people):
    run(app, routing.add_rule, people["giaidap"], "PAR-INDEX", people["giaidap"])
    run(app, routing.add_rule, people["giaidap"], "PAR-INDEX", people["giaidap2"])
    first = ask(app, people["hocvien"])
    second = ask(app, people["hocvien2"])
    third = ask(app, people["hocvien2"], topics=("SIPAS",))
    assert question(app, first)["assignee_id"] == people["giaidap"]
    assert question(app, second)["assignee_id"] == people["giaidap2"]
    assert question(app, first)["state"] == "assigned"
    assert events(app, first)[1] == ("assign", "new", "assigned", None,
                                     "Phân công tự động theo chủ đề")
    assert question(app, third)["state"] == "new"


def test_claim_answer_accept(app, people):
    qid = ask(app, people["hocvien"])
    run(app, service.claim, qid, people["giaidap"])
    assert question(app, qid)["state"] == "assigned"
    post_id = run(app, service.answer, qid, people["giaidap"], "Theo [[4599/QĐ-UBND]], …")
    q = question(app, qid)
    assert q["state"] == "answered" and q["first_answered_at"] is not None
    assert posts(app, qid) == [("answer", "Theo [[4599/QĐ-UBND]], …", False)]
    run(app, service.accept, qid, people["hocvien"], post_id)
    assert question(app, qid)["state"] == "accepted"
    assert posts(app, qid)[0][2] is True
    assert [e[:3] for e in events(app, qid)] == [
        ("ask", None, "new"),
        ("claim", "new", "assigned"),
        ("answer", "assigned", "answered"),
        ("accept", "answered", "accepted"),
    ]


def test_a_claimed_question_stays_with_its_moderator(app, people):
    qid = ask(app, people["hocvien"])
    run(app, service.claim, qid, people["giaidap"])
    with pytest.raises(QaError, match="đã được Người giải đáp giaidap nhận"):
        run(app, service.claim, qid, people["giaidap2"])
    run(app, service.assign, qid, people["giaidap"], people["giaidap2"])
    assert question(app, qid)["assignee_id"] == people["giaidap2"]
    with pytest.raises(QaError, match="phải là người giải đáp"):
        run(app, service.assign, qid, people["giaidap"], people["hocvien"])


def test_needs_info_stops_the_clock_and_the_reply_restarts_it(app, people, clock):
    qid = ask(app, people["hocvien"])
    run(app, service.claim, qid, people["giaidap"])
    run(app, service.request_info, qid, people["giaidap"], "Đơn vị anh/chị thuộc cấp nào?")
    q = question(app, qid)
    assert q["state"] == "needs_info" and q["due_at"] is None
    clock.current = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # Tuesday next week, 09:00
    run(app, service.reply, qid, people["hocvien"], "Cấp xã.")
    q = question(app, qid)
    assert q["state"] == "assigned"
    assert q["clock_started_at"] == clock.current
    assert q["due_at"] == datetime(2026, 3, 13, 10, 0, tzinfo=UTC)  # Friday 17:00
    assert [p[0] for p in posts(app, qid)] == ["info_request", "info_reply"]
    assert events(app, qid)[-1][:3] == ("info_reply", "needs_info", "assigned")


def test_a_follow_up_reopens_an_answered_question_with_a_new_due_time(app, people, clock):
    qid = ask(app, people["hocvien"])
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    assert question(app, qid)["assignee_id"] == people["giaidap"]
    clock.advance(days=1)
    run(app, service.reply, qid, people["hocvien"], "Còn trường hợp cấp xã thì sao?")
    q = question(app, qid)
    assert q["state"] == "assigned"
    assert q["due_at"] == datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
    run(app, service.answer, qid, people["giaidap"], "Cấp xã cũng vậy.")
    assert question(app, qid)["state"] == "answered"


def test_only_the_asker_follows_up_or_accepts(app, people):
    qid = ask(app, people["hocvien"])
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    with pytest.raises(QaForbidden):
        run(app, service.reply, qid, people["hocvien2"], "Tôi cũng hỏi.")
    with pytest.raises(QaForbidden):
        run(app, service.accept, qid, people["hocvien2"], None)
    private = ask(app, people["hocvien"], visibility="private")
    run(app, service.answer, private, people["giaidap"], "Trả lời.")
    with pytest.raises(QaNotFound):
        run(app, service.reply, private, people["hocvien2"], "Tôi cũng hỏi.")
    assert len(posts(app, qid)) == 1 and question(app, qid)["state"] == "answered"


def test_the_asker_edits_until_an_answer_exists(app, people):
    qid = ask(app, people["hocvien"])
    run(app, service.edit_question, qid, people["hocvien"], "Tiêu đề mới?", "Nội dung mới",
        ["PCI"])
    q = question(app, qid)
    assert (q["title"], q["body_md"], q["topics"]) == ("Tiêu đề mới?", "Nội dung mới", ["PCI"])
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    with pytest.raises(QaError, match="đã có câu trả lời"):
        run(app, service.edit_question, qid, people["hocvien"], "Sửa nữa?", "", ["PCI"])
    with pytest.raises(QaForbidden):
        run(app, service.edit_question, qid, people["hocvien2"], "Sửa hộ?", "", ["PCI"])


def test_moderator_edits_keep_the_reason_and_the_earlier_text(app, people):
    qid = ask(app, people["hocvien"], body="Nội dung có số điện thoại 0912345678")
    with pytest.raises(QaError, match="Lý do sửa"):
        run(app, service.edit_question, qid, people["giaidap"], "Tiêu đề", "Nội dung", ["PCI"])
    run(app, service.edit_question, qid, people["giaidap"], "Tiêu đề", "Nội dung", ["PCI"],
        reason="Bỏ số điện thoại cá nhân")
    post_id = run(app, service.answer, qid, people["giaidap"], "Bản đầu.")
    run(app, service.edit_answer, post_id, people["giaidap2"], "Bản sửa.", "Sửa lỗi chính tả")
    assert posts(app, qid)[0][1] == "Bản sửa."
    with app.app_context():
        edits = db.session.scalars(db.select(Event).where(
            Event.question_id == qid, Event.action.in_(["edit_question", "edit_answer"]))
            .order_by(Event.id)).all()
        assert [(e.reason, e.actor_id) for e in edits] == [
            ("Bỏ số điện thoại cá nhân", people["giaidap"]),
            ("Sửa lỗi chính tả", people["giaidap2"])]
        assert edits[0].detail["before"]["body"] == "Nội dung có số điện thoại 0912345678"
        assert edits[1].detail["before"] == "Bản đầu."


def test_duplicate_closes_with_a_link_and_hide_needs_a_reason(app, people):
    original = ask(app, people["hocvien2"])
    qid = ask(app, people["hocvien"])
    with pytest.raises(QaError, match="chính câu hỏi này"):
        run(app, moderation.mark_duplicate, qid, people["giaidap"], qid)
    run(app, moderation.mark_duplicate, qid, people["giaidap"], original)
    q = question(app, qid)
    assert (q["state"], q["duplicate_of_id"], q["due_at"]) == ("duplicate", original, None)
    with pytest.raises(QaError, match="Lý do ẩn"):
        run(app, moderation.hide, original, people["giaidap"], "  ")
    run(app, moderation.hide, original, people["giaidap"], "Nội dung quảng cáo")
    q = question(app, original)
    assert (q["state"], q["hidden_reason"]) == ("hidden", "Nội dung quảng cáo")
    assert events(app, original)[-1] == ("hide", "new", "hidden", people["giaidap"],
                                         "Nội dung quảng cáo")
    with pytest.raises(QaError, match="trạng thái “Đã ẩn”"):
        run(app, service.answer, original, people["giaidap"], "Trả lời.")


def test_a_private_question_of_another_asker_cannot_be_the_original(app, people):
    private = ask(app, people["hocvien2"], visibility="private")
    qid = ask(app, people["hocvien"])
    with pytest.raises(QaError, match="người hỏi không xem được"):
        run(app, moderation.mark_duplicate, qid, people["giaidap"], private)
    assert question(app, qid)["state"] == "new"


def test_accepting_on_behalf_is_allowed_only_after_seven_days(app, people, clock):
    qid = ask(app, people["hocvien"])
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    clock.advance(days=6, hours=23)
    with pytest.raises(QaError, match="đã qua 7 ngày"):
        run(app, service.accept_on_behalf, qid, people["giaidap"])
    clock.advance(hours=1)
    run(app, service.accept_on_behalf, qid, people["giaidap"])
    assert question(app, qid)["state"] == "accepted"
    assert events(app, qid)[-1][:4] == ("accept_on_behalf", "answered", "accepted",
                                        people["giaidap"])


def test_an_offline_question_runs_the_same_clock_and_notes_its_channel(app, people, clock):
    received = datetime(2026, 2, 27, 10, 0, tzinfo=UTC)  # Friday 17:00: after the cut-off
    qid = run(app, service.record_offline, people["giaidap"], "hocvien", "Hỏi qua điện thoại?",
              "", ["TTHC"], "phone", received_at=received)
    q = question(app, qid)
    assert (q["asker_id"], q["recorded_by_id"], q["channel"]) == (
        people["hocvien"], people["giaidap"], "phone")
    assert q["visibility"] == "private"
    assert q["clock_started_at"] == datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 07:30
    assert events(app, qid)[0][:4] == ("record_offline", None, "new", people["giaidap"])
    with pytest.raises(QaError, match="Người hỏi: không tìm thấy"):
        run(app, service.record_offline, people["giaidap"], "khong-co", "Hỏi?", "", ["TTHC"],
            "phone")
    with pytest.raises(QaForbidden):
        run(app, service.record_offline, people["hocvien"], "hocvien2", "Hỏi?", "", ["TTHC"],
            "phone")


def test_every_action_the_table_does_not_allow_is_refused_in_vietnamese():
    for action, moves in states.TRANSITIONS.items():
        for state in states.STATES:
            if state in moves:
                states.target(action, state, assigned=True)
            else:
                with pytest.raises(QaError, match="Không thể .* câu hỏi đang ở trạng thái"):
                    states.target(action, state, assigned=False)
    assert states.target("info_reply", "needs_info", assigned=False) == "new"
    assert states.target("followup", "answered", assigned=True) == "assigned"
    assert not states.allowed("accept", "accepted")
    assert not states.allowed("answer", "answered")


def test_closing_an_answered_question(app, people):
    qid = ask(app, people["hocvien"])
    with pytest.raises(QaError, match="Không thể đóng câu hỏi"):
        run(app, moderation.close, qid, people["giaidap"])
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    run(app, moderation.close, qid, people["giaidap"], "Người hỏi không phản hồi")
    assert question(app, qid)["state"] == "closed"
    with pytest.raises(QaError, match="trạng thái “Đã đóng”"):
        run(app, service.reply, qid, people["hocvien"], "Hỏi thêm")


def test_the_queue_colour_turns_at_80_percent_of_the_time_and_at_the_due_time(app, people):
    from cchc_learn.qa import deadlines
    from cchc_learn.qa.models import Question

    qid = ask(app, people["hocvien"])  # Monday 08:00, due Thursday 17:00
    with app.app_context():
        q = db.session.get(Question, qid)

        def status(day: int, hour: int, minute: int = 0) -> str:
            moment = datetime(2026, 3, day, hour - 7, minute, tzinfo=UTC)
            return deadlines.timing(q, moment).status

        assert status(4, 17) == "ok"  # Wednesday evening: 75 % used
        assert status(5, 9, 30) == "ok"  # Thursday 09:30: 79 %
        assert status(5, 10) == "near"  # Thursday 10:00: 81 %
        assert status(5, 16, 59) == "near"
        assert status(5, 17) == "overdue"
        timing = deadlines.timing(q, datetime(2026, 3, 6, 3, 0, tzinfo=UTC))  # Friday 10:00
        assert timing.status == "overdue" and round(timing.left, 2) == -0.26
        assert round(timing.age, 2) == 4.21


def test_a_question_asked_before_tet_falls_due_after_the_holiday(app, people, clock):
    clock.current = datetime(2026, 2, 13, 3, 0, tzinfo=UTC)  # Friday 13/02/2026, 10:00
    qid = ask(app, people["hocvien"])
    # Tết Bính Ngọ: 16–20/02 are days off; the three working days are 23, 24 and 25/02.
    assert question(app, qid)["due_at"] == datetime(2026, 2, 25, 10, 0, tzinfo=UTC)
