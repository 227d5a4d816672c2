"""Sign-in, sign-out, sessions, password changes and throttling through the real pages."""

from __future__ import annotations

import threading

from helpers import PASSWORD, csrf_token, get_user, login, make_user, page_text, post

from cchc_learn.auth.models import LoginFailure, User
from cchc_learn.extensions import db


def test_login_then_home_greets_user(app, client):
    make_user(app, "hocvien", full_name="Phạm Quốc Bảo")
    response = login(client, app, "hocvien", follow_redirects=True)
    assert response.status_code == 200
    assert "Xin chào, Phạm Quốc Bảo" in page_text(response)


def test_wrong_password_is_generic_and_recorded(app, client):
    make_user(app, "hocvien")
    bad_pw = login(client, app, "hocvien", "sai-mat-khau-roi")
    no_user = login(client, app, "khongtontai", "sai-mat-khau-roi")
    assert bad_pw.status_code == no_user.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page_text(bad_pw)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page_text(no_user)
    with app.app_context():
        usernames = {f.username for f in db.session.scalars(db.select(LoginFailure))}
    assert usernames == {"hocvien", "khongtontai"}


def test_account_locks_after_repeated_failures_even_with_right_password(app, client):
    make_user(app, "hocvien")
    for _ in range(app.config["LOGIN_ACCOUNT_MAX_FAILURES"]):
        login(client, app, "hocvien", "sai-mat-khau-roi")
    response = login(client, app, "hocvien", PASSWORD)
    assert response.status_code == 401
    assert "tạm thời bị khóa" in page_text(response)


def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(app):
    make_user(app, "hocvien")
    limit = app.config["LOGIN_ACCOUNT_MAX_FAILURES"]
    clients = [app.test_client() for _ in range(20)]
    for c in clients:
        csrf_token(c, app)  # each session has its token before the race starts
    barrier = threading.Barrier(len(clients))
    answers: list[str] = []

    def attempt(c):
        barrier.wait()
        answers.append(page_text(login(c, app, "hocvien", "sai-mat-khau-roi")))

    threads = [threading.Thread(target=attempt, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    checked = sum("Tên đăng nhập hoặc mật khẩu không đúng" in a for a in answers)
    paused = sum("tạm thời bị khóa" in a for a in answers)
    assert (checked, paused) == (limit, len(clients) - limit)
    with app.app_context():
        failures = db.session.scalars(db.select(LoginFailure.username)).all()
    assert failures == ["hocvien"] * limit


def _another_writer_can_write(app, username: str) -> bool:
    """Whether another connection could take the write locks a sign-in would hold now."""
    import sqlite3

    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        conn = sqlite3.connect(url.database, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:  # "database is locked"
            return False
        finally:
            conn.close()
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        # The sign-in's hold on the account (auth/throttle.py).
        free = conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 7041))",
                            (username,)).fetchone()[0]
        if free:
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 7041))", (username,))
        return free


def test_no_write_lock_is_held_while_the_password_is_checked(app, client, monkeypatch):
    """A campaign's officials signing in at once must not queue on a lock behind argon2."""
    from argon2 import PasswordHasher

    make_user(app, "hocvien")
    csrf_token(client, app)
    real_verify = PasswordHasher.verify
    seen: list[bool] = []

    def verify(self, password_hash, password):
        seen.append(_another_writer_can_write(app, "hocvien"))
        return real_verify(self, password_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    wrong = login(client, app, "hocvien", "sai-mat-khau-roi")
    right = login(app.test_client(), app, "hocvien", follow_redirects=True)
    assert wrong.status_code == 401 and "Xin chào" in page_text(right)
    assert seen == [True, True]  # each password checked once, with no lock held
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "hocvien"))
        assert user.last_login_at is not None
        # The failure was counted, then the right password cleared the account's failures.
        assert db.session.scalars(db.select(LoginFailure)).all() == []


def test_one_nat_address_does_not_lock_out_colleagues(app, client):
    make_user(app, "nguoibisai")
    make_user(app, "dongnghiep")
    for _ in range(app.config["LOGIN_ACCOUNT_MAX_FAILURES"] + 2):
        login(client, app, "nguoibisai", "sai-mat-khau-roi")
    other = app.test_client()
    response = login(other, app, "dongnghiep", follow_redirects=True)
    assert "Xin chào" in page_text(response)


def test_address_limit_blocks_spraying_across_accounts(app, client):
    app.config["LOGIN_IP_MAX_FAILURES"] = 6
    make_user(app, "hocvien")
    for i in range(6):
        login(client, app, f"doan{i}", "sai-mat-khau-roi")
    response = login(client, app, "hocvien", PASSWORD)
    assert "tạm thời bị khóa" in page_text(response)


def test_failures_expire_after_the_window(app, client, clock):
    make_user(app, "hocvien")
    for _ in range(app.config["LOGIN_ACCOUNT_MAX_FAILURES"]):
        login(client, app, "hocvien", "sai-mat-khau-roi")
    clock.advance(minutes=16)
    response = login(client, app, "hocvien", follow_redirects=True)
    assert "Xin chào" in page_text(response)


def test_logout_is_post_only_and_ends_every_session(app):
    make_user(app, "hocvien")
    first, second = app.test_client(), app.test_client()
    login(first, app, "hocvien")
    login(second, app, "hocvien")
    assert first.get("/auth/logout").status_code == 405
    assert first.get("/admin/").status_code in (302, 403)
    post(first, app, "/auth/logout")
    response = second.get("/auth/password")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_logout_without_csrf_token_is_refused(app, client):
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert "CSRF" in page_text(response)
    assert client.get("/auth/password").status_code == 200


def test_first_login_forces_password_change(app, client):
    make_user(app, "nguoimoi", must_change=True)
    response = login(client, app, "nguoimoi")
    assert response.headers["Location"].endswith("/")
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302 and "/auth/password" in response.headers["Location"]
    page = client.get("/auth/password")
    assert "mật khẩu tạm thời" in page_text(page)
    bad = post(
        client, app, "/auth/password", {"current": PASSWORD, "new": "ngan", "confirm": "ngan"}
    )
    assert "ít nhất 10 ký tự" in page_text(bad)
    ok = post(
        client,
        app,
        "/auth/password",
        {"current": PASSWORD, "new": "Mot-mat-khau-moi-2026", "confirm": "Mot-mat-khau-moi-2026"},
        follow_redirects=True,
    )
    assert "Đã đổi mật khẩu" in page_text(ok)
    assert get_user(app, "nguoimoi").must_change_password is False
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(app):
    make_user(app, "hocvien")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, app, "hocvien")
    login(elsewhere, app, "hocvien")
    post(
        here,
        app,
        "/auth/password",
        {"current": PASSWORD, "new": "Mot-mat-khau-moi-2026", "confirm": "Mot-mat-khau-moi-2026"},
    )
    assert here.get("/auth/password").status_code == 200
    assert elsewhere.get("/auth/password").status_code == 302


def test_deactivated_account_is_signed_out_and_cannot_sign_in(app, client):
    from cchc_learn.auth import service

    user_id = make_user(app, "hocvien")
    login(client, app, "hocvien")
    with app.app_context():
        service.set_active(db.session.get(User, user_id), False)
        db.session.commit()
    assert client.get("/auth/password").status_code == 302
    response = login(app.test_client(), app, "hocvien")
    assert response.status_code == 401


def test_next_parameter_only_redirects_within_the_site(app, client):
    make_user(app, "hocvien")
    for target in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        # Control characters are dropped where requests are read, so these become
        # "//evil.example" and "/\\evil.example", which stay refused.
        "\x01//evil.example",
        "/\x00/evil.example",
        "/\x07\\evil.example",
    ]:
        c = app.test_client()
        response = post(
            c, app, "/auth/login", {"username": "hocvien", "password": PASSWORD, "next": target}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/", target
    response = post(
        app.test_client(),
        app,
        "/auth/login",
        {"username": "hocvien", "password": PASSWORD, "next": "/auth/password"},
    )
    assert response.headers["Location"] == "/auth/password"


def test_session_cookie_flags(app, client):
    make_user(app, "hocvien")
    response = login(client, app, "hocvien")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_generated_password_is_hashed_cheaply_until_its_first_sign_in(app, client):
    from cchc_learn.auth import service
    from cchc_learn.auth.passwords import needs_rehash
    from cchc_learn.database import declare_write

    with app.app_context():
        declare_write()
        user, password = service.create_user("nhapmoi", "Người Được Nhập")
        db.session.commit()
    cheap = get_user(app, "nhapmoi").password_hash
    assert cheap.startswith("$argon2id$") and ",t=1,p=1$" in cheap
    assert needs_rehash(cheap)
    # The generated password works, and signing in re-hashes it at the configured cost.
    assert login(client, app, "nhapmoi", password).status_code == 302
    rehashed = get_user(app, "nhapmoi").password_hash
    assert rehashed != cheap and not needs_rehash(rehashed)
    assert get_user(app, "nhapmoi").must_change_password is True
    # A password the official chooses is hashed at the configured cost straight away.
    chosen_password = "Mat-khau-tu-chon-2026"
    form = {"current": password, "new": chosen_password, "confirm": chosen_password}
    assert post(client, app, "/auth/password", form).status_code == 302
    chosen = get_user(app, "nhapmoi").password_hash
    assert not needs_rehash(chosen) and chosen != rehashed
