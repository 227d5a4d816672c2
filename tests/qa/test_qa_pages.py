"""The pages: asking, the list, a thread, moderators' actions, and who may do what."""

from __future__ import annotations

import re

import pytest
from helpers import login, page_text, post
from qa_world import ask, build, count, events, make_document, posts, question, run

from cchc_learn.qa import routing, service
from cchc_learn.qa.models import Event, Post, Question

ASK = {"title": "Ai là cán bộ làm công tác CCHC?", "body": "Theo **Đề án** [[4599/QĐ-UBND]].",
       "topics": "Công vụ", "visibility": "public", "action": "ask"}


@pytest.fixture
def people(app, clock):
    return build(app)


def signed_in(app, username: str):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def test_an_official_asks_and_sees_the_question_with_its_due_date(app, people):
    make_document(app)
    client = signed_in(app, "hocvien")
    response = post(client, app, "/qa/ask", ASK)
    assert response.status_code == 302
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/qa/{qid}", follow_redirects=True)
    text = page_text(page)
    assert "Đã gửi câu hỏi. Hạn trả lời: 05/03/2026." in text
    assert "Ai là cán bộ làm công tác CCHC?" in text
    assert "hạn trả lời 05/03/2026" in text
    html = page.get_data(as_text=True)
    assert 'href="/kb/4599-qd-ubnd"' in html and "<strong>Đề án</strong>" in html
    listing = page_text(client.get("/qa/?mine=1"))
    assert "Ai là cán bộ làm công tác CCHC?" in listing


def test_the_list_shows_public_questions_and_filters_them(app, people):
    ask(app, people["hocvien"], "Câu hỏi công khai về PCI?", topics=("PCI",))
    ask(app, people["hocvien"], "Câu hỏi riêng tư của tôi?", visibility="private")
    answered = ask(app, people["hocvien2"], "Câu hỏi đã trả lời về PAPI?", topics=("PAPI",),
                   show_name=True)
    run(app, service.answer, answered, people["giaidap"], "Trả lời.")
    other = signed_in(app, "hocvien2")
    text = page_text(other.get("/qa/"))
    assert "Câu hỏi công khai về PCI?" in text and "Câu hỏi riêng tư" not in text
    assert "Một cán bộ" in text and "Cán bộ hocvien2" in text
    assert "PCI" not in page_text(other.get("/qa/?topic=PAPI")).split("câu hỏi.")[1]
    only_answered = page_text(other.get("/qa/?answered=yes"))
    assert "PAPI?" in only_answered and "PCI?" not in only_answered
    unanswered = page_text(other.get("/qa/?answered=no"))
    assert "PAPI?" not in unanswered and "PCI?" in unanswered
    mine = page_text(signed_in(app, "hocvien").get("/qa/?mine=1"))
    assert "Câu hỏi riêng tư của tôi?" in mine and "về PAPI?" not in mine


def test_a_private_question_is_404_for_another_official_and_open_to_moderators(app, people):
    qid = ask(app, people["hocvien"], "Câu hỏi riêng tư?", visibility="private")
    other = signed_in(app, "hocvien2")
    assert other.get(f"/qa/{qid}").status_code == 404
    assert other.get(f"/api/v1/qa/{qid}").status_code == 404
    assert post(other, app, f"/qa/{qid}/reply", {"body": "xem trộm"}).status_code == 404
    assert "Cán bộ hocvien" in page_text(signed_in(app, "giaidap").get(f"/qa/{qid}"))
    assert signed_in(app, "hocvien").get(f"/qa/{qid}").status_code == 200
    assert posts(app, qid) == []


@pytest.mark.parametrize("data, message", [
    ({"title": ""}, "Tiêu đề: hãy nhập câu hỏi của bạn."),
    ({"title": "x" * 1000}, "Tiêu đề: tối đa 200 ký tự (đang có 1.000 ký tự)"),
    ({"body": "a" * 200_000}, "Nội dung câu hỏi: tối đa 20.000 ký tự (đang có 200.000 ký tự)"),
    ({"topics": "Chủ đề lạ"}, "Chủ đề: “Chủ đề lạ” không có trong danh sách chủ đề hỏi đáp"),
    ({"topics": ""}, "Chủ đề: hãy chọn ít nhất một chủ đề."),
    ({"visibility": "everyone"}, "Phạm vi hiển thị: giá trị “everyone” không hợp lệ."),
])
def test_bad_questions_are_refused_with_a_message_and_nothing_is_written(
        app, people, data, message):
    client = signed_in(app, "hocvien")
    response = post(client, app, "/qa/ask", {**ASK, **data})
    assert response.status_code == 400
    assert message in page_text(response)
    assert count(app, Question) == 0 and count(app, Event) == 0


def test_hostile_markdown_is_rendered_safe(app, people):
    client = signed_in(app, "hocvien")
    body = ('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
            '[bấm vào](javascript:alert(3)) [[x|<b onmouseover=alert(4)>]]\n\n'
            '<a href="javascript:alert(5)">a</a>')
    response = post(client, app, "/qa/ask", {**ASK, "body": body, "title": "<b>x</b>\x00?"})
    assert response.status_code == 302
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    html = client.get(f"/qa/{qid}").get_data(as_text=True)
    thread = html.split('<article class="qa-thread">', 1)[1]
    tags = re.findall(r"<[a-z][^>]*>", thread, flags=re.I)
    assert not [t for t in tags if re.search(r"\son\w+\s*=|javascript:|^<script", t, re.I)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thread  # shown as text, harmless
    assert "&lt;b&gt;x&lt;/b&gt;?" in thread
    assert question(app, qid)["title"] == "<b>x</b>?"


def test_a_nul_byte_and_control_characters_never_reach_the_database(app, people):
    client = signed_in(app, "hocvien")
    response = post(client, app, "/qa/ask", {**ASK, "title": "Hỏi\x00 về\x07 PCI?",
                                             "body": "a\x00b"})
    assert response.status_code == 302
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    q = question(app, qid)
    assert (q["title"], q["body_md"]) == ("Hỏi về PCI?", "ab")


def test_an_official_calling_moderator_actions_gets_403_and_nothing_changes(app, people):
    qid = ask(app, people["hocvien"])
    client = signed_in(app, "hocvien")
    for action, data in [("claim", {}), ("answer", {"body": "Tự trả lời"}),
                         ("needs-info", {"body": "?"}), ("hide", {"reason": "x"}),
                         ("duplicate", {"original": "1"}), ("close", {}),
                         ("accept-on-behalf", {}), ("faq", {"documents": ""}),
                         ("assign", {"assignee": str(people["hocvien"])})]:
        response = post(client, app, f"/qa/{qid}/{action}", data)
        assert response.status_code == 403, action
        assert "Không có quyền truy cập" in page_text(response)
    for path in ("/qa/queue", "/qa/record", "/qa/routing", "/qa/templates"):
        assert client.get(path).status_code == 403
    assert question(app, qid)["state"] == "new" and len(events(app, qid)) == 1


def test_a_follow_up_or_acceptance_on_someone_elses_question_is_refused(app, people):
    qid = ask(app, people["hocvien"])
    post_id = run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    other = signed_in(app, "hocvien2")
    response = post(other, app, f"/qa/{qid}/reply", {"body": "Tôi hỏi thêm"})
    assert response.status_code == 403
    assert "Chỉ người đặt câu hỏi được hỏi thêm" in page_text(response)
    response = post(other, app, f"/qa/{qid}/accept", {"post_id": str(post_id)})
    assert response.status_code == 403
    assert "Chỉ người đặt câu hỏi được chấp nhận" in page_text(response)
    assert question(app, qid)["state"] == "answered" and len(posts(app, qid)) == 1


def test_missing_csrf_is_refused_and_nothing_is_written(app, people):
    client = signed_in(app, "hocvien")
    response = client.post("/qa/ask", data=ASK)
    assert response.status_code == 400 and "CSRF" in page_text(response)
    assert count(app, Question) == 0


def test_ids_past_the_column_range_are_404(app, people):
    client = signed_in(app, "giaidap")
    for path in (f"/qa/{2**31}", f"/api/v1/qa/{2**31}", f"/qa/{2**63}"):
        assert client.get(path).status_code == 404
    assert post(client, app, f"/qa/{2**31}/answer", {"body": "x"}).status_code == 404
    assert post(client, app, "/qa/987654321/answer", {"body": "x"}).status_code == 404


def test_a_moderator_answers_from_the_thread_and_the_asker_accepts(app, people):
    make_document(app)
    qid = ask(app, people["hocvien"])
    moderator = signed_in(app, "giaidap")
    assert "Nhận" in page_text(moderator.get("/qa/queue"))
    assert post(moderator, app, f"/qa/{qid}/claim").status_code == 302
    response = post(moderator, app, f"/qa/{qid}/answer",
                    {"body": "Theo [[4599/QĐ-UBND]], cán bộ làm công tác CCHC là …"})
    assert response.status_code == 302
    asker = signed_in(app, "hocvien")
    page = asker.get(f"/qa/{qid}")
    assert "Chấp nhận câu trả lời này" in page_text(page)
    post_id = re.search(r'name="post_id" value="(\d+)"', page.get_data(as_text=True)).group(1)
    assert post(asker, app, f"/qa/{qid}/accept", {"post_id": post_id}).status_code == 302
    assert question(app, qid)["state"] == "accepted"
    kb_page = page_text(asker.get("/kb/4599-qd-ubnd"))
    assert "Câu trả lời" in kb_page and "Cách chấm điểm tự đánh giá PAR-INDEX?" in kb_page


def test_a_second_answer_racing_the_first_gets_a_clear_message(app, people):
    qid = ask(app, people["hocvien"])
    first, second = signed_in(app, "giaidap"), signed_in(app, "giaidap2")
    assert post(first, app, f"/qa/{qid}/answer", {"body": "Trả lời 1"}).status_code == 302
    response = post(second, app, f"/qa/{qid}/answer", {"body": "Trả lời 2"})
    assert response.status_code == 400
    assert "Câu hỏi vừa được trả lời; hãy tải lại trang" in page_text(response)
    assert [p[1] for p in posts(app, qid)] == ["Trả lời 1"]


def test_the_queue_is_oldest_first_with_age_due_and_colour(app, people, clock):
    ask(app, people["hocvien"], "Câu hỏi cũ?")
    clock.advance(days=2)  # Wednesday 08:00
    new = ask(app, people["hocvien2"], "Câu hỏi mới?", topics=("PCI",))
    clock.advance(days=1, hours=8)  # Thursday 16:00: the old one has used 97 % of its time
    moderator = signed_in(app, "giaidap")
    html = moderator.get("/qa/queue").get_data(as_text=True)
    assert html.index("Câu hỏi cũ?") < html.index("Câu hỏi mới?")
    assert 'class="qa-row qa-near"' in html and "Sắp đến hạn" in html
    clock.advance(hours=2)  # Thursday 18:00: past due
    html = moderator.get("/qa/queue").get_data(as_text=True)
    assert 'class="qa-row qa-overdue"' in html and "Quá hạn" in html
    # After office hours no working time passes: overdue, by no measurable time yet.
    assert "quá hạn (hạn trả lời 05/03/2026)" in page_text(moderator.get("/qa/queue"))
    clock.advance(hours=16)  # Friday 10:00: 2.5 office hours of 9.5 past the due time
    assert "quá hạn 0,3 ngày làm việc" in page_text(moderator.get("/qa/queue"))
    only_pci = page_text(moderator.get("/qa/queue?topic=PCI"))
    assert "Câu hỏi mới?" in only_pci and "Câu hỏi cũ?" not in only_pci
    run(app, service.claim, new, people["giaidap2"])
    mine = page_text(moderator.get(f"/qa/queue?assignee={people['giaidap2']}"))
    assert "Câu hỏi mới?" in mine and "Câu hỏi cũ?" not in mine
    assert "Câu hỏi cũ?" in page_text(moderator.get("/qa/queue?assignee=none"))


def test_the_queue_filters_by_the_askers_unit_and_its_descendants(app, people):
    from helpers import make_unit, make_user

    make_unit(app, "XA2", "Xã khác", "commune", parent="SNV")
    outsider = make_user(app, "xa2", unit="XA2")
    ask(app, people["hocvien"], "Hỏi từ xã Mỹ Hòa Hưng?")
    ask(app, outsider, "Hỏi từ xã khác?")
    moderator = signed_in(app, "giaidap")
    from cchc_learn.extensions import db
    from cchc_learn.org.models import Unit

    with app.app_context():
        snv = db.session.scalar(db.select(Unit.id).where(Unit.code == "SNV"))
    text = page_text(moderator.get(f"/qa/queue?unit={snv}"))
    assert "Hỏi từ xã khác?" in text and "Mỹ Hòa Hưng?" not in text


def test_offline_questions_are_recorded_from_the_queue(app, people):
    moderator = signed_in(app, "giaidap")
    response = post(moderator, app, "/qa/record", {
        "asker": "hocvien", "channel": "class", "received_at": "07:45 02/03/2026",
        "title": "Hỏi tại lớp bồi dưỡng?", "topics": "TTHC", "visibility": "private"})
    assert response.status_code == 302
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    q = question(app, qid)
    assert (q["channel"], q["asker_id"]) == ("class", people["hocvien"])
    bad = post(moderator, app, "/qa/record", {"asker": "hocvien", "channel": "class",
                                              "received_at": "hôm qua", "title": "x?",
                                              "topics": "TTHC"})
    assert bad.status_code == 400
    assert "Thời điểm nhận: “hôm qua” không phải thời điểm" in page_text(bad)


def test_routing_rules_page(app, people):
    moderator = signed_in(app, "giaidap")
    response = post(moderator, app, "/qa/routing",
                    {"topic": "PCI", "moderator": str(people["giaidap2"]), "action": "add"})
    assert response.status_code == 302
    assert "Người giải đáp giaidap2" in page_text(moderator.get("/qa/routing"))
    bad = post(moderator, app, "/qa/routing",
               {"topic": "PCI", "moderator": str(people["hocvien"]), "action": "add"})
    assert "không phải người giải đáp" in page_text(bad)
    qid = ask(app, people["hocvien"], topics=("PCI",))
    assert question(app, qid)["assignee_id"] == people["giaidap2"]
    post(moderator, app, "/qa/routing",
         {"topic": "PCI", "moderator": str(people["giaidap2"]), "action": "remove"})
    with app.app_context():
        assert routing.rules() == []


def test_an_answer_is_edited_with_a_reason(app, people):
    qid = ask(app, people["hocvien"])
    post_id = run(app, service.answer, qid, people["giaidap"], "Bản đầu.")
    moderator = signed_in(app, "giaidap2")
    assert "Bản đầu." in moderator.get(f"/qa/posts/{post_id}/edit").get_data(as_text=True)
    no_reason = post(moderator, app, f"/qa/posts/{post_id}/edit", {"body": "Bản hai."})
    assert no_reason.status_code == 400 and "Lý do sửa: hãy ghi rõ lý do." in page_text(
        no_reason)
    assert post(moderator, app, f"/qa/posts/{post_id}/edit",
                {"body": "Bản hai.", "reason": "Cập nhật"}).status_code == 302
    history = page_text(moderator.get(f"/qa/{qid}"))
    assert "sửa câu trả lời" in history and "Cập nhật" in history
    assert count(app, Post) == 1


def test_posting_is_limited_per_account_not_per_address(app, people):
    app.config["QA_POST_RATE_LIMIT"] = "3 per minute"
    first, second = signed_in(app, "hocvien"), signed_in(app, "hocvien2")
    for n in range(3):
        assert post(first, app, "/qa/ask", {**ASK, "title": f"Hỏi {n}?"}).status_code == 302
    refused = post(first, app, "/qa/ask", {**ASK, "title": "Hỏi lần 4?"})
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in page_text(refused)
    # The same address, another account: still allowed.
    assert post(second, app, "/qa/ask", {**ASK, "title": "Tôi hỏi?"}).status_code == 302
    assert count(app, Question) == 4


def test_similar_questions_without_javascript(app, people):
    from qa_world import build_index

    make_document(app)
    qid = ask(app, people["hocvien2"], "Chấm điểm PAR-INDEX cấp xã thế nào?")
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    build_index(app)
    client = signed_in(app, "hocvien")
    response = post(client, app, "/qa/ask", {**ASK, "title": "chấm điểm PAR-INDEX theo QD 4599",
                                             "action": "similar"})
    assert response.status_code == 200
    text = page_text(response)
    assert "Chấm điểm PAR-INDEX cấp xã thế nào?" in text
    assert "Quyết định 4599/QĐ-UBND" in text
    assert count(app, Question) == 1


def test_the_home_page_says_what_to_do_next(app, people, clock):
    qid = ask(app, people["hocvien"])
    moderator = signed_in(app, "giaidap")
    text = page_text(moderator.get("/"))
    assert "Việc cần xử lý" in text and "Câu hỏi mới chưa có người nhận: 1" in text
    run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    asker = signed_in(app, "hocvien")
    assert ("Câu hỏi của tôi đã có câu trả lời: hãy chấp nhận hoặc hỏi thêm: 1"
            in page_text(asker.get("/")))
    ask(app, people["hocvien2"])
    clock.advance(days=5)
    assert "Câu hỏi đã quá hạn trả lời: 1" in page_text(moderator.get("/"))
