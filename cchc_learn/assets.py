"""Versioned static URLs: `/static/css/app.css?v=<hash of the file>`.

The reverse proxy serves `/static/` itself with a year-long, immutable cache (`deploy/nginx/`).
That is safe only because a changed file gets a new URL: every `url_for("static", …)` — and so
`navigation.asset_url` — carries a short hash of the file's bytes, computed once per process
(an upgrade restarts the workers).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask

VERSION_ARG = "v"
_CACHE = "cchc_static_versions"


def file_version(static_folder: str | Path, filename: str) -> str | None:
    """The first 12 hex digits of the SHA-256 of a static file, or None when it is missing."""
    root = Path(static_folder).resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Add the file's version to every URL built for the static endpoint."""
    versions: dict[str, str | None] = app.extensions.setdefault(_CACHE, {})

    @app.url_defaults
    def _version_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or VERSION_ARG in values or not app.static_folder:
            return
        filename = values.get("filename")
        if not isinstance(filename, str):
            return
        if filename not in versions:
            versions[filename] = file_version(app.static_folder, filename)
        if versions[filename]:
            values[VERSION_ARG] = versions[filename]
