"""Who may see and post what: own attempts only, trainer pages, CSRF, and no answer key leaks."""

from __future__ import annotations

import re

from helpers import csrf_token, login, make_user, page_text, post
from quizapp_support import answer_form, attempt_row, make_bank, make_quiz, rows, snapshot, start

from cchc_learn.access import rule_for
from cchc_learn.database import declare_write
from cchc_learn.lessons import authoring


def test_an_official_can_neither_see_nor_post_to_anothers_attempt(app, client):
    make_bank(app)
    make_quiz(app)
    make_user(app, "chubai")
    make_user(app, "nguoikhac")
    owner = app.test_client()
    login(owner, app, "chubai")
    attempt_id = start(owner, app)
    items = rows(app, attempt_id)
    login(client, app, "nguoikhac")
    before = snapshot(app)
    base = f"/quizzes/attempts/{attempt_id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/result").status_code == 404
    form = answer_form(items)
    assert post(client, app, base, dict(form, action="submit")).status_code == 404
    assert post(client, app, f"{base}/autosave", form).status_code == 404
    assert snapshot(app) == before
    assert attempt_row(app, attempt_id).status == "open"
    # The owner still has it, untouched.
    assert owner.get(base).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    make_bank(app)
    make_quiz(app)
    response = client.get("/quizzes/kiem-tra-thu")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=")
    start_post = post(client, app, "/quizzes/kiem-tra-thu/start")
    assert start_post.status_code == 302 and start_post.location.startswith("/auth/login")


def quiz_routes(app, method: str) -> list:
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("quiz.") and method in (r.methods or set())
    ]


def fill(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", str(value), path)
    assert "<" not in path, path
    return path


def sample_values(app) -> dict:
    make_bank(app)
    make_quiz(app)
    trainer_id = make_user(app, "giangvien", roles=("trainer",))
    with app.app_context():
        from cchc_learn.extensions import db
        from cchc_learn.quiz.banks import imports
        from cchc_learn.quiz.models import BankItem

        item_id = db.session.scalar(db.select(BankItem.id))
        declare_write()
        # A preview kept for giangvien, so the preview page has something to show.
        kept = imports.preview_upload(
            "## Câu mới?\n= Đúng\n".encode(), "moi.md", "thu-nghiem-moi", "", trainer_id
        )
        declare_write(False)
    return {
        "bank_slug": "thu-nghiem",
        "quiz_slug": "kiem-tra-thu",
        "item_id": item_id,
        "import_token": kept.token,
        "attempt_id": 1,
    }


def test_officials_are_refused_every_trainer_page(app, client):
    values = sample_values(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    trainer_routes = [
        r
        for r in quiz_routes(app, "GET") + quiz_routes(app, "POST")
        if rule_for(app.view_functions[r.endpoint]).roles
    ]
    assert len({r.endpoint for r in trainer_routes}) >= 12
    before = snapshot(app)
    for rule in trainer_routes:
        path = fill(rule, values)
        if "GET" in rule.methods:
            response = client.get(path)
        else:
            response = post(client, app, path, {"text": "## Câu?\n= 1", "slug": "x"})
        assert response.status_code == 403, (rule.rule, response.status_code)
        assert "Không có quyền truy cập" in page_text(response)
    assert snapshot(app) == before
    trainer = app.test_client()
    login(trainer, app, "giangvien")
    for rule in trainer_routes:
        if "GET" in rule.methods:
            assert trainer.get(fill(rule, values)).status_code == 200, rule.rule


def test_every_quiz_post_needs_a_csrf_token(app, client):
    values = sample_values(app)
    make_user(app, "toanquyen", roles=("official", "trainer", "admin"))
    login(client, app, "toanquyen")
    values["attempt_id"] = start(client, app)
    before = snapshot(app)
    posts = quiz_routes(app, "POST")
    assert len(posts) >= 10
    for rule in posts:
        path = fill(rule, values)
        for token in (None, "gia-mao", ""):
            data = {"action": "submit", "text": "## Câu hỏi?\n= 1", "slug": "moi", "title": "T"}
            if token is not None:
                data["csrf_token"] = token
            response = client.post(path, data=data, headers={"X-CSRFToken": token or ""})
            assert response.status_code == 400, (rule.rule, token, response.status_code)
            assert "CSRF" in page_text(response)
    assert snapshot(app) == before
    # The same autosave with the session's token in the header is accepted.
    ok = client.post(
        f"/quizzes/attempts/{values['attempt_id']}/autosave",
        data={},
        headers={"X-CSRFToken": csrf_token(client, app)},
    )
    assert ok.status_code == 200 and ok.json["saved"] is True


def test_the_attempt_page_never_tells_which_option_is_right(app, client, clock):
    # A fixed clock: the page shows the deadline's time, which must not contain "58" by chance.
    make_bank(app)
    make_quiz(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    attempt_id = start(client, app)
    response = client.get(f"/quizzes/attempts/{attempt_id}")
    html = response.get_data(as_text=True)
    text = page_text(response)
    for secret in ("Hà Nội là thủ đô", "Đúng vậy", "Không phải", "PAR-INDEX và SIPAS", "PAR INDEX"):
        assert secret not in html, secret
    for word in ("weight", "feedback", "correct", "explanation", "100%", "answer"):
        assert word not in html.lower(), word
    assert "58" not in text
    # Options are named by ids that carry no position: none of the authored keys appear.
    for row in rows(app, attempt_id):
        for oid, _key in row["layout"].get("options", []):
            assert oid in ("true", "false") or re.fullmatch(r"o[0-9a-f]{8}", oid)
    values = re.findall(r'type="(?:radio|checkbox)" name="q\d+" value="([^"]*)"', html)
    values += re.findall(r'<option value="([^"]+)"', html)
    opaque = re.compile(r"o[0-9a-f]{8}")
    assert values and all(v in ("true", "false") or opaque.fullmatch(v) for v in values)
    autosaved = client.post(
        f"/quizzes/attempts/{attempt_id}/autosave",
        data=answer_form(rows(app, attempt_id)),
        headers={"X-CSRFToken": csrf_token(client, app)},
    )
    assert set(autosaved.json) == {"saved", "saved_at", "problems"}


def test_the_quiz_page_names_its_module_by_title(app, client):
    make_bank(app)
    with app.app_context():
        declare_write()
        module = authoring.ModuleInput(
            title="Chỉ số đánh giá CCHC",
            summary="PAR-INDEX và SIPAS.",
            topics=[],
            order=1,
            audience=[],
            published=True,
            body="",
            slug="chi-so-danh-gia",
        )
        authoring.create_module(module, None)
    make_quiz(app, module="chi-so-danh-gia")
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    page = client.get("/quizzes/kiem-tra-thu")
    assert "Chuyên đề Chỉ số đánh giá CCHC" in page_text(page)
    assert 'href="/modules/chi-so-danh-gia/"' in page.get_data(as_text=True)
    assert "chi-so-danh-gia" not in page_text(page)
