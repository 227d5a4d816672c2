"""Content from files: the floor every kind of content file stands on, and `content check|sync`.

The floor: one Problem (problems.py), one safe front-matter reader (frontmatter.py), declared
front-matter schemas (schema.py), one SyncSummary (summary.py), the columns of file-sourced
models (sourced.py), what every sync does to a row (versions.py) and the registry of kinds
(kinds.py). Features register their kind; checks.py runs them in order and imports none.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the CLI and the quickstart step."""
    from ..quickstart import register_step
    from . import cli

    app.cli.add_command(cli.content_cli)
    register_step(app, "Nạp nội dung từ content/", cli.sync_content)
