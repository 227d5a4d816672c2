"""Static URLs carry a hash of the file, so the proxy may keep them a year without going stale."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import url_for

from cchc_learn.assets import file_version


def test_pages_link_static_files_by_a_hash_of_their_bytes(app, client):
    page = client.get("/auth/login").get_data(as_text=True)
    links = re.findall(r'(?:href|src)="(/static/([^"?]+)\?v=([0-9a-f]+))"', page)
    assert {name for _, name, _ in links} >= {"css/app.css", "css/print.css", "js/app.js"}
    folder = Path(app.static_folder)
    for url, name, version in links:
        content = (folder / name).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:12], name
        served = client.get(url)
        assert served.status_code == 200 and served.data == content
        served.close()


def test_a_changed_file_gets_a_new_url_and_outside_paths_get_none(app, tmp_path):
    (tmp_path / "app.css").write_text("body { color: #222; }", encoding="utf-8")
    first = file_version(tmp_path, "app.css")
    (tmp_path / "app.css").write_text("body { color: #111; }", encoding="utf-8")
    assert first and file_version(tmp_path, "app.css") not in (None, first)
    (tmp_path / "static").mkdir()
    for name in ("../app.css", "/etc/passwd", "css/khong-co.css", "", "."):
        assert file_version(tmp_path / "static", name) is None, name
    with app.test_request_context():
        assert url_for("static", filename="../config.py") == "/static/../config.py"
        assert url_for("static", filename="css/khong-co.css") == "/static/css/khong-co.css"
        given = url_for("static", filename="css/app.css", v="cu")
        assert given == "/static/css/app.css?v=cu"
