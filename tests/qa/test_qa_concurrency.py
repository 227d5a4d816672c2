"""Posting at the same moment: one answer or claim wins cleanly, every acknowledged post is kept."""

from __future__ import annotations

import threading

import pytest
from helpers import login, page_text, post
from qa_world import ask, build, events, posts, question

from cchc_learn.qa.models import Question


@pytest.fixture
def people(app, clock):
    return build(app)


def _signed_in(app, username: str):
    client = app.test_client()
    assert login(client, app, username).status_code == 302
    return client


def _at_once(calls) -> list:
    """Run the calls in threads released together; return their results in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call) -> None:
        start.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_moderators_answering_at_once_one_wins_the_other_is_told(app, people):
    qid = ask(app, people["hocvien"])
    clients = [_signed_in(app, "giaidap"), _signed_in(app, "giaidap2")]
    responses = _at_once([
        lambda c=c, n=n: post(c, app, f"/qa/{qid}/answer", {"body": f"Trả lời của {n}"})
        for n, c in enumerate(clients)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [302, 400]
    loser = next(r for r in responses if r.status_code == 400)
    assert "Câu hỏi vừa được trả lời; hãy tải lại trang" in page_text(loser)
    kept = posts(app, qid)
    assert len(kept) == 1 and kept[0][0] == "answer"
    assert question(app, qid)["state"] == "answered"
    assert [e[0] for e in events(app, qid)] == ["ask", "answer"]


def test_two_moderators_claiming_at_once_one_gets_it(app, people):
    qid = ask(app, people["hocvien"])
    clients = [_signed_in(app, "giaidap"), _signed_in(app, "giaidap2")]
    responses = _at_once([lambda c=c: post(c, app, f"/qa/{qid}/claim") for c in clients])
    assert sorted(r.status_code for r in responses) == [302, 400]
    loser = next(r for r in responses if r.status_code == 400)
    assert "nhận giải đáp; nếu cần, hãy phân công lại" in page_text(loser)
    q = question(app, qid)
    assert q["state"] == "assigned" and q["assignee_id"] in (people["giaidap"],
                                                             people["giaidap2"])
    assert [e[0] for e in events(app, qid)] == ["ask", "claim"]


def test_every_acknowledged_question_and_follow_up_is_stored(app, people):
    qid = ask(app, people["hocvien"])
    askers = [_signed_in(app, "hocvien") for _ in range(3)] + [
        _signed_in(app, "hocvien2") for _ in range(3)]
    calls = [lambda c=c, i=i: post(c, app, "/qa/ask", {
        "title": f"Câu hỏi đồng thời {i}?", "topics": "TTHC", "visibility": "public"})
        for i, c in enumerate(askers)]
    # A client per request: one browser sends one form at a time.
    repliers = [_signed_in(app, "hocvien") for _ in range(3)]
    calls += [lambda c=c, i=i: post(c, app, f"/qa/{qid}/reply", {"body": f"Hỏi thêm {i}"})
              for i, c in enumerate(repliers)]
    responses = _at_once(calls)
    assert [r.status_code for r in responses] == [302] * len(calls)
    from qa_world import read

    from cchc_learn.extensions import db

    titles = read(app, lambda: set(db.session.scalars(db.select(Question.title))))
    assert {f"Câu hỏi đồng thời {i}?" for i in range(6)} <= titles
    assert sorted(p[1] for p in posts(app, qid)) == [f"Hỏi thêm {i}" for i in range(3)]
