"""Health checks behind /healthz; features register their own (the search index, …)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import text

from .extensions import db

Check = Callable[[], dict[str, Any]]


def register(app: Flask, name: str, check: Check) -> None:
    """Add a named check returning a dict with at least an "ok" key."""
    app.extensions.setdefault("cchc_health", {})[name] = check


def migration_heads() -> set[str]:
    """The head revisions of the migration scripts."""
    script = ScriptDirectory(current_app.config["MIGRATIONS_DIR"])
    return set(script.get_heads())


def check_database() -> dict[str, Any]:
    """Database reachable and migrated to head."""
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # noqa: BLE001 - report any failure as unhealthy
        return {"ok": False, "error": exc.__class__.__name__}
    heads = migration_heads()
    return {
        "ok": current == heads,
        "dialect": db.engine.dialect.name,
        "migrations": {
            "current": sorted(current),
            "head": sorted(heads),
            "up_to_date": current == heads,
        },
    }


def run_checks() -> dict[str, Any]:
    """Run every registered check."""
    results = {"database": check_database()}
    for name, check in current_app.extensions.get("cchc_health", {}).items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - a failing check must not break /healthz
            results[name] = {"ok": False, "error": exc.__class__.__name__}
    return results
