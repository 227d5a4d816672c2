"""Fixtures: an app on a real database (SQLite file and PostgreSQL), clients, factories."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cchc_learn import create_app
from cchc_learn.clock import set_clock
from cchc_learn.extensions import db

REPO = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def _backends() -> list[str]:
    return [
        b.strip()
        for b in os.environ.get("CCHC_TEST_BACKENDS", "sqlite,postgresql").split(",")
        if b.strip()
    ]


def base_config(tmp: Path, uri: str) -> dict:
    """Settings every test app shares."""
    return {
        "TESTING": True,
        "RAISE_UNEXPECTED": True,
        # A request that writes after reading in a transaction begun without the write lock
        # fails here instead of only under concurrency in service.
        "SQLITE_STRICT_WRITES": True,
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SEARCH_INDEX_DIR": str(tmp / "index"),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "CONTENT_DIR": str(tmp / "content"),
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 64,
        "RATELIMIT_ENABLED": True,
    }


def _migrate(uri: str, tmp: Path) -> None:
    from flask_migrate import upgrade

    from cchc_learn.database import declare_write

    app = create_app(base_config(tmp, uri))
    with app.app_context():
        declare_write()
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        db.engine.dispose()
    declare_write(False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    tmp = tmp_path_factory.mktemp("sqlite-template")
    path = tmp / "template.sqlite"
    _migrate(f"sqlite:///{path}", tmp)
    return path


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory) -> str:
    """A fresh PostgreSQL database for this test run, migrated once."""
    base = os.environ.get("CCHC_TEST_DATABASE_URL", DEFAULT_PG)
    url = make_url(base)
    name = f"cchc_learn_test_{os.getpid()}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {base}: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {base} (set CI=1 to make this a failure)")
    test_url = url.set(drivername="postgresql+psycopg", database=name)
    uri = test_url.render_as_string(hide_password=False)
    _migrate(uri, tmp_path_factory.mktemp("pg-migrate"))
    yield uri
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_all(app) -> None:
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables]
        if tables:
            quoted = ", ".join(f'"{t}"' for t in tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture(params=_backends())
def backend(request) -> str:
    """Which database this test runs on."""
    return request.param


@pytest.fixture
def database_uri(request, backend, tmp_path) -> str:
    """A clean, migrated database for one test."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        target = tmp_path / "app.sqlite"
        shutil.copy(template, target)
        return f"sqlite:///{target}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app(database_uri, backend, tmp_path):
    """The application on a clean database; PostgreSQL tables are emptied afterwards."""
    application = create_app(base_config(tmp_path, database_uri))
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if backend != "sqlite":
        _truncate_all(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def clock():
    """A settable fake clock for the application."""
    from tests_clock import FakeClock

    fake = FakeClock()
    set_clock(fake.now)
    yield fake
    set_clock(None)
