"""The `cchc-learn` console script: Flask's CLI bound to this application."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from flask.cli import FlaskGroup

INSTANCE_CONFIG = "config.py"


def ensure_instance_secret(instance_dir: Path) -> None:
    """Write a random SECRET_KEY into the instance config unless one is configured."""
    if os.environ.get("CCHC_SECRET_KEY"):
        return
    config_file = instance_dir / INSTANCE_CONFIG
    if config_file.exists() and "SECRET_KEY" in config_file.read_text(encoding="utf-8"):
        return
    instance_dir.mkdir(parents=True, exist_ok=True)
    with config_file.open("a", encoding="utf-8") as fh:
        fh.write(f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n")
    config_file.chmod(0o600)


def _create_app():
    from . import create_app

    return create_app()


cli = FlaskGroup(
    create_app=_create_app, add_version_option=False, help="CCHC Learn: quản trị từ dòng lệnh."
)


def main() -> None:
    """Entry point of the console script."""
    if len(sys.argv) > 1 and sys.argv[1] == "quickstart":
        from flask import Flask

        # A first run on a fresh machine has no secret yet: make one for this instance.
        ensure_instance_secret(
            Path(Flask("cchc_learn", instance_relative_config=True).instance_path)
        )
    cli.main(prog_name="cchc-learn")
