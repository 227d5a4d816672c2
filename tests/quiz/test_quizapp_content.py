"""Banks and quizzes from content/: every problem as path:line, and an idempotent sync."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp_support import make_bank
from sqlalchemy import select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.loader import load_documents
from cchc_learn.quiz.content import load_quiz_content, sync_quiz_content
from cchc_learn.quiz.models import Bank, BankItem, Quiz
from cchc_learn.textnorm import number_key

REPO = Path(__file__).resolve().parents[2]

BANK = """---
bank: mau
title: Ngân hàng mẫu
topic: A
---
## Câu một về [[76/NQ-CP]]?
{id=m1 ref=doc:76/NQ-CP}
- [x] Có
- [ ] Không

## Câu hai?
{id=m2 ref=lesson:tong-quan/gioi-thieu}
= Đúng

## Câu ba?
{id=m3 topic=B}
= 42
"""

QUIZ = """---
title: Kiểm tra mẫu
module: tong-quan
draw:
  - bank: mau
    count: 2
    topic: A
  - bank: mau
    count: 1
time_limit: 5
attempts: 1
pass_mark: 60
review: after_close
shuffle_questions: false
closes: 2026-12-31
---
Giới thiệu bài **mẫu**.
"""


def docs(number: str) -> bool:
    return number_key(number) == number_key("76/NQ-CP")


def lessons(module: str, lesson: str) -> bool:
    return (module, lesson) == ("tong-quan", "gioi-thieu")


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "content"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def load(root: Path):
    return load_quiz_content(root, doc_exists=docs, lesson_exists=lessons)


def sync(app, root: Path) -> dict:
    with app.app_context():
        declare_write()
        content = load(root)
        assert content.problems == []
        summary = sync_quiz_content(content)
        db.session.commit()
        return {k: (v.added, v.updated, v.unchanged, v.archived) for k, v in summary.items()}


def test_the_demo_content_is_clean_against_its_documents_and_lessons(app):
    root = REPO / "content"
    documents, _ = load_documents(root)
    numbers = {doc.key for doc in documents}

    def lesson_file(module: str, lesson: str) -> bool:
        folder = root / "modules" / module
        return any(re.fullmatch(rf"\d+-{re.escape(lesson)}\.md", p.name) for p in folder.glob("*"))

    with app.app_context():
        content = load_quiz_content(
            root, doc_exists=lambda n: number_key(n) in numbers, lesson_exists=lesson_file
        )
    assert content.problems == []
    assert (len(content.banks), content.item_count, len(content.quizzes)) == (6, 127, 7)
    final = next(q for q in content.quizzes if q.slug == "kiem-tra-tong-hop")
    assert sum(d.count for d in final.draws) == 20 and final.review == "after_close"


def test_a_clean_tree_loads_and_syncs_idempotently(app, tmp_path):
    root = tree(tmp_path, {"questions/mau.md": BANK, "quizzes/kiem-tra-mau.md": QUIZ})
    with app.app_context():
        content = load(root)
    assert content.problems == []
    [spec] = content.quizzes
    assert (spec.slug, spec.path, spec.attempts, spec.pass_mark) == (
        "kiem-tra-mau",
        "quizzes/kiem-tra-mau.md",
        1,
        60.0,
    )
    assert spec.closes_at.isoformat() == "2026-12-31T17:00:00+00:00"  # end of that day in Vietnam
    first = sync(app, root)
    assert first == {
        "Ngân hàng câu hỏi": (1, 0, 0, 0),
        "Câu hỏi": (3, 0, 0, 0),
        "Bài kiểm tra": (1, 0, 0, 0),
    }
    assert set(sync(app, root).values()) == {(0, 0, 1, 0), (0, 0, 3, 0)}
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        assert quiz.source_path == "quizzes/kiem-tra-mau.md" and quiz.version == 1
        assert "<strong>mẫu</strong>" in quiz.description_html
        assert quiz.draws == [
            {"bank": "mau", "count": 2, "topic": "A"},
            {"bank": "mau", "count": 1},
        ]
        bank = db.session.scalar(select(Bank))
        assert bank.source_path == "questions/mau.md" and len(bank.items) == 3


def test_changes_become_versions_and_removals_are_archived(app, tmp_path):
    root = tree(tmp_path, {"questions/mau.md": BANK, "quizzes/kiem-tra-mau.md": QUIZ})
    sync(app, root)
    edited = BANK.replace("## Câu hai?", "## Câu hai, đã sửa?").replace(
        "## Câu ba?\n{id=m3 topic=B}\n= 42\n", ""
    )
    (root / "questions/mau.md").write_text(edited, encoding="utf-8")
    (root / "quizzes/kiem-tra-mau.md").unlink()
    assert sync(app, root) == {
        "Ngân hàng câu hỏi": (0, 1, 0, 0),
        "Câu hỏi": (0, 1, 1, 1),
        "Bài kiểm tra": (0, 0, 0, 1),
    }
    with app.app_context():
        items = {r.key: r for r in db.session.scalars(select(BankItem))}
        assert (items["m2"].version, items["m2"].archived, items["m3"].archived) == (2, False, True)
        assert db.session.scalar(select(Quiz)).archived is True
    (root / "questions/mau.md").unlink()
    assert sync(app, root)["Ngân hàng câu hỏi"] == (0, 0, 0, 1)
    with app.app_context():
        assert db.session.scalar(select(Bank)).archived is True
        assert all(r.archived for r in db.session.scalars(select(BankItem)))


def test_the_sync_writes_in_the_callers_transaction_only(app, tmp_path):
    root = tree(tmp_path, {"questions/mau.md": BANK, "quizzes/kiem-tra-mau.md": QUIZ})
    with app.app_context():
        declare_write()
        sync_quiz_content(load(root))
        db.session.rollback()
        assert db.session.scalars(select(Bank)).all() == []
        assert db.session.scalars(select(Quiz)).all() == []


def test_a_browser_bank_keeps_its_items_and_file_quizzes_may_draw_from_it(app, tmp_path):
    make_bank(app)
    quiz = QUIZ.replace("bank: mau\n    count: 2\n    topic: A", "bank: thu-nghiem\n    count: 6")
    root = tree(tmp_path, {"questions/mau.md": BANK, "quizzes/kiem-tra-mau.md": quiz})
    assert sync(app, root)["Bài kiểm tra"] == (1, 0, 0, 0)
    with app.app_context():
        web = db.session.scalar(select(Bank).where(Bank.slug == "thu-nghiem"))
        assert web.source_path is None and not any(r.archived for r in web.items)


def test_every_problem_is_reported_with_its_file_and_line(app, tmp_path):
    bank = BANK.replace("bank: mau", "bank: khac").replace(
        "ref=doc:76/NQ-CP", "ref=doc:999/QĐ-KHONG"
    )
    bank = bank.replace("lesson:tong-quan/gioi-thieu", "lesson:tong-quan/khong-co")
    bank = bank.replace("## Câu ba?", "## Câu ba theo [[12/ABC]]?")
    bad_bank = "---\nbank: sai\n---\n## Câu không có đáp án\n- [ ] Một\n- [ ] Hai\n"
    quiz = (
        QUIZ.replace("attempts: 1", "attempts: 1\nthoi_gian: 10")
        .replace("count: 2\n    topic: A", "count: 2\n    topic: B")
        .replace("review: after_close", "review: sometimes")
    )
    greedy = QUIZ.replace("count: 2\n    topic: A", "count: 10\n    seed: 3")
    missing = QUIZ.replace("bank: mau\n    count: 1", "bank: khong-co\n    count: 1")
    root = tree(
        tmp_path,
        {
            "questions/mau.md": bank,
            "questions/sai.md": bad_bank,
            "quizzes/loi.md": quiz,
            "quizzes/nhieu.md": greedy,
            "quizzes/thieu.md": missing,
            "quizzes/manage.md": QUIZ,
        },
    )
    with app.app_context():
        problems = [str(p) for p in load(root).problems]
    expected = [
        "content/questions/mau.md:2: bank: khac phải trùng tên tệp (mau)",
        f"content/questions/mau.md:{line_of(bank, 'Câu một')}: tham chiếu doc:999/QĐ-KHONG "
        "không trỏ tới văn bản nào",
        f"content/questions/mau.md:{line_of(bank, 'Câu hai')}: tham chiếu "
        "lesson:tong-quan/khong-co không trỏ tới bài học nào",
        f"content/questions/mau.md:{line_of(bank, 'Câu ba')}: liên kết [[12/ABC]] không trỏ tới "
        "văn bản nào",
        "content/questions/sai.md:4: câu hỏi không có đáp án đúng",
        f"content/quizzes/loi.md:{line_of(quiz, 'thoi_gian')}: khóa không được hỗ trợ 'thoi_gian'",
        f"content/quizzes/loi.md:{line_of(quiz, 'review')}: 'review' không hợp lệ: 'sometimes'",
        f"content/quizzes/nhieu.md:{line_of(greedy, '- bank: mau')}: khóa không được hỗ trợ trong "
        "'draw': 'seed'",
        "content/quizzes/manage.md:1: mã bài kiểm tra 'manage' không hợp lệ",
    ]
    for message in expected:
        assert any(p.startswith(message) for p in problems), (message, problems)
    # Draws are checked once a quiz is otherwise valid: fix the first two to see them.
    quiz_ok = QUIZ.replace("count: 2\n    topic: A", "count: 2\n    topic: B")
    greedy_ok = QUIZ.replace("count: 2\n    topic: A", "count: 10")
    (root / "quizzes/loi.md").write_text(quiz_ok, encoding="utf-8")
    (root / "quizzes/nhieu.md").write_text(greedy_ok, encoding="utf-8")
    (root / "questions/mau.md").write_text(BANK, encoding="utf-8")
    with app.app_context():
        problems = [str(p) for p in load(root).problems]
    draw_line = line_of(QUIZ, "- bank: mau")
    assert (
        f"content/quizzes/loi.md:{draw_line}: rút 2 câu chủ đề 'B' nhưng ngân hàng 'mau' chỉ có "
        "1 câu chủ đề đó"
    ) in problems
    assert (
        f"content/quizzes/nhieu.md:{draw_line}: rút tổng cộng 11 câu nhưng ngân hàng 'mau' chỉ "
        "có 3 câu chấm tự động được"
    ) in problems
    assert (
        f"content/quizzes/thieu.md:{line_of(missing, 'khong-co')}: không có ngân hàng câu hỏi "
        "'khong-co'"
    ) in problems


def test_broken_files_are_reported_not_raised(app, tmp_path):
    root = tree(
        tmp_path,
        {
            "questions/alias.md": "---\nbank: &a alias\ntitle: *a\n---\n## Câu?\n= 1\n",
            "quizzes/khong-co-dau.md": "title: thiếu dòng ---\n",
            "quizzes/yaml.md": "---\ntitle: [chưa đóng\n---\n",
        },
    )
    (root / "questions/nhi-phan.md").write_bytes(b"\xff\xfe\x00")
    with app.app_context():
        content = load(root)
    joined = "\n".join(str(p) for p in content.problems)
    assert "content/questions/alias.md:" in joined and "bí danh" in joined
    assert "content/questions/nhi-phan.md:1: tệp không phải văn bản UTF-8 hợp lệ" in joined
    assert "content/quizzes/khong-co-dau.md:1: thiếu phần đầu YAML" in joined
    assert "content/quizzes/yaml.md:" in joined and "lỗi cú pháp YAML" in joined
    assert content.banks == [] and content.quizzes == []
