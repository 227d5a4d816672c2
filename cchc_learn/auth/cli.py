"""`cchc-learn users …` commands."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..database import declare_write
from . import service
from .admin import reset_password


@click.group("users", help="Quản lý tài khoản.")
def users_cli() -> None:
    declare_write()


@users_cli.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_password_command(username: str) -> None:
    """Print a one-time password for an account; it must be changed at the next sign-in."""
    user = service.get_by_username(username)
    if user is None:
        name = service.normalise_username(username)
        raise click.ClickException(f"Không tìm thấy tài khoản có tên đăng nhập {name}.")
    password = reset_password(user)
    click.echo(f"Đã cấp lại mật khẩu cho {user.username} ({user.full_name}).")
    click.echo(f"Mật khẩu tạm thời (đổi khi đăng nhập lần tới): {password}")
    if not user.active:
        # The reset does not unlock: an admin locked it on purpose.
        click.echo("Lưu ý: tài khoản đang bị khóa; quản trị viên mở khóa tại /admin/users.")
