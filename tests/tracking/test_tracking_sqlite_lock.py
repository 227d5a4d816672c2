"""On SQLite a tracked page holds no write lock while it renders; its event still always lands."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import before_render_template
from helpers import login, make_user, page_text
from sqlalchemy import event, func, select
from tracking_content import DOCUMENT_URL, LESSON_URL, load_sample

from cchc_learn import create_app
from cchc_learn.extensions import db
from cchc_learn.tracking.models import AccessEvent

PAGES = [(DOCUMENT_URL, "kb/document.html"), (LESSON_URL, "lessons/lesson.html")]


@pytest.fixture
def sqlite_file(sqlite_template, tmp_path):
    """A migrated SQLite file of its own (these tests are about SQLite's lock)."""
    path = tmp_path / "shared.sqlite"
    shutil.copy(sqlite_template, path)
    return path


def settings(tmp: Path, database: Path) -> dict:
    """What every test app here shares (as the suite's own apps have it)."""
    return {
        "TESTING": True,
        "RAISE_UNEXPECTED": True,
        "SECRET_KEY": "tracking-test-secret-key-0123456789abcdefghijkl",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SEARCH_INDEX_DIR": str(tmp / "index"),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "CONTENT_DIR": str(tmp / "content"),
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 64,
    }


@pytest.fixture
def make_app(sqlite_file, tmp_path):
    made = []

    def make(**config):
        app = create_app({**settings(tmp_path, sqlite_file), **config})
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def signed_in(app):
    load_sample(app)
    make_user(app, "hocvien")
    make_user(app, "cb002")
    client = app.test_client()
    login(client, app, "hocvien")
    return client


def recorded(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessEvent))


class HeldRender:
    """Holds a page in the middle of rendering its template until released."""

    def __init__(self, app, template: str) -> None:
        self.app, self.template = app, template
        self.rendering, self.release = threading.Event(), threading.Event()
        self.response = None

    def _wait(self, _sender, template, context, **_extra) -> None:
        if template.name == self.template:
            self.rendering.set()
            self.release.wait(30)

    def start(self, client, url: str) -> None:
        before_render_template.connect(self._wait, self.app, weak=False)

        def fetch() -> None:
            self.response = client.get(url)

        self.thread = threading.Thread(target=fetch)
        self.thread.start()
        assert self.rendering.wait(30), "the page never started rendering"

    def finish(self):
        self.release.set()
        self.thread.join(30)
        before_render_template.disconnect(self._wait, self.app)
        assert self.response is not None, "the request raised"
        return self.response


OTHER_PROCESS_WRITES = """
import sqlite3, sys
other = sqlite3.connect(sys.argv[1], timeout=0.5, isolation_level=None)
other.execute("BEGIN IMMEDIATE")
other.execute("UPDATE user SET position = 'Chuyên viên' WHERE username = 'cb002'")
other.execute("COMMIT")
"""


def connect(path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


@pytest.mark.parametrize(("url", "template"), PAGES)
def test_another_process_writes_while_a_tracked_page_renders(
    make_app, sqlite_file, url, template
):
    app = make_app()
    client = signed_in(app)
    held = HeldRender(app, template)
    held.start(client, url)
    try:
        # Another process: before, the page took the write lock at its first query, so this
        # waited out its busy timeout and failed with "database is locked".
        writer = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS_WRITES, str(sqlite_file)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        response = held.finish()
    assert writer.returncode == 0, writer.stderr
    assert response.status_code == 200
    with connect(sqlite_file, timeout=5) as check:
        assert check.execute("SELECT position FROM user WHERE username = 'cb002'").fetchall() == [
            ("Chuyên viên",)
        ]
    assert recorded(app) == 1


@pytest.mark.parametrize(("url", "template"), PAGES)
def test_a_view_whose_event_cannot_be_written_gets_an_error_page(
    make_app, sqlite_file, url, template
):
    app = make_app(SQLITE_BUSY_TIMEOUT_MS=300, RAISE_UNEXPECTED=False)
    client = signed_in(app)
    held = HeldRender(app, template)
    held.start(client, url)
    other = connect(sqlite_file, timeout=5)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock past the page's busy timeout
    try:
        response = held.finish()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in page_text(response)
    assert "4599/QĐ-UBND" not in page_text(response)  # the page itself was never sent
    assert recorded(app) == 0


@pytest.mark.parametrize("url", [DOCUMENT_URL, LESSON_URL])
def test_a_tracked_view_takes_the_write_lock_once_and_loads_the_account_once(make_app, url):
    app = make_app()
    client = signed_in(app)
    client.get(url)
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert [s for s in statements if s.startswith("BEGIN IMMEDIATE")] == ["BEGIN IMMEDIATE"]
    assert len([s for s in statements if re.search(r'\bFROM "?user"?\s', s)]) == 1
    assert recorded(app) == 2
