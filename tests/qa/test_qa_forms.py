"""The pages' own forms, sent as a browser without JavaScript sends them."""

from __future__ import annotations

import pytest
from helpers import login, page_text
from qa_world import build, build_index, catch_up, events, make_document, question, run, submit

from cchc_learn.qa import answer_templates, service


@pytest.fixture
def people(app, clock):
    return build(app)


def signed_in(app, username: str):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def test_ask_answer_accept_promote_and_find_through_the_forms(app, people):
    make_document(app)
    run(app, answer_templates.save, people["giaidap"], None, "Mẫu cán bộ CCHC", ["Công vụ"],
        "Theo [[4599/QĐ-UBND]], …")
    build_index(app)
    asker = signed_in(app, "hocvien")
    page = asker.get("/qa/ask")
    response = submit(asker, page, "/qa/ask", title="Ai là cán bộ làm công tác CCHC?",
                      topics="Công vụ", visibility="private", action="ask")
    assert response.status_code == 302, page_text(response)
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    assert question(app, qid)["visibility"] == "private"

    moderator = signed_in(app, "giaidap")
    thread = moderator.get(f"/qa/{qid}")
    assert submit(moderator, thread, f"/qa/{qid}/claim").status_code == 302
    slug = "mau-can-bo-cchc"
    with_template = moderator.get(f"/qa/{qid}?template={slug}")
    response = submit(moderator, with_template, f"/qa/{qid}/answer")
    assert response.status_code == 302
    assert question(app, qid)["state"] == "answered"

    thread = asker.get(f"/qa/{qid}")
    assert submit(asker, thread, f"/qa/{qid}/accept").status_code == 302
    assert question(app, qid)["state"] == "accepted"

    thread = moderator.get(f"/qa/{qid}")
    assert submit(moderator, thread, f"/qa/{qid}/faq", valid_as_of="02/03/2026").status_code == 302
    assert question(app, qid)["faq"] is True
    catch_up(app)
    other = signed_in(app, "hocvien2")
    found = page_text(other.get("/search?q=cán bộ làm công tác CCHC"))
    assert "Ai là cán bộ làm công tác CCHC?" in found
    assert [e[0] for e in events(app, qid)] == ["ask", "claim", "answer", "accept", "promote"]


def test_needs_info_reply_duplicate_and_hide_through_the_forms(app, people):
    asker = signed_in(app, "hocvien")
    response = submit(asker, asker.get("/qa/ask"), "/qa/ask", title="Hỏi về PCI?",
                      topics="PCI", action="ask")
    qid = int(response.headers["Location"].rsplit("/", 1)[1])
    moderator = signed_in(app, "giaidap")
    response = submit(moderator, moderator.get(f"/qa/{qid}"), f"/qa/{qid}/needs-info",
                      body="Đơn vị nào?")
    assert response.status_code == 302 and question(app, qid)["state"] == "needs_info"
    response = submit(asker, asker.get(f"/qa/{qid}"), f"/qa/{qid}/reply", body="Cấp xã.")
    assert response.status_code == 302 and question(app, qid)["state"] == "assigned"

    response = submit(asker, asker.get("/qa/ask"), "/qa/ask", title="Hỏi lại về PCI?",
                      topics="PCI", action="ask")
    dup = int(response.headers["Location"].rsplit("/", 1)[1])
    response = submit(moderator, moderator.get(f"/qa/{dup}"), f"/qa/{dup}/duplicate",
                      original=str(qid))
    assert response.status_code == 302 and question(app, dup)["duplicate_of_id"] == qid
    assert f'href="/qa/{qid}"' in asker.get(f"/qa/{dup}").get_data(as_text=True)

    refused = submit(moderator, moderator.get(f"/qa/{qid}"), f"/qa/{qid}/hide")
    assert refused.status_code == 400 and "Lý do ẩn: hãy ghi rõ lý do." in page_text(refused)
    response = submit(moderator, moderator.get(f"/qa/{qid}"), f"/qa/{qid}/hide",
                      reason="Quảng cáo")
    assert response.status_code == 302 and question(app, qid)["state"] == "hidden"


def test_the_asker_edits_and_a_moderator_reassigns_through_the_forms(app, people):
    qid = run(app, service.ask, people["hocvien"], "Hỏi về TTHC?", "", ["TTHC"])
    asker = signed_in(app, "hocvien")
    response = submit(asker, asker.get(f"/qa/{qid}?edit=1"), f"/qa/{qid}/edit",
                      title="Hỏi về TTHC cấp xã?")
    assert response.status_code == 302
    assert question(app, qid)["title"] == "Hỏi về TTHC cấp xã?"
    assert question(app, qid)["topics"] == ["TTHC"]
    moderator = signed_in(app, "giaidap")
    response = submit(moderator, moderator.get(f"/qa/{qid}"), f"/qa/{qid}/assign",
                      assignee=str(people["giaidap2"]))
    assert response.status_code == 302
    assert question(app, qid)["assignee_id"] == people["giaidap2"]
