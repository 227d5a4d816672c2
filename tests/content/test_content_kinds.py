"""Features register their kind of content file; content/ runs them in order and imports none."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask

from cchc_learn import create_app
from cchc_learn.content.frontmatter import parse_markdown
from cchc_learn.content.kinds import Checked, ContentKind, kinds, register
from cchc_learn.content.problems import ContentError
from cchc_learn.quickstart import steps
from cchc_learn.quiz.formats import QuestionFormatError
from cchc_learn.quiz.formats import parse_markdown as parse_bank_markdown

PACKAGE = Path(__file__).resolve().parents[2] / "cchc_learn"
FEATURES = {"admin", "auth", "demo", "home", "kb", "lessons", "org", "qa", "quiz", "search",
            "tracking", "reports", "audit", "plans"}


def kind(name: str, *after: str) -> ContentKind:
    return ContentKind(name, lambda root, lookups: Checked(None, [], name), lambda c, r: {}, after)


def test_a_kind_comes_after_the_kinds_it_names_whatever_the_registration_order():
    app = Flask(__name__)
    for registered in (kind("quizzes", "documents", "modules"), kind("modules", "documents"),
                       kind("documents"), kind("alone", "not-registered")):
        register(app, registered)
    with app.app_context():
        assert [k.name for k in kinds()] == ["documents", "modules", "quizzes", "alone"]


def test_kinds_that_wait_for_each_other_are_refused():
    app = Flask(__name__)
    register(app, kind("a", "b"))
    register(app, kind("b", "a"))
    with app.app_context(), pytest.raises(RuntimeError, match="depend on each other"):
        kinds()


def test_the_app_registers_its_content_kinds_and_quickstart_steps(tmp_path):
    app = create_app({"SECRET_KEY": "x" * 40, "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    with app.app_context():
        assert [k.name for k in kinds()] == [
            "documents", "modules", "quizzes", "qa-templates", "plans"
        ]
        # Units before content (a plan names them); content and accounts before the demo data
        # that needs them; the index once everything it covers is written.
        assert [name for name, _ in steps()] == [
            "Tạo tỉnh mẫu và tài khoản mẫu",
            "Nạp nội dung từ content/",
            "Lớp bồi dưỡng mẫu năm 2026",
            "Lịch sử học tập mô phỏng cho học viên mẫu",
            "Nạp câu hỏi mẫu cho kênh hỏi đáp",
            "Xây dựng chỉ mục tìm kiếm",
        ]


def test_content_imports_no_feature_package():
    imported = set()
    for path in (PACKAGE / "content").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                imported.add((node.module or "").split(".")[0])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cchc_learn."):
                imported.add(node.module.split(".")[1])
    assert imported and not imported & FEATURES, imported & FEATURES


@pytest.mark.parametrize(
    ("text", "content_message", "bank_message"),
    [
        ("---\ntitle: !!str x\n---\n", "x.md:2: không được dùng thẻ YAML tag:yaml.org,2002:str",
         "x.md:2: front matter YAML không hợp lệ: không dùng thẻ YAML tag:yaml.org,2002:str"),
        ("---\ntitle: &a x\n---\n",
         "x.md:2: không được dùng neo/bí danh YAML (& và *) trong phần đầu tệp",
         "x.md:2: front matter YAML không hợp lệ: không dùng bí danh (alias) YAML"),
    ],
)
def test_content_files_and_banks_share_one_safe_reader(text, content_message, bank_message):
    with pytest.raises(ContentError) as content:
        parse_markdown(text, "x.md")
    assert [str(p) for p in content.value.problems] == [content_message]
    with pytest.raises(QuestionFormatError) as bank:
        parse_bank_markdown(text + "## Câu?\n= 1\n", "x.md")
    assert [str(p) for p in bank.value.problems] == [bank_message]
