"""`cchc-learn xapi export`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .export import export
from .statements import XapiError


@click.group("xapi", help="Câu lệnh xAPI gửi kho hồ sơ học tập.")
def xapi_cli() -> None:
    pass


@xapi_cli.command("export")
@click.option("--since", default=None, help="Từ ngày (NNNN-TT-NN), tính cả ngày này.")
@click.option("--until", default=None, help="Đến ngày (NNNN-TT-NN), tính cả ngày này.")
@click.option("-o", "--output", required=True, help="Tệp kết quả (JSON Lines).")
@with_appcontext
def export_command(since: str | None, until: str | None, output: str) -> None:
    """Ghi mọi sự kiện học tập thành câu lệnh xAPI 1.0.3, mỗi dòng một câu lệnh."""
    try:
        count = export(output, since, until)
    except XapiError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        click.echo(f"Lỗi: không ghi được tệp kết quả: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"Đã ghi {count} câu lệnh xAPI vào {output}.")
