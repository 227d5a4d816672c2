"""Content built through the application's own services and pages, and fresh target databases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
from flask import Flask
from helpers import PASSWORD, login, make_unit, make_user
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from cchc_learn import create_app
from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb import editing
from cchc_learn.lessons import authoring
from cchc_learn.notify import service as notify
from cchc_learn.qa import service as qa

SETTINGS = ("TESTING", "RAISE_UNEXPECTED", "SECRET_KEY", "PASSWORD_HASH_TIME_COST",
            "PASSWORD_HASH_MEMORY_KIB", "RATELIMIT_ENABLED")
PDF = b"%PDF-1.4\n% Ke hoach CCHC 2026\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
NUMBER = "15/KH-SNV"
BODY = "## Mục tiêu\n\nBồi dưỡng **lưu trữ hồ sơ điện tử** cho 95 % cán bộ một cửa."
SEARCH_WORDS = "luu tru ho so dien tu"
LESSON_TITLE = "Tiếp nhận hồ sơ trực tuyến"
QUESTION_TITLE = "Hồ sơ nộp trực tuyến có cần bản giấy không?"


@dataclass(frozen=True)
class World:
    """What was built: ids and values a restored copy must give back."""

    document_id: int
    document_slug: str
    stored_name: str
    question_id: int


def build(app: Flask) -> World:
    """Units, accounts, a document with a PDF, a module with a lesson, views, a question, a mail."""
    app.config["MAIL_SERVER"] = "127.0.0.1"  # the outbox is filled; no tick sends it here
    make_unit(app, "TINH", "UBND tỉnh")
    make_unit(app, "XA1", "UBND xã Một", level="commune", parent="TINH")
    make_user(app, "giangvien", roles=("trainer",), unit="TINH", full_name="Trần Thị Giảng")
    make_user(app, "hocvien", unit="XA1", full_name="Nguyễn Văn Học")
    with app.app_context():
        declare_write()
        trainer = db.session.scalar(select(User).where(User.username == "giangvien"))
        doc = editing.save(None, editing.DocumentInput(
            number=NUMBER, doc_type="Kế hoạch", issuer="Sở Nội vụ", issued=date(2026, 1, 15),
            status="in_force", replaced_by="", topics="TTHC, một cửa",
            summary="Kế hoạch bồi dưỡng năm 2026", body=BODY), trainer)
        attachment = editing.add_attachment(doc, PDF, "ke-hoach.pdf", "Toàn văn", trainer,
                                            Path(app.config["UPLOAD_DIR"]))
        module = authoring.create_module(authoring.ModuleInput(
            title="Một cửa điện tử", summary="Chuyên đề thử", topics=["một cửa"], order=1,
            audience=[], published=True, body="Giới thiệu."), trainer.id).obj
        authoring.create_lesson(module, authoring.LessonInput(
            title=LESSON_TITLE, minutes=10, summary="Bài thử", published=True,
            body="Các bước tiếp nhận hồ sơ."), trainer.id)
        world_doc = (doc.id, doc.slug, attachment.stored_name)
    official = app.test_client()
    assert login(official, app, "hocvien").status_code == 302
    assert official.get(f"/kb/{world_doc[1]}").status_code == 200  # an access event
    with app.app_context():
        declare_write()
        learner = db.session.scalar(select(User).where(User.username == "hocvien"))
        learner.email = "hocvien@xa1.example.gov.vn"
        question = qa.ask(learner.id, QUESTION_TITLE, "Xin hướng dẫn.", ["Một cửa"])
        notify.notify(learner, "test", "Câu hỏi của bạn đã được ghi nhận", f"/qa/{question.id}")
        db.session.commit()
        question_id = question.id
    return World(*world_doc, question_id)


def row_counts(app: Flask) -> dict[str, int]:
    """Rows of every table of the application."""
    with app.app_context():
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t))
                  for t in db.metadata.sorted_tables}
        db.session.rollback()
        return counts


def logged_changes(output: str) -> int:
    """How many search changes the restore says it logged."""
    return int(re.search(r"Tìm kiếm: đã ghi (\d+) thay đổi", output).group(1))


class Targets:
    """Fresh, empty databases (with their own folders) to restore into."""

    def __init__(self, source: Flask, backend: str, tmp: Path, postgres_url: str | None):
        self.source, self.backend, self.tmp, self.postgres_url = source, backend, tmp, postgres_url
        self.apps: list[Flask] = []
        self.databases: list[str] = []

    def uri(self, name: str) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.tmp / name / 'app.sqlite'}"
        url = make_url(self.postgres_url)
        database = f"{url.database}_{name}"
        with psycopg.connect(self._admin(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
        self.databases.append(database)
        return url.set(database=database).render_as_string(hide_password=False)

    def _admin(self) -> str:
        url = make_url(self.postgres_url).set(drivername="postgresql", database="postgres")
        return url.render_as_string(hide_password=False)

    def app(self, name: str = "target", uri: str | None = None, *, migrated: bool = False
            ) -> Flask:
        """An application on a new empty database (no tables, or migrated) with empty folders."""
        folder = self.tmp / name
        folder.mkdir(exist_ok=True)
        config = {key: self.source.config[key] for key in SETTINGS}
        config.update(SQLALCHEMY_DATABASE_URI=uri or self.uri(name),
                      SEARCH_INDEX_DIR=str(folder / "index"),
                      UPLOAD_DIR=str(folder / "uploads"), CONTENT_DIR=str(folder / "content"))
        target = create_app(config)
        self.apps.append(target)
        if migrated:
            from flask_migrate import upgrade

            with target.app_context():
                declare_write()
                upgrade(directory=target.config["MIGRATIONS_DIR"])
                db.engine.dispose()
            declare_write(False)
        return target

    def close(self) -> None:
        for made in self.apps:
            with made.app_context():
                db.session.remove()
                db.engine.dispose()
        if self.databases:
            with psycopg.connect(self._admin(), autocommit=True) as conn:
                for database in self.databases:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def signed_in(app: Flask, username: str, password: str = PASSWORD):
    client = app.test_client()
    response = login(client, app, username, password)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def table_names(app: Flask) -> set[str]:
    with app.app_context():
        rows = db.session.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table'" if db.engine.dialect.name ==
            "sqlite" else "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        names = {row[0] for row in rows}
        db.session.rollback()
        return names
