"""The command line: `users create`, `quickstart --no-serve`, and the /healthz report."""

from __future__ import annotations

import re
from datetime import date

from helpers import PASSWORD, get_user, login, make_unit, make_user
from sqlalchemy import func, select, text

from cchc_learn import create_app
from cchc_learn.auth.models import User, UserRole
from cchc_learn.extensions import db
from cchc_learn.org import service as org_service
from cchc_learn.org.models import Unit


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def unit_of(app, username: str) -> str | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        membership = org_service.current_membership(user)
        return membership.unit.code if membership else None


# --- users create -----------------------------------------------------------------------------


def test_create_with_repeated_roles_and_a_unit_prints_a_forced_change_password(app, runner):
    make_unit(app, "XA-MYHOA", "Xã Mỹ Hòa Hưng", "commune")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Tran.Van.An",
            "--role",
            "official",
            "--role",
            "moderator",
            "--unit",
            "xa-myhoa",
            "--full-name",
            "Trần Văn An",
            "--position",
            "Chuyên viên",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản tran.van.an (moderator, official)." in result.output
    password = re.search(r"Mật khẩu tạm thời \(đổi khi đăng nhập lần đầu\): (\S+)", result.output)
    assert password, result.output
    user = get_user(app, "tran.van.an")
    assert user.role_names == {"official", "moderator"}
    assert user.full_name == "Trần Văn An" and user.must_change_password is True
    assert unit_of(app, "tran.van.an") == "XA-MYHOA"
    client = app.test_client()
    assert login(client, app, "tran.van.an", password.group(1)).status_code == 302
    assert client.get("/").headers["Location"] == "/auth/password"


def test_password_from_stdin_is_not_forced_to_change_and_never_printed(app, runner):
    result = runner.invoke(
        args=["users", "create", "quantri", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and "Mật khẩu tạm thời" not in result.output
    user = get_user(app, "quantri")
    assert user.must_change_password is False and user.role_names == {"admin"}
    client = app.test_client()
    login(client, app, "quantri")
    assert client.get("/admin/").status_code == 200


def test_default_role_is_official(app, runner):
    result = runner.invoke(args=["users", "create", "hocvien"])
    assert result.exit_code == 0, result.output
    assert get_user(app, "hocvien").role_names == {"official"}


def test_unknown_unit_fails_in_vietnamese_and_creates_nothing(app, runner):
    result = runner.invoke(args=["users", "create", "hocvien", "--unit", "KHONG-CO"])
    assert result.exit_code != 0
    assert "Không tìm thấy đơn vị có mã KHONG-CO." in result.output
    assert user_count(app) == 0


def test_duplicate_username_fails(app, runner):
    make_user(app, "hocvien")
    result = runner.invoke(args=["users", "create", "HocVien"])
    assert result.exit_code != 0
    assert "Tên đăng nhập hocvien đã tồn tại." in result.output
    assert user_count(app) == 1


def test_bad_role_name_or_password_fails_and_creates_nothing(app, runner):
    bad_role = runner.invoke(args=["users", "create", "hocvien", "--role", "root"])
    assert bad_role.exit_code != 0 and "Vai trò không hợp lệ: root." in bad_role.output
    weak = runner.invoke(args=["users", "create", "hocvien", "--password-stdin"], input="123\n")
    assert weak.exit_code != 0 and "Mật khẩu phải có ít nhất 10 ký tự." in weak.output
    bad_name = runner.invoke(args=["users", "create", "Nguyễn Văn A"])
    assert bad_name.exit_code != 0 and "Tên đăng nhập gồm 2–64 ký tự" in bad_name.output
    assert user_count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserRole)) == 0


# --- quickstart -------------------------------------------------------------------------------


def test_quickstart_builds_a_demo_province_once(app, runner, tmp_path):
    (tmp_path / "content").mkdir(exist_ok=True)
    first = runner.invoke(args=["quickstart", "--no-serve"])
    assert first.exit_code == 0, first.output
    printed = dict(re.findall(r"^  (\S+)\s+(\S+)$", first.output, re.M))
    assert {"admin", "giangvien", "giaidap", "hocvien"} <= set(printed)
    assert len(printed) >= 44

    with app.app_context():
        units = db.session.scalars(select(Unit)).all()
        by_level: dict[str, list[Unit]] = {}
        for unit in units:
            by_level.setdefault(unit.level, []).append(unit)
        [province] = by_level["province"]
        departments = by_level["department"]
        communes = by_level["commune"]
        assert len(departments) >= 6 and len(communes) >= 10
        assert "Sở Nội vụ" in {u.name for u in departments}
        assert {u.parent_id for u in departments + communes} == {province.id}
        officials = db.session.scalar(
            select(func.count()).select_from(UserRole).where(UserRole.role == "official")
        )
        assert officials >= 40
        tree_codes = {n.unit.code for n in org_service.flatten(org_service.tree(date(2025, 7, 1)))}
        assert tree_codes == {u.code for u in units}
        snapshot = (len(units), db.session.scalar(select(func.count(User.id))))

    # The printed passwords work: staff sign in directly, officials must change theirs.
    admin = app.test_client()
    assert login(admin, app, "admin", printed["admin"]).status_code == 302
    assert admin.get("/admin/").status_code == 200
    official = app.test_client()
    assert login(official, app, "cb001", printed["cb001"]).status_code == 302
    assert official.get("/").headers["Location"] == "/auth/password"

    second = runner.invoke(args=["quickstart", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "Tài khoản mẫu đã có từ lần chạy trước (mật khẩu không in lại)." in second.output
    assert "Đã thêm 0 đơn vị." in second.output
    for password in printed.values():
        assert password not in second.output
    with app.app_context():
        again = (
            db.session.scalar(select(func.count(Unit.id))),
            db.session.scalar(select(func.count(User.id))),
        )
    assert again == snapshot
    # The second run did not reset anything either.
    assert login(app.test_client(), app, "admin", printed["admin"]).status_code == 302


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_reports_the_database_up_to_date(app, client):
    response = client.get("/healthz")
    assert response.is_json
    body = response.get_json()
    # Other features add their own checks (the search index, …): any failing one makes the
    # status "degraded", but only the database takes the node out of rotation (503).
    all_ok = all(check["ok"] for check in body["checks"].values())
    assert response.status_code == 200
    assert body["status"] == ("ok" if all_ok else "degraded")
    assert body["checks"]["search_index"] == {"ok": False, "status": "missing"}
    database = body["checks"]["database"]
    assert database["ok"] is True
    assert database["migrations"]["up_to_date"] is True
    assert database["migrations"]["current"] == database["migrations"]["head"] != []
    assert database["dialect"] == app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]


def test_healthz_reports_a_database_behind_its_migrations(app, client):
    with app.app_context():
        with db.engine.begin() as conn:
            versions = [
                row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))
            ]
            conn.execute(text("DELETE FROM alembic_version"))
        db.engine.dispose()
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "degraded"
        assert body["checks"]["database"]["ok"] is False
        assert body["checks"]["database"]["migrations"]["up_to_date"] is False
        assert body["checks"]["database"]["migrations"]["current"] == []
    finally:
        with app.app_context():
            with db.engine.begin() as conn:
                for version in versions:
                    conn.execute(
                        text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                        {"v": version},
                    )
            db.engine.dispose()
    assert client.get("/healthz").get_json()["checks"]["database"]["ok"] is True


def test_healthz_on_an_empty_database_file(tmp_path):
    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "CONTENT_DIR": str(tmp_path / "content"),
        }
    )
    try:
        response = fresh.test_client().get("/healthz")
        assert response.status_code == 503
        database = response.get_json()["checks"]["database"]
        assert database["ok"] is False and database["migrations"]["up_to_date"] is False
    finally:
        with fresh.app_context():
            db.engine.dispose()
