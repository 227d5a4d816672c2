"""CCHC Learn: lessons, knowledge base, Q&A and quizzes for administrative-reform officials."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import config as default_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, then each feature's init_app."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(default_config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CCHC")
    if config:
        app.config.update(config)
    _fill_paths(app)

    from . import assets, boundary, database, errors, metrics, numbers, security, timefmt
    from .extensions import csrf, db, limiter, login_manager, migrate

    metrics.init_app(app)  # first: its timer starts before every other hook
    assets.init_app(app)
    boundary.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=app.config["MIGRATIONS_DIR"])
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    timefmt.init_app(app)
    numbers.init_app(app)

    from . import (
        admin,
        audit,
        auth,
        backup,
        classes,
        content,
        demo,
        home,
        kb,
        lessons,
        org,
        plans,
        quiz,
        search,
        tracking,
    )

    audit.init_app(app)
    auth.init_app(app)
    org.init_app(app)
    tracking.init_app(app)
    from . import notify, periodic, workdays

    periodic.init_app(app)
    workdays.init_app(app)
    notify.init_app(app)
    kb.init_app(app)
    lessons.init_app(app)
    quiz.init_app(app)
    classes.init_app(app)
    from . import qa

    qa.init_app(app)
    from . import reports

    reports.init_app(app)
    content.init_app(app)
    search.init_app(app)
    plans.init_app(app)
    admin.init_app(app)
    home.init_app(app)
    demo.init_app(app)
    from . import xapi

    xapi.init_app(app)
    backup.init_app(app)
    return app


def _fill_paths(app: Flask) -> None:
    """Default file locations: instance folder for state, the checkout for content."""
    instance = Path(app.instance_path)
    checkout = Path(__file__).resolve().parent.parent
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'cchc-learn.sqlite'}"
    app.config.setdefault("SEARCH_INDEX_DIR", None)
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(instance / "search-index")
    if not app.config.get("CONTENT_DIR"):
        app.config["CONTENT_DIR"] = str(checkout / "content")
    if not app.config.get("UPLOAD_DIR"):
        app.config["UPLOAD_DIR"] = str(instance / "uploads")
    app.config.setdefault("MIGRATIONS_DIR", str(checkout / "migrations"))
    app.config.setdefault("DEVELOPMENT", os.environ.get("FLASK_DEBUG") == "1")
