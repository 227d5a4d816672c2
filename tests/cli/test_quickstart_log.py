"""The development server quickstart starts: a log written to a file has no colour codes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

SERVE = """
import sys
from cchc_learn import create_app
from cchc_learn.demo.cli import serve
app = create_app({"SECRET_KEY": "x" * 40, "TESTING": True,
                  "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1] + "/db.sqlite",
                  "SEARCH_INDEX_DIR": sys.argv[1] + "/index",
                  "UPLOAD_DIR": sys.argv[1] + "/uploads"})
serve(app, "127.0.0.1", int(sys.argv[2]))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_log_written_to_a_file_has_no_colour_codes(tmp_path):
    port = _free_port()
    log = tmp_path / "quickstart.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(tmp_path), str(port)], stdout=out, stderr=out
        )
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/khong-co", timeout=2):
                        pass
                except urllib.error.HTTPError as answered:
                    assert answered.code == 404
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError(log.read_text())
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert '"GET /khong-co HTTP/1.1" 404' in text and "Running on http://127.0.0.1" in text
    assert "\x1b[" not in text
