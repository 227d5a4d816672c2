"""Factories and client helpers shared by the tests."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import accounts
from cchc_learn.org import service as org_service

PASSWORD = "Mat-khau-rat-dai-2025"


def make_unit(
    app: Flask,
    code: str = "TINH",
    name: str | None = None,
    level: str = "province",
    parent: str | None = None,
    valid_from: date = date(2025, 7, 1),
) -> int:
    """Create a unit (parent given by code) in its own transaction; return its id."""
    with app.app_context():
        declare_write()
        parent_unit = org_service.get_by_code(parent) if parent else None
        unit = org_service.create_unit(
            code, name or f"Đơn vị {code}", level, parent_unit, valid_from=valid_from
        )
        db.session.commit()
        return unit.id


def make_user(
    app: Flask,
    username: str = "hocvien",
    *,
    roles=("official",),
    password: str = PASSWORD,
    full_name: str | None = None,
    unit: str | None = None,
    must_change: bool = False,
    active: bool = True,
) -> int:
    """Create an account (unit given by code) in its own transaction; return its id."""
    with app.app_context():
        declare_write()
        user, _ = accounts.create_account(
            username,
            full_name or f"Người dùng {username}",
            unit_code=unit,
            roles=list(roles),
            password=password,
            on=date(2025, 7, 1),
        )
        if must_change or not active:
            user.must_change_password = must_change
            user.active = active
            db.session.commit()
        return user.id


def get_user(app: Flask, username: str) -> User:
    """Load an account fresh from the database (detached, attributes loaded)."""
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        if user is not None:
            _ = user.role_names
            db.session.expunge(user)
        return user


def csrf_token(client: FlaskClient, app: Flask) -> str:
    """A valid CSRF token for this client's session (the way Flask-WTF makes one)."""
    with client.session_transaction() as sess:
        raw = sess.get("csrf_token")
        if raw is None:
            import secrets

            raw = secrets.token_hex(20)
            sess["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


def post(client: FlaskClient, app: Flask, url: str, data: dict | None = None, **kw):
    """POST a form with a valid CSRF token."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, app)
    return client.post(url, data=payload, **kw)


def login(client: FlaskClient, app: Flask, username: str, password: str = PASSWORD, **kw):
    """Sign in through the real form."""
    return post(client, app, "/auth/login", {"username": username, "password": password}, **kw)


def page_text(response) -> str:
    """The response body as text with tags removed and spaces collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
