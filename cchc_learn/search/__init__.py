"""Search over lessons, documents and public Q&A (the only package that imports Whoosh)."""

from __future__ import annotations

from flask import Flask

from .. import health, navigation
from ..database import reading


def init_app(app: Flask) -> None:
    """Register the change log, pages, API, CLI, health check and quickstart step."""
    from ..backup import hooks
    from ..quickstart import INDEX, register_step
    from . import cli, dictionary, gauges, indexer, models, restored, views  # noqa: F401

    # A dictionary.yaml that does not parse stops the start, not every search.
    dictionary.load()

    app.register_blueprint(views.bp)
    app.register_blueprint(views.api)
    app.cli.add_command(cli.search_cli)
    navigation.register(app, navigation.NavEntry("search.search_page", "Tìm kiếm", 40))
    health.register(app, "search_index", _health)
    gauges.register(app)
    register_step(app, "Xây dựng chỉ mục tìm kiếm", _build_if_missing, order=INDEX)
    hooks.register(app, "Tìm kiếm", restored.after_restore, before=restored.before_restore)

    @app.after_request
    def _apply_changes_after_writes(response):
        # Changes are committed by now; apply them once the response has been sent. Requests
        # that logged nothing (sign-ins, autosaves, …) leave the index alone.
        if response.status_code < 400 and models.request_logged_changes():
            response.call_on_close(lambda: _catch_up_quietly(app))
        return response


def _catch_up_quietly(app: Flask) -> None:
    from . import indexer

    # Applying only reads the database. The request that wrote declared a writing
    # transaction, and on SQLite that would hold the one write lock while the index commits.
    with app.app_context(), reading():
        try:
            indexer.catch_up()
        except Exception:  # noqa: BLE001 - the next search or write retries
            app.logger.exception("applying search changes failed")


def _health() -> dict:
    from . import indexer

    index = indexer.get_index()
    if not index.exists():
        return {"ok": False, "status": "missing"}
    status = dict(index.status())
    status.update({"ok": bool(status.get("healthy", True)), "applied_change": indexer.applied_id(),
                   "latest_change": indexer.latest_change_id()})
    return status


def _build_if_missing() -> None:
    from . import indexer

    if indexer.get_index().exists():
        indexer.catch_up(wait=True)
    else:
        indexer.rebuild()
