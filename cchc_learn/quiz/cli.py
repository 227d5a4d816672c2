"""`cchc-learn quiz import|export|sweep`, and the quiz job of `cchc-learn tick`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from ..database import declare_write
from .attempts.lifecycle import sweep
from .banks.service import export_text, get_bank, import_bank
from .errors import QuizError
from .formats import FORMATS, QuestionFormatError, read_bank


@click.group("quiz", help="Ngân hàng câu hỏi và bài kiểm tra.")
def quiz_cli() -> None:
    pass


def _fail(lines: list[str]) -> None:
    for line in lines:
        click.echo(line, err=True)
    raise SystemExit(1)


@quiz_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bank", "slug", required=True, help="Mã ngân hàng nhận các câu hỏi.")
@click.option("--title", default="", help="Tên ngân hàng (khi tạo mới).")
@with_appcontext
def import_command(file: Path, slug: str, title: str) -> None:
    """Import a Markdown (.md) or GIFT (.gift, .txt) file into a bank, all or nothing."""
    declare_write()
    if not file.is_file():
        _fail([f"{file}: không tìm thấy tệp"])
    try:
        parsed = read_bank(file)
        bank, summary = import_bank(slug, parsed, str(file), title=title)
    except QuestionFormatError as exc:
        _fail([str(p) for p in exc.problems])
    except QuizError as exc:
        _fail(exc.problems or [f"{file}: {exc}"])
    click.echo(
        f"Ngân hàng {bank.slug}: thêm {summary.added}, cập nhật {summary.updated}, "
        f"không đổi {summary.unchanged} câu hỏi."
    )


@quiz_cli.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="gift, md (Markdown) hoặc json (danh sách câu hỏi).",
)
@with_appcontext
def export_command(slug: str, fmt: str) -> None:
    """Print a bank's live items to standard output."""
    bank = get_bank(slug)
    if bank is None:
        _fail([f"không có ngân hàng câu hỏi '{slug}'"])
    click.echo(export_text(bank, fmt), nl=False)


def sweep_job() -> str:
    """The quiz job of `cchc-learn tick`: close and grade overdue attempts."""
    declare_write()
    return f"đã đóng và chấm {sweep()} lượt làm bài quá giờ"


@quiz_cli.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Close and grade every attempt whose time is up."""
    declare_write()
    closed = sweep()
    click.echo(f"Đã đóng và chấm {closed} lượt làm bài quá giờ.")
