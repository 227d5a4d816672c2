"""Content from files: the content/ tree, its checks and its import."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the CLI and the quickstart step."""
    from ..demo.cli import register_step
    from . import cli

    app.cli.add_command(cli.content_cli)
    register_step(app, "Nạp nội dung từ content/", cli.sync_content)
