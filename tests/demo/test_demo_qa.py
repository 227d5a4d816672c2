"""The demo's Q&A questions: the data file is sound, and quickstart loads it once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import login, page_text
from sqlalchemy import func, select

from cchc_learn.demo import qa_demo
from cchc_learn.demo.data import OFFICIAL_COUNT, STAFF
from cchc_learn.extensions import db
from cchc_learn.markup.doclinks import normalize_doc_number
from cchc_learn.notify.models import Notification
from cchc_learn.qa.models import Event, Faq, FaqDocument, Post, Question, RoutingRule
from cchc_learn.qa.settings import DEFAULTS

REPO = Path(__file__).resolve().parents[2]
DATA = qa_demo.read_data()
QUESTIONS = DATA["questions"]
LINK = re.compile(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]")


def document_files() -> dict[str, Path]:
    """The demo knowledge base's files by document number."""
    found = {}
    for path in (REPO / "content" / "documents").glob("*.md"):
        number = re.search(r"^number: (.+)$", path.read_text(encoding="utf-8"), re.M)
        found[normalize_doc_number(number.group(1).strip().strip('"'))] = path
    return found


def cited(question: dict) -> set[str]:
    texts = [question.get("answer", {}).get("body", ""), question.get("body", "")]
    numbers = {normalize_doc_number(n) for text in texts for n in LINK.findall(text)}
    return numbers | {normalize_doc_number(n) for n in question.get("faq") or []}


# --- the data file ----------------------------------------------------------------------------


def test_the_data_file_is_about_forty_questions_a_dozen_in_the_faq():
    keys = [q["key"] for q in QUESTIONS]
    assert len(keys) == len(set(keys)) and 38 <= len(keys) <= 45
    assert sum(1 for q in QUESTIONS if q.get("faq") is not None) == 12
    answered = [q for q in QUESTIONS if q.get("answer")]
    waiting = [q for q in QUESTIONS if not q.get("answer") and not q.get("duplicate_of")]
    assert len(answered) >= 25 and len(waiting) >= 8
    assert any(q.get("needs_info") for q in waiting)
    assert {q.get("channel") for q in QUESTIONS} >= {None, "phone", "paper", "class"}
    assert {q.get("visibility", "public") for q in QUESTIONS} == {"public", "private"}


def test_every_question_names_demo_accounts_known_topics_and_cited_documents():
    accounts = {username for username, *_ in STAFF} | {
        f"cb{i:03d}" for i in range(1, OFFICIAL_COUNT + 1)}
    moderators = {username for username, _, roles, *_ in STAFF if "moderator" in roles}
    assert set(DATA["routing"]) <= moderators
    topics = set(DEFAULTS["QA_TOPICS"])
    documents = document_files()
    keys = {q["key"] for q in QUESTIONS}
    for question in QUESTIONS:
        assert question["asker"] in accounts, question["key"]
        assert set(question["topics"]) <= topics, question["key"]
        assert question.get("recorded_by", "giaidap") in moderators, question["key"]
        assert cited(question) <= set(documents), (question["key"], cited(question) - set(
            documents))
        assert question.get("duplicate_of") in keys | {None}
    for wanted in DATA["routing"].values():
        assert set(wanted) <= topics


# --- quickstart -------------------------------------------------------------------------------


def quickstart(runner) -> str:
    result = runner.invoke(args=["quickstart", "--no-serve"])
    assert result.exit_code == 0, result.output
    return result.output


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Question, Post, Event, Faq, FaqDocument, RoutingRule,
                              Notification)}


def test_quickstart_loads_the_questions_once_and_the_queue_shows_due_and_overdue(
    app, runner, tmp_path
):
    # The documents the questions cite (and those these cite), from the checkout's content.
    folder = tmp_path / "content" / "documents"
    folder.mkdir(parents=True)
    files = document_files()
    wanted, copied = set().union(*(cited(q) for q in QUESTIONS)), set()
    while wanted - copied:
        number = sorted(wanted - copied)[0]
        copied.add(number)
        shutil.copy(files[number], folder / files[number].name)
        text = files[number].read_text(encoding="utf-8")
        wanted |= {normalize_doc_number(n) for n in LINK.findall(text)}

    first = quickstart(runner)
    assert f"Đã thêm {len(QUESTIONS)} câu hỏi mẫu (0 câu đã có từ trước)." in first
    printed = dict(re.findall(r"^  (\S+)\s+(\S+)$", first, re.M))
    loaded = counts(app)
    assert loaded["Question"] == len(QUESTIONS) and loaded["Faq"] == 12
    assert loaded["FaqDocument"] >= 12 and loaded["RoutingRule"] >= 10

    moderator = app.test_client()
    assert login(moderator, app, "giaidap", printed["giaidap"]).status_code == 302
    queue = moderator.get("/qa/queue")
    html = queue.get_data(as_text=True)
    rows = re.findall(r'<tr class="qa-row qa-(\w+)">', html)
    assert rows.count("overdue") >= 3, rows
    assert {"ok", "near"} & set(rows), rows
    text = page_text(queue)
    assert "Quá hạn" in text and "hạn trả lời" in text
    assert "Xã mới sau sắp xếp tự đánh giá chỉ số CCHC năm 2025" in text

    official = app.test_client()
    assert login(official, app, "hocvien", printed["hocvien"]).status_code == 302
    faq = page_text(official.get("/qa/faq"))
    assert "cán bộ làm công tác CCHC" in faq and "Nghị định 118/2025/NĐ-CP thay đổi gì" in faq
    assert "4599/QĐ-UBND" in faq
    home = page_text(official.get("/"))
    assert "Câu hỏi của tôi đã có câu trả lời" in home
    assert "Câu hỏi của tôi cần bổ sung thông tin" in home
    found = official.get("/api/v1/search", query_string={"q": "cán bộ làm công tác CCHC"})
    assert "question" in {hit["kind"] for hit in found.get_json()["results"]}

    second = quickstart(runner)
    assert f"Đã thêm 0 câu hỏi mẫu ({len(QUESTIONS)} câu đã có từ trước)." in second
    assert counts(app) == loaded


def test_the_questions_are_skipped_without_the_demo_accounts(app):
    with app.app_context():
        from cchc_learn.database import declare_write

        declare_write()
        loaded = qa_demo.load()
        declare_write(False)
    assert loaded.added == 0 and len(loaded.skipped) == len(QUESTIONS)
    assert counts(app)["Question"] == 0
