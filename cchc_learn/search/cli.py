"""`cchc-learn search reindex|query`."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import click
from flask.cli import with_appcontext

from . import indexer, service
from .views import hit_json


@click.group("search", help="Chỉ mục tìm kiếm.")
def search_cli() -> None:
    pass


@search_cli.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the index from the database and swap it in."""
    count = indexer.rebuild()
    click.echo(f"Đã xây dựng lại chỉ mục: {count} mục.")


# The shell is trusted like an administrator: it sees every kind of item.
_SHELL_USER = SimpleNamespace(is_authenticated=True, id=0,
                              role_names={"official", "moderator", "trainer", "admin"})


@search_cli.command("query")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Một dòng JSON cho mỗi truy vấn.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@with_appcontext
def query_command(text: str | None, as_json: bool, limit: int) -> None:
    """Query the index; with no TEXT, one query per line from standard input."""
    queries = [text] if text is not None else [line.rstrip("\r\n") for line in sys.stdin]
    for query in queries:
        answer = service.search(query, user=_SHELL_USER, per_page=limit)
        if as_json:
            click.echo(json.dumps({"query": query, "total": answer.total,
                                   "suggestion": answer.suggestion, "repaired": answer.repaired,
                                   "results": [hit_json(h) for h in answer.hits]},
                                  ensure_ascii=False))
            continue
        if answer.error:
            click.echo(answer.error, err=True)
        click.echo(f"{query!r}: {answer.total} kết quả")
        if answer.suggestion:
            click.echo(f"  Có phải bạn muốn tìm: {answer.suggestion}")
        for hit in answer.hits:
            number = f" [{hit.number}]" if getattr(hit, "number", "") else ""
            click.echo(f"  {hit.kind:<9} {hit.score:7.3f}  {hit.title}{number}  {hit.url}")
