"""`cchc-learn quickstart`: migrate, load content and demo data, build the index, serve."""

from __future__ import annotations

import click
from flask import current_app, g
from flask.cli import with_appcontext

from .. import quickstart
from ..database import declare_write
from . import data

SEED_DEFAULT = 4599


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


@click.group("demo")
def demo_group() -> None:
    """Dữ liệu mẫu cho thử tải và đo hiệu năng."""


@demo_group.command("scale")
@click.option("--officials", required=True, help="Số cán bộ (10 – 5.000.000).")
@click.option("--events", "n_events", required=True, help="Số sự kiện truy cập.")
@click.option("--seed", default=str(SEED_DEFAULT), show_default=True,
              help="Cùng hạt giống cho cùng dữ liệu.")
@with_appcontext
def scale_command(officials: str, n_events: str, seed: str) -> None:
    """Build a national-size synthetic dataset (an empty database, or one this command made)."""
    from flask_migrate import upgrade

    from . import scale

    declare_write()
    click.echo("· Cập nhật cơ sở dữ liệu (migrations)…")
    upgrade(directory=current_app.config["MIGRATIONS_DIR"])
    try:
        result = scale.build(officials, n_events, seed, progress=click.echo)
    except scale.ScaleError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(f"\nXong sau {result.seconds['total']:.0f} giây ("
               + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items() if v >= 1)
               + "). Số dòng đã ghi:")
    for name, count in result.counts.items():
        click.echo(f"  {name:<20} {count:>14,}".replace(",", "."))
    click.echo("\nTài khoản quản trị, giải đáp, giảng viên (mật khẩu chung, chỉ in MỘT LẦN): "
               f"{result.password}")
    click.echo("  " + ", ".join(result.staff[:8]) + (" …" if len(result.staff) > 8 else ""))
    click.echo("Cán bộ (cb0000001 …) chưa có mật khẩu: cchc-learn users reset-password TÊN.")
    click.echo("Tìm kiếm chưa có dữ liệu mới: chạy cchc-learn search reindex nếu cần.")


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
