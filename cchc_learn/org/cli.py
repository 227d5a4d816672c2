"""`cchc-learn units …` commands (the imports add theirs here and to `users`)."""

from __future__ import annotations

import click

from ..database import declare_write


@click.group("units", help="Quản lý đơn vị.")
def units_cli() -> None:
    declare_write()
