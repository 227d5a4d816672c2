"""`cchc-learn units …` commands, and `users import` (attached to the `users` group)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.service import AuthError
from ..database import declare_write
from . import accounts, importing, service
from .importing.reading import too_large


@click.group("units", help="Quản lý đơn vị.")
def units_cli() -> None:
    declare_write()


def _read(path: Path) -> bytes:
    limit = current_app.config["IMPORT_MAX_BYTES"]
    size = path.stat().st_size
    if size > limit:
        click.echo(f"{path}: {too_large(size, limit)}")
        raise SystemExit(1)
    return path.read_bytes()


def _report_problems(shown: str, plan: importing.ImportPlan) -> None:
    for problem in plan.problems:
        click.echo(problem.located(shown))
    click.echo(
        f"{shown}: {len(plan.problems)} lỗi; không có gì được ghi vào cơ sở dữ liệu.", err=True
    )
    raise SystemExit(1)


def _run(kind: str, path: Path, dry_run: bool) -> importing.ImportResult | None:
    """Check, then (unless dry_run) import; exit non-zero listing every problem."""
    shown = str(path)
    data = _read(path)
    plan = importing.preview(kind, path.name, data)
    if not plan.ok:
        _report_problems(shown, plan)
    if dry_run:
        counts = plan.counts
        click.echo(
            f"{shown}: kiểm tra xong, không có lỗi: {counts['create']} dòng sẽ tạo mới, "
            f"{counts['unchanged']} dòng không đổi (chạy thử, chưa ghi gì)."
        )
        return None
    try:
        result = importing.run(kind, path.name, data, actor=None, source="cli")
    except importing.ImportRejected as exc:
        _report_problems(shown, exc.plan)
    what = "đơn vị" if kind == "units" else "tài khoản"
    click.echo(
        f"{shown}: đã nhập {len(result.created)} {what} tạo mới, {result.unchanged} không đổi."
    )
    return result


@units_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra tệp, không ghi gì.")
@with_appcontext
def import_units_command(file: Path, dry_run: bool) -> None:
    """Import units from a CSV or XLSX file, all or nothing."""
    _run("units", file, dry_run)


def _open_private(path: Path) -> int:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        click.echo(f"{path}: tệp đã có; chọn tên khác để không ghi đè mật khẩu cũ.", err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        click.echo(f"{path}: không tạo được tệp ({exc.strerror}).", err=True)
        raise SystemExit(1) from None
    os.fchmod(fd, 0o600)
    return fd


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra tệp, không ghi gì.")
@click.option(
    "--passwords-out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Ghi mật khẩu tạm thời vào tệp CSV này (quyền 0600) thay vì in ra màn hình.",
)
@with_appcontext
def import_users_command(file: Path, dry_run: bool, passwords_out: Path | None) -> None:
    """Import officials' accounts from a CSV or XLSX file, all or nothing."""
    # Created before anything is written, so a bad path cannot lose the passwords afterwards.
    fd = _open_private(passwords_out) if passwords_out and not dry_run else None
    try:
        result = _run("accounts", file, dry_run)
    except BaseException:
        if fd is not None:
            os.close(fd)
            passwords_out.unlink(missing_ok=True)
        raise
    if result is None:
        return
    lines = ["username,password", *(f"{u},{p}" for u, p in result.passwords)]
    if fd is not None:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write("\r\n".join(lines) + "\r\n")
        click.echo(f"Đã ghi {len(result.passwords)} mật khẩu tạm thời vào {passwords_out}.")
        return
    if result.passwords:
        click.echo("Mật khẩu tạm thời (chỉ in MỘT LẦN; người dùng phải đổi khi đăng nhập lần đầu):")
        for line in lines:
            click.echo(line)


@click.command("create")
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
def create_user_command(username, roles, unit_code, full_name, email, position, password_stdin):
    """Create an account and print its generated password once."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user, generated = accounts.create_account(
            username,
            full_name or username,
            unit_code=unit_code,
            roles=list(roles),
            email=email,
            position=position,
            password=password,
        )
    except (AuthError, service.OrgError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Đã tạo tài khoản {user.username} ({', '.join(sorted(user.role_names))}).")
    if generated:
        click.echo(f"Mật khẩu tạm thời (đổi khi đăng nhập lần đầu): {generated}")
