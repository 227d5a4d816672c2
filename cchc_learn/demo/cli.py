"""`cchc-learn quickstart`: migrate, load content and demo data, build the index, serve."""

from __future__ import annotations

import click
from flask import current_app, g
from flask.cli import with_appcontext

from .. import quickstart
from ..database import declare_write
from . import data


def create_accounts() -> None:
    """The quickstart step creating the demo province and accounts (passwords shown at the end)."""
    g.demo_result = data.create_demo()


@click.command("quickstart")
@click.option("--no-serve", is_flag=True, help="Chuẩn bị dữ liệu rồi thoát, không chạy máy chủ.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def quickstart_command(no_serve: bool, host: str, port: int) -> None:
    """Prepare a working demo (idempotent) and serve it."""
    from flask_migrate import upgrade

    declare_write()
    click.echo("· Cập nhật cơ sở dữ liệu (migrations)…")
    upgrade(directory=current_app.config["MIGRATIONS_DIR"])
    for name, step in quickstart.steps():
        click.echo(f"· {name}…")
        step()
    result = g.pop("demo_result", None)
    if result is not None:
        _print_accounts(result)
    if no_serve:
        return
    click.echo(f"\nMở http://{host}:{port}/ trong trình duyệt (Ctrl+C để dừng).")
    serve(current_app._get_current_object(), host, port)


def _print_accounts(result: data.DemoResult) -> None:
    if result.passwords:
        click.echo("\nTài khoản mới tạo (mật khẩu chỉ in ra MỘT LẦN — hãy ghi lại):")
        for username, password in result.passwords.items():
            click.echo(f"  {username:<12} {password}")
    else:
        click.echo("Tài khoản mẫu đã có từ lần chạy trước (mật khẩu không in lại).")
    click.echo(
        "Quên mật khẩu: chạy cchc-learn users reset-password TÊN-ĐĂNG-NHẬP để nhận "
        "mật khẩu tạm thời mới (phải đổi ở lần đăng nhập tới)."
    )
    click.echo(f"Đã thêm {result.units_created} đơn vị.")


def serve(app, host: str, port: int) -> None:
    """Serve with Werkzeug's development server; its log has colours only on a terminal."""
    import sys

    from werkzeug import serving

    if not sys.stderr.isatty():
        # Werkzeug colours its request log with ANSI codes wherever it writes; a log written
        # to a file (quickstart > quickstart.log) would be full of them.
        serving._log_add_style = False
    serving.run_simple(host, port, app, threaded=True, use_reloader=False)
