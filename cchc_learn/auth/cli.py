"""`cchc-learn users …` commands."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..database import declare_write
from ..extensions import db
from . import service


@click.group("users", help="Quản lý tài khoản.")
def users_cli() -> None:
    declare_write()


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    default=["official"],
    show_default=True,
    help="official, moderator, trainer, admin; may repeat.",
)
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị của tài khoản.")
@click.option("--full-name", default=None, help="Họ và tên (mặc định: tên đăng nhập).")
@click.option("--email", default=None)
@click.option("--position", default=None, help="Chức danh.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Đọc mật khẩu từ đầu vào chuẩn (không bắt đổi ở lần đăng nhập đầu).",
)
@with_appcontext
def create_command(username, roles, unit_code, full_name, email, position, password_stdin):
    """Create an account and print its generated password once."""
    from ..org import service as org_service

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        unit = None
        if unit_code:
            unit = org_service.get_by_code(unit_code)
            if unit is None:
                raise service.AuthError(f"Không tìm thấy đơn vị có mã {unit_code}.")
        user, generated = service.create_user(
            username,
            full_name or username,
            roles=list(roles),
            email=email,
            position=position,
            password=password,
        )
        if unit is not None:
            org_service.assign(user, unit)
        db.session.commit()
    except service.AuthError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã tạo tài khoản {user.username} ({', '.join(sorted(user.role_names))}).")
    if generated:
        click.echo(f"Mật khẩu tạm thời (đổi khi đăng nhập lần đầu): {generated}")


@users_cli.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_password_command(username: str) -> None:
    """Print a one-time password for an account; it must be changed at the next sign-in."""
    user = service.get_by_username(username)
    if user is None:
        name = service.normalise_username(username)
        raise click.ClickException(f"Không tìm thấy tài khoản có tên đăng nhập {name}.")
    password = service.reset_password(user)
    db.session.commit()
    click.echo(f"Đã cấp lại mật khẩu cho {user.username} ({user.full_name}).")
    click.echo(f"Mật khẩu tạm thời (đổi khi đăng nhập lần tới): {password}")
    if not user.active:
        # The reset does not unlock: an admin locked it on purpose.
        click.echo("Lưu ý: tài khoản đang bị khóa; quản trị viên mở khóa tại /admin/users.")
