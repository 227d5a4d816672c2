"""Two-factor sign-in (TOTP): setup, sign-in with a code, replay, the admin requirement."""

from __future__ import annotations

import re

import pyotp
from helpers import get_user, login, make_user, page_text, post

from cchc_learn.audit.models import AuditEntry
from cchc_learn.auth.models import LoginFailure
from cchc_learn.extensions import db


def code_at(secret: str, clock, *, steps: int = 0) -> str:
    """The code an authenticator app shows at the fake clock's time (plus steps of 30 s)."""
    return pyotp.TOTP(secret).at(clock.current.timestamp() + 30 * steps)


def setup_secret(client) -> str:
    """Open the setup page and read the secret it shows."""
    page = client.get("/auth/totp/setup")
    assert page.status_code == 200
    match = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.get_data(as_text=True))
    assert match, "the setup page shows no secret"
    return match.group(1)


def enable(client, app, clock) -> str:
    """Turn on TOTP for the signed-in account; return the secret."""
    secret = setup_secret(client)
    response = post(client, app, "/auth/totp/setup", {"code": code_at(secret, clock)})
    assert response.status_code == 302
    return secret


def failures(app, username: str) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                db.select(LoginFailure).where(LoginFailure.username == username)
            ).all()
        )


def test_setup_page_shows_a_secret_and_the_otpauth_uri(app, client):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    page = client.get("/auth/totp/setup")
    secret = setup_secret(client)
    assert len(secret) == 32
    text = page_text(page)
    assert "Khóa thiết lập" in text and "otpauth://totp/" in text
    assert "Tài khoản quản trị phải bật" not in text


def test_wrong_code_does_not_enable(app, client, clock):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    secret = setup_secret(client)
    for wrong in ["000000", "12345", "abcdef", code_at(secret, clock, steps=5), "1" * 12]:
        response = post(client, app, "/auth/totp/setup", {"code": wrong})
        assert response.status_code == 200, wrong
        assert "Mã xác thực không đúng. Kiểm tra giờ trên điện thoại" in page_text(response)
    user = get_user(app, "giangvien")
    assert user.totp_enabled is False and user.totp_secret is None


def test_right_code_enables_and_is_audited(app, client, clock):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    secret = setup_secret(client)
    response = post(
        client, app, "/auth/totp/setup", {"code": code_at(secret, clock)}, follow_redirects=True
    )
    assert "Đã bật xác thực hai lớp." in page_text(response)
    user = get_user(app, "giangvien")
    assert user.totp_enabled is True and user.totp_secret == secret
    # This session goes on; the account's other sessions end.
    assert client.get("/auth/password").status_code == 200
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "user.totp_enable" in actions


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(app, client, clock):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    secret = enable(client, app, clock)
    clock.advance(seconds=60)

    browser = app.test_client()
    response = login(browser, app, "giangvien")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/totp"
    # The password alone does not sign in.
    assert browser.get("/auth/password").status_code == 302
    assert "Nhập mã 6 chữ số" in page_text(browser.get("/auth/totp"))

    before = failures(app, "giangvien")
    wrong = post(browser, app, "/auth/totp", {"code": code_at(secret, clock, steps=-10)})
    assert wrong.status_code == 401
    assert "Mã xác thực không đúng hoặc đã được dùng." in page_text(wrong)
    assert failures(app, "giangvien") == before + 1
    assert browser.get("/auth/password").status_code == 302

    right = post(browser, app, "/auth/totp", {"code": code_at(secret, clock)})
    assert right.status_code == 302
    assert browser.get("/auth/password").status_code == 200
    assert "Xin chào" in page_text(browser.get("/"))


def test_a_code_cannot_be_replayed(app, client, clock):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    secret = enable(client, app, clock)
    # The code that enabled TOTP is spent already.
    browser = app.test_client()
    login(browser, app, "giangvien")
    spent = post(browser, app, "/auth/totp", {"code": code_at(secret, clock)})
    assert spent.status_code == 401

    clock.advance(seconds=30)
    code = code_at(secret, clock)
    assert post(browser, app, "/auth/totp", {"code": code}).status_code == 302
    post(browser, app, "/auth/logout")

    thief = app.test_client()
    login(thief, app, "giangvien")
    replay = post(thief, app, "/auth/totp", {"code": code})
    assert replay.status_code == 401
    assert "đã được dùng" in page_text(replay)
    assert thief.get("/auth/password").status_code == 302


def test_repeated_wrong_codes_lock_the_account(app, client, clock):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    secret = enable(client, app, clock)
    clock.advance(seconds=30)
    browser = app.test_client()
    login(browser, app, "giangvien")
    for _ in range(app.config["LOGIN_ACCOUNT_MAX_FAILURES"]):
        post(browser, app, "/auth/totp", {"code": "000000"})
    locked = post(browser, app, "/auth/totp", {"code": code_at(secret, clock)})
    assert locked.status_code == 401
    assert "tạm thời bị khóa" in page_text(locked)


def test_required_admin_totp_gates_every_page_until_set_up(app, client, clock):
    app.config["REQUIRE_ADMIN_TOTP"] = True
    make_user(app, "quantri", roles=("admin",))
    make_user(app, "hocvien")
    login(client, app, "quantri")
    for path in ["/", "/admin/", "/admin/users", "/admin/audit"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/auth/totp/setup", path
    page = client.get("/auth/totp/setup")
    assert "Tài khoản quản trị phải bật xác thực hai lớp" in page_text(page)
    health = client.get("/healthz")
    assert health.status_code != 302 and health.is_json, "health checks are never gated"

    secret = setup_secret(client)
    post(client, app, "/auth/totp/setup", {"code": code_at(secret, clock)})
    assert client.get("/admin/").status_code == 200

    official = app.test_client()
    login(official, app, "hocvien")
    assert official.get("/").status_code == 200


def test_admin_can_turn_off_a_users_totp(app, client, clock):
    make_user(app, "quantri", roles=("admin",))
    user_id = make_user(app, "giangvien", roles=("trainer",))
    trainer = app.test_client()
    login(trainer, app, "giangvien")
    enable(trainer, app, clock)
    login(client, app, "quantri")
    assert "Xác thực hai lớp: đã bật" in page_text(client.get(f"/admin/users/{user_id}"))

    response = post(client, app, f"/admin/users/{user_id}/disable-totp", follow_redirects=True)
    assert "Đã tắt xác thực hai lớp của giangvien." in page_text(response)
    user = get_user(app, "giangvien")
    assert user.totp_enabled is False and user.totp_secret is None
    # The trainer's sessions ended; the next sign-in needs only the password.
    assert trainer.get("/auth/password").status_code == 302
    again = login(app.test_client(), app, "giangvien")
    assert again.headers["Location"] == "/"
    with app.app_context():
        entry = db.session.scalar(
            db.select(AuditEntry).where(AuditEntry.action == "user.totp_disable")
        )
    assert entry.actor_name == "quantri" and entry.target_id == str(user_id)


def test_only_admins_may_turn_off_someone_elses_totp(app, clock):
    make_user(app, "hocvien")
    user_id = make_user(app, "giangvien", roles=("trainer",))
    trainer = app.test_client()
    login(trainer, app, "giangvien")
    enable(trainer, app, clock)
    official = app.test_client()
    login(official, app, "hocvien")
    assert post(official, app, f"/admin/users/{user_id}/disable-totp").status_code == 403
    assert get_user(app, "giangvien").totp_enabled is True
