"""The JSON API, suggestions while typing, and what search shows to whom."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from helpers import login
from qa_world import ask, build, build_index, catch_up, make_document, run

from cchc_learn.qa import faq, moderation, service


@pytest.fixture
def people(app, clock):
    return build(app)


def signed_in(app, username: str):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def test_the_question_api_has_the_contract_fields_with_offsets(app, people):
    qid = ask(app, people["hocvien"])
    post_id = run(app, service.answer, qid, people["giaidap"], "Trả lời.")
    run(app, service.accept, qid, people["hocvien"], post_id)
    data = signed_in(app, "hocvien2").get(f"/api/v1/qa/{qid}").get_json()
    assert set(data) == {"id", "title", "state", "visibility", "asked_at", "due_at",
                         "duplicate_of", "faq", "answers"}
    assert (data["id"], data["state"], data["visibility"], data["faq"]) == (
        qid, "accepted", "public", False)
    assert data["asked_at"] == "2026-03-02T01:00:00+00:00"
    assert data["due_at"] == "2026-03-05T10:00:00+00:00"
    assert datetime.fromisoformat(data["asked_at"]).utcoffset() is not None
    assert data["answers"] == [{"id": post_id, "accepted": True,
                                "at": "2026-03-02T01:00:00+00:00"}]
    assert data["duplicate_of"] is None


def test_the_api_says_404_for_what_the_caller_may_not_read(app, people):
    private = ask(app, people["hocvien"], visibility="private")
    hidden = ask(app, people["hocvien"])
    run(app, moderation.hide, hidden, people["giaidap"], "Vi phạm")
    other = signed_in(app, "hocvien2")
    for qid in (private, hidden, 987654321):
        response = other.get(f"/api/v1/qa/{qid}")
        assert response.status_code == 404 and "error" in response.get_json()
    assert signed_in(app, "hocvien").get(f"/api/v1/qa/{hidden}").get_json()["state"] == "hidden"
    assert signed_in(app, "giaidap").get(f"/api/v1/qa/{private}").status_code == 200
    assert app.test_client().get(f"/api/v1/qa/{private}").status_code == 401


def test_duplicate_of_is_given_in_the_api(app, people):
    original = ask(app, people["hocvien2"])
    qid = ask(app, people["hocvien"])
    run(app, moderation.mark_duplicate, qid, people["giaidap"], original)
    data = signed_in(app, "hocvien").get(f"/api/v1/qa/{qid}").get_json()
    assert (data["state"], data["duplicate_of"], data["due_at"]) == ("duplicate", original, None)


def _world(app, people) -> dict[str, int]:
    """Questions in every visibility and state, the index built."""
    make_document(app)
    make_document(app, "76/NQ-CP", summary="Chương trình tổng thể cải cách hành chính",
                  doc_type="Nghị quyết")
    ids = {
        "answered": ask(app, people["hocvien"], "Cách chấm điểm PAR-INDEX cấp tỉnh?"),
        "open": ask(app, people["hocvien"], "Chấm điểm PAR-INDEX cấp huyện chưa trả lời?"),
        "private": ask(app, people["hocvien"], "Chấm điểm PAR-INDEX riêng tư?",
                       visibility="private"),
        "hidden": ask(app, people["hocvien"], "Chấm điểm PAR-INDEX bị ẩn?"),
        "faq": ask(app, people["hocvien"], "Chấm điểm PAR-INDEX thường gặp?",
                   visibility="private"),
    }
    for name in ("answered", "private", "hidden", "faq"):
        run(app, service.answer, ids[name], people["giaidap"], "Trả lời về chấm điểm.")
    run(app, moderation.hide, ids["hidden"], people["giaidap"], "Vi phạm")
    run(app, faq.promote_to_faq, ids["faq"], people["giaidap"], date(2026, 3, 1), [])
    build_index(app)
    return ids


def test_suggestions_show_answered_public_questions_faq_and_documents_only(app, people):
    ids = _world(app, people)
    client = signed_in(app, "hocvien2")
    results = client.get("/api/v1/qa/similar?q=chấm điểm PAR-INDEX").get_json()["results"]
    found = {(r["kind"], r["id"]) for r in results}
    assert ("question", ids["answered"]) in found and ("faq", ids["faq"]) in found
    for name in ("open", "private", "hidden"):
        assert all(r["id"] != ids[name] for r in results if r["kind"] != "document"), name
    assert all(set(r) == {"kind", "id", "title", "url"} for r in results)
    faq_hit = next(r for r in results if r["kind"] == "faq")
    assert faq_hit["url"] == f"/qa/{ids['faq']}"


@pytest.mark.parametrize("typed", ["4599", "QD 4599", "hỏi về Quyết định 4599/QĐ-UBND",
                                   "4599/qd-ubnd có hiệu lực?"])
def test_a_document_number_in_the_title_finds_the_document_first(app, people, typed):
    _world(app, people)
    results = signed_in(app, "hocvien2").get(f"/api/v1/qa/similar?q={typed}").get_json()[
        "results"]
    assert results[0]["kind"] == "document"
    assert results[0]["url"] == "/kb/4599-qd-ubnd"
    assert results[0]["title"].startswith("Quyết định 4599/QĐ-UBND")


def test_odd_suggestion_queries_give_an_empty_list_never_an_error(app, people):
    _world(app, people)
    client = signed_in(app, "hocvien2")
    for q in ("", "a", "\"((", "x" * 5000, "2025", "AND OR NOT", "%00"):
        response = client.get("/api/v1/qa/similar", query_string={"q": q})
        assert response.status_code == 200 and isinstance(response.get_json()["results"], list)


def test_search_finds_faq_and_answered_public_questions_for_everyone(app, people):
    ids = _world(app, people)
    client = signed_in(app, "hocvien2")
    data = client.get("/api/v1/search?q=chấm điểm PAR-INDEX&kind=question").get_json()
    found = {r["id"] for r in data["results"]}
    assert found == {ids["answered"], ids["faq"]}
    moderator = signed_in(app, "giaidap")
    found = {r["id"] for r in moderator.get(
        "/api/v1/search?q=chấm điểm PAR-INDEX&kind=question").get_json()["results"]}
    assert found == {ids["answered"], ids["faq"]}


def test_search_follows_changes_through_the_change_log(app, people):
    ids = _world(app, people)
    client = signed_in(app, "hocvien2")

    def found() -> set[int]:
        catch_up(app)
        return {r["id"] for r in client.get(
            "/api/v1/search?q=chấm điểm PAR-INDEX&kind=question").get_json()["results"]}

    run(app, moderation.hide, ids["answered"], people["giaidap"], "Sai nội dung")
    assert found() == {ids["faq"]}
    run(app, faq.remove_from_faq, ids["faq"], people["giaidap"])
    assert found() == set()
    run(app, service.answer, ids["open"], people["giaidap"], "Trả lời muộn.")
    assert found() == {ids["open"]}
