"""Migrations 0010 and 0012 match the models, and go down and up again on SQLite."""

from __future__ import annotations

import shutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from cchc_learn import create_app
from cchc_learn.database import declare_write
from cchc_learn.extensions import db


def test_the_migrated_qa_tables_match_the_models(app):
    with app.app_context():
        context = MigrationContext.configure(db.engine.connect())
        diff = compare_metadata(context, db.metadata)
        context.connection.close()
    qa = [d for d in diff if "qa_" in repr(d)]
    assert qa == []


def test_downgrade_and_upgrade_on_sqlite(sqlite_template, tmp_path):
    # Plain settings: `from conftest import …` finds whichever test folder's conftest came first.
    path = tmp_path / "db.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                      "UPLOAD_DIR": str(tmp_path / "uploads"),
                      "CONTENT_DIR": str(tmp_path / "content")})
    with app.app_context():
        declare_write()
        downgrade(directory=app.config["MIGRATIONS_DIR"], revision="0009")
        assert not [t for t in inspect(db.engine).get_table_names() if t.startswith("qa_")]
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        assert {"qa_question", "qa_post", "qa_event", "qa_faq"} <= set(
            inspect(db.engine).get_table_names())
        columns = {c["name"] for c in inspect(db.engine).get_columns("qa_question")}
        assert {"first_answer_on_time", "first_answer_workdays"} <= columns
        db.engine.dispose()
    declare_write(False)


def test_0012_fills_in_whether_earlier_first_answers_were_on_time(sqlite_template, tmp_path):
    from sqlalchemy import text

    path = tmp_path / "db.sqlite"
    shutil.copy(sqlite_template, path)
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                      "UPLOAD_DIR": str(tmp_path / "uploads"),
                      "CONTENT_DIR": str(tmp_path / "content")})
    with app.app_context():
        declare_write()
        downgrade(directory=app.config["MIGRATIONS_DIR"], revision="0011")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO user (id, username, full_name, password_hash, active, "
                "must_change_password, session_version, totp_enabled, created_at, search_key) "
                "VALUES (1, 'a', 'A', 'x', 1, 0, 1, 0, '2026-03-02 01:00:00', 'a')"))
            for qid, answered, due in [(1, "2026-03-03 01:00:00", "2026-03-05 10:00:00"),
                                       (2, "2026-03-06 01:00:00", "2026-03-05 10:00:00"),
                                       (3, None, "2026-03-05 10:00:00")]:
                conn.execute(text(
                    "INSERT INTO qa_question (id, title, body_md, body_html, asker_id, "
                    "visibility, show_name, channel, state, asked_at, due_at, "
                    "first_answered_at, version, updated_at) VALUES (:id, 't', '', '', 1, "
                    "'public', 0, 'web', 'answered', '2026-03-02 01:00:00', :due, :answered, "
                    "1, '2026-03-02 01:00:00')"), {"id": qid, "due": due, "answered": answered})
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        with db.engine.connect() as conn:
            kept = conn.execute(text(
                "SELECT id, first_answer_on_time, first_answer_workdays FROM qa_question "
                "ORDER BY id")).all()
        db.engine.dispose()
    declare_write(False)
    assert [tuple(row) for row in kept] == [(1, 1, None), (2, 0, None), (3, None, None)]
