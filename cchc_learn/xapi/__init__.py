"""xAPI: learning events as xAPI 1.0.3 statements, exported or sent to a learning record store.

A feature that reads the others (tracking, quiz, qa, lessons, kb, org) and is imported by none:
`statements` builds, `sources` reads, `export` writes a file, `outbox` collects and sends (the
`xapi` job of `cchc-learn tick`), `views` is the admin page.
"""

from flask import Flask

from .. import periodic


def init_app(app: Flask) -> None:
    """Register the admin page, `cchc-learn xapi` and the tick job."""
    from . import (
        gauges,
        models,  # noqa: F401  (the tables)
        outbox,
        views,
    )
    from .cli import xapi_cli

    app.register_blueprint(views.bp)
    gauges.register(app)
    app.cli.add_command(xapi_cli)
    # A feature's job (registered last, it runs after the others'): what it sends is its own.
    periodic.register_job(app, "xapi", lambda: str(outbox.send_due()))
