"""`cchc-learn users reset-password NAME`: a one-time password for a lost one."""

from __future__ import annotations

import re

from helpers import PASSWORD, get_user, login, make_user
from sqlalchemy import func, select

from cchc_learn.audit.models import AuditEntry
from cchc_learn.extensions import db

ISSUED = re.compile(r"Mật khẩu tạm thời \(đổi khi đăng nhập lần tới\): (\S+)")


def audit_rows(app) -> list[tuple[str, str, str | None, str]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(r.action, r.actor_name, r.target_id, r.summary) for r in rows]


def test_the_printed_password_signs_in_and_must_be_changed(app, runner):
    user_id = make_user(app, "hocvien", full_name="Phạm Quốc Bảo")
    old_session = app.test_client()
    assert login(old_session, app, "hocvien").status_code == 302
    before = audit_rows(app)

    result = runner.invoke(args=["users", "reset-password", "HocVien"])
    assert result.exit_code == 0, result.output
    assert "Đã cấp lại mật khẩu cho hocvien (Phạm Quốc Bảo)." in result.output
    issued = ISSUED.search(result.output)
    assert issued, result.output
    password = issued.group(1)
    assert len(password) >= 12

    # The old password no longer works, and the session signed in with it has ended.
    assert login(app.test_client(), app, "hocvien", PASSWORD).status_code == 401
    assert old_session.get("/auth/password").headers["Location"].startswith("/auth/login")

    client = app.test_client()
    assert login(client, app, "hocvien", password).status_code == 302
    assert client.get("/").headers["Location"] == "/auth/password"
    page = client.get("/auth/password").get_data(as_text=True)
    assert "Bạn đang dùng mật khẩu tạm thời" in page
    assert get_user(app, "hocvien").must_change_password is True

    # The same audit row as the admin page's reset, by the system rather than an admin.
    added = audit_rows(app)[len(before) :]
    assert added == [
        ("user.reset_password", "hệ thống", str(user_id), "Đặt lại mật khẩu cho hocvien")
    ]


def test_each_reset_prints_a_new_password(app, runner):
    make_user(app, "giaidap", roles=("moderator",))
    first = ISSUED.search(runner.invoke(args=["users", "reset-password", "giaidap"]).output)
    second = ISSUED.search(runner.invoke(args=["users", "reset-password", "giaidap"]).output)
    assert first and second and first.group(1) != second.group(1)
    assert login(app.test_client(), app, "giaidap", first.group(1)).status_code == 401
    assert login(app.test_client(), app, "giaidap", second.group(1)).status_code == 302


def test_a_locked_account_stays_locked_and_says_so(app, runner):
    make_user(app, "cb001", active=False)
    result = runner.invoke(args=["users", "reset-password", "cb001"])
    assert result.exit_code == 0, result.output
    assert "tài khoản đang bị khóa" in result.output
    password = ISSUED.search(result.output).group(1)
    assert login(app.test_client(), app, "cb001", password).status_code == 401
    assert get_user(app, "cb001").active is False


def test_an_unknown_name_fails_in_vietnamese_and_writes_nothing(app, runner):
    make_user(app, "hocvien")
    hash_before = _password_hash(app, "hocvien")
    before = audit_rows(app)

    result = runner.invoke(args=["users", "reset-password", "Khong.Co"])
    assert result.exit_code != 0
    assert "Không tìm thấy tài khoản có tên đăng nhập khong.co." in result.output
    assert "Mật khẩu tạm thời" not in result.output
    assert audit_rows(app) == before
    assert _password_hash(app, "hocvien") == hash_before
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == len(before)
    assert login(app.test_client(), app, "hocvien").status_code == 302


def test_a_lost_demo_password_after_quickstart(app, runner, tmp_path):
    (tmp_path / "content").mkdir(exist_ok=True)
    first = runner.invoke(args=["quickstart", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "cchc-learn users reset-password" in first.output
    demo_password = re.search(r"^  hocvien\s+(\S+)$", first.output, re.M).group(1)

    again = runner.invoke(args=["quickstart", "--no-serve"])
    assert "mật khẩu không in lại" in again.output
    assert "Quên mật khẩu: chạy cchc-learn users reset-password TÊN-ĐĂNG-NHẬP" in again.output

    result = runner.invoke(args=["users", "reset-password", "hocvien"])
    assert result.exit_code == 0, result.output
    password = ISSUED.search(result.output).group(1)
    assert login(app.test_client(), app, "hocvien", demo_password).status_code == 401
    client = app.test_client()
    assert login(client, app, "hocvien", password).status_code == 302
    assert client.get("/").headers["Location"] == "/auth/password"


def _password_hash(app, username: str) -> str:
    return get_user(app, username).password_hash
