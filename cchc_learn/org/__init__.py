"""Organisation: the unit tree and officials' memberships."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the organisation models and CLI (units, and `users import`)."""
    from ..auth.cli import users_cli
    from . import cli, models  # noqa: F401
    from .importing import models as import_models  # noqa: F401

    app.cli.add_command(cli.units_cli)
    users_cli.add_command(cli.import_users_command, "import")
    users_cli.add_command(cli.create_user_command, "create")
