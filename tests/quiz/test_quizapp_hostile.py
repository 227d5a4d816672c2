"""Hostile answers: unknown ids, huge texts, items not in the attempt, words for numbers, HTML."""

from __future__ import annotations

import unicodedata

import pytest
from helpers import csrf_token, login, make_user, page_text, post
from quizapp_support import answer_form, attempt_row, make_bank, make_quiz, rows, snapshot, start


@pytest.fixture
def attempt(app, client, clock):
    make_bank(app)
    make_quiz(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    attempt_id = start(client, app)
    return attempt_id, {r["key"]: r for r in rows(app, attempt_id)}


def autosave(client, app, attempt_id, form):
    return client.post(
        f"/quizzes/attempts/{attempt_id}/autosave",
        data=form,
        headers={"X-CSRFToken": csrf_token(client, app)},
    )


def saved(app, attempt_id) -> dict:
    return {r["key"]: r["response"] for r in rows(app, attempt_id)}


def test_unknown_option_ids_are_ignored_and_reported(app, client, attempt):
    attempt_id, items = attempt
    single, multi = items["q-single"], items["q-multi"]
    good = multi["layout"]["options"][0][0]
    other_item_id = single["layout"]["options"][0][0]
    form = {
        f"q{single['position']}": "o00000000",
        f"q{multi['position']}": [good, "1", other_item_id, "<script>"],
        f"q{items['q-tf']['position']}": "maybe",
    }
    response = autosave(client, app, attempt_id, form)
    assert response.status_code == 200
    problems = response.json["problems"]
    assert f"Câu {single['position']}: lựa chọn không hợp lệ đã bị bỏ qua." in problems
    assert f"Câu {multi['position']}: lựa chọn không hợp lệ đã bị bỏ qua." in problems
    answers = saved(app, attempt_id)
    assert answers["q-single"] is None and answers["q-multi"] == [good] and answers["q-tf"] is None


def test_matching_rights_from_elsewhere_are_ignored(app, client, attempt):
    attempt_id, items = attempt
    match = items["q-match"]
    left = match["layout"]["lefts"][0][0]
    foreign = items["q-single"]["layout"]["options"][0][0]
    form = {f"q{match['position']}-{left}": foreign, f"q{match['position']}-ozzzzzzzz": "x"}
    assert autosave(client, app, attempt_id, form).json["problems"]
    assert saved(app, attempt_id)["q-match"] is None


def test_a_huge_answer_is_refused_and_the_previous_one_kept(app, client, attempt):
    attempt_id, items = attempt
    short, number = items["q-short"], items["q-num"]
    autosave(client, app, attempt_id, {f"q{short['position']}": "PAR-INDEX"})
    response = autosave(
        client,
        app,
        attempt_id,
        {f"q{short['position']}": "A" * 5000, f"q{number['position']}": "9" * 500},
    )
    assert response.status_code == 200
    assert (
        f"Câu {short['position']}: câu trả lời dài quá 2.000 ký tự nên không được lưu."
        in (response.json["problems"])
    )
    assert (
        f"Câu {number['position']}: câu trả lời dài quá 100 ký tự nên không được lưu."
        in (response.json["problems"])
    )
    assert saved(app, attempt_id)["q-short"] == "PAR-INDEX"
    assert saved(app, attempt_id)["q-num"] is None


def test_fields_for_items_not_in_the_attempt_change_nothing(app, client, attempt):
    attempt_id, items = attempt
    before = snapshot(app)
    form = {"q0": "x", "q7": "x", "q99": "x", "q-1": "x", "qq": "x", "q1.5": "x", "csrf": "x"}
    form.update(answer_form(list(items.values())))
    for row in items.values():
        form.pop(f"q{row['position']}", None)
        for key in [k for k in form if k.startswith(f"q{row['position']}-")]:
            form.pop(key)
    response = autosave(client, app, attempt_id, form)
    assert response.status_code == 200 and response.json["problems"] == []
    after = snapshot(app)
    changed = [name for name in before if before[name] != after[name]]
    # Only the save time moved: no answer was stored, no row added.
    assert changed == ["quiz_attempt"]
    assert all(value is None for value in saved(app, attempt_id).values())


def test_numbers_written_as_words_are_kept_but_earn_nothing(app, client, attempt):
    attempt_id, items = attempt
    field = f"q{items['q-num']['position']}"
    response = autosave(client, app, attempt_id, {field: "năm mươi tám"})
    assert (
        f"Câu {items['q-num']['position']}: 'năm mươi tám' không phải là một số."
        in (response.json["problems"])
    )
    words = {field: "năm mươi tám", "action": "submit"}
    post(client, app, f"/quizzes/attempts/{attempt_id}", words)
    assert saved(app, attempt_id)["q-num"] == "năm mươi tám"
    assert attempt_row(app, attempt_id).score == 0.0
    second = start(client, app)
    number = {r["key"]: r for r in rows(app, second)}["q-num"]
    form = {f"q{number['position']}": "58,0", "action": "submit"}
    post(client, app, f"/quizzes/attempts/{second}", form)
    assert attempt_row(app, second).score == 1.0


def test_html_in_a_short_answer_is_shown_escaped(app, client, attempt):
    attempt_id, items = attempt
    short = items["q-short"]
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    autosave(client, app, attempt_id, {f"q{short['position']}": attack})
    page = client.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)" in page
    post(client, app, f"/quizzes/attempts/{attempt_id}", {"action": "submit", "q0": attack})
    result = client.get(f"/quizzes/attempts/{attempt_id}/result")
    html = result.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "Bạn trả lời: chưa trả lời" in page_text(result)


def test_a_submitted_html_answer_is_escaped_on_the_result_page(app, client, attempt):
    attempt_id, items = attempt
    short = items["q-short"]
    attack = "<b>PAR-INDEX</b>"
    form = {f"q{short['position']}": attack, "action": "submit"}
    post(client, app, f"/quizzes/attempts/{attempt_id}", form)
    html = client.get(f"/quizzes/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "&lt;b&gt;PAR-INDEX&lt;/b&gt;" in html and "<b>PAR-INDEX</b>" not in html
    assert attempt_row(app, attempt_id).score == 0.0


def test_decomposed_unicode_answers_are_stored_composed(app, client, attempt):
    attempt_id, items = attempt
    short = items["q-short"]
    typed = unicodedata.normalize("NFD", "  Hà Nội  ")
    autosave(client, app, attempt_id, {f"q{short['position']}": typed})
    assert saved(app, attempt_id)["q-short"] == "Hà Nội"


def test_an_empty_or_odd_body_does_not_break_the_autosave(app, client, attempt):
    attempt_id, _items = attempt
    response = client.post(
        f"/quizzes/attempts/{attempt_id}/autosave",
        data=b"\xff\xfe{not json",
        headers={"X-CSRFToken": csrf_token(client, app), "Content-Type": "application/json"},
    )
    assert response.status_code == 200 and response.json["saved"] is True
    assert client.get("/quizzes/attempts/999999999").status_code == 404
    assert client.get("/quizzes/attempts/-1").status_code == 404
