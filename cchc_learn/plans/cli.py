"""`cchc-learn report compliance --plan SLUG [--as-of D] [--unit CODE] --format F -o FILE`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from . import exports
from .report import ReportError, compliance


@click.group("report", help="Báo cáo: kết quả bồi dưỡng theo kế hoạch.")
def report_cli() -> None:
    pass


@report_cli.command("compliance")
@click.option("--plan", "plan_slug", required=True, help="Mã kế hoạch (tên tệp plans/<mã>.md).")
@click.option("--as-of", "as_of", default=None, help="Ngày báo cáo YYYY-MM-DD (mặc định hôm nay).")
@click.option("--unit", "unit_code", default=None, help="Chỉ đơn vị này và cấp dưới.")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False))
@with_appcontext
def compliance_command(
    plan_slug: str, as_of: str | None, unit_code: str | None, fmt: str, output: str
) -> None:
    """Write a plan's compliance report as of a date; nothing is written on an error."""
    try:
        report = compliance(plan_slug, as_of, unit_code)
    except ReportError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        raise SystemExit(1) from exc
    data = exports.render(report, fmt)
    target = Path(output)
    # Written beside the target then renamed: a failed write leaves no half file behind.
    handle, temp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                                    prefix=".bao-cao-")  # fmt: skip
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    total = report.total
    click.echo(
        f"Đã ghi {target} ({len(report.rows)} đơn vị; đối tượng {total.roster}, "
        f"đã tiếp cận {total.accessed}, đã được bồi dưỡng {total.trained})."
    )
