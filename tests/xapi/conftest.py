"""Settings for the xAPI tests: the site's address, and a stub learning record store."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from xapi_world import SITE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Store:
    """What the stub store received and kept; it fails the first POST with 503 when asked to.

    A batch holding a statement about the lesson "tu-choi" is refused whole with 400, as a
    store refuses a batch with one bad statement.
    """

    fail_first: bool = True
    posts: list[tuple[dict[str, str], list[dict]]] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)
    """Statement id → how many times the store accepted it."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, headers: dict[str, str], batch: list[dict]) -> int:
        with self.lock:
            self.posts.append((headers, batch))
            if self.fail_first and len(self.posts) == 1:
                return 503
            if any(s["object"]["id"].endswith("/tu-choi") for s in batch):
                return 400
            for statement in batch:
                self.kept[statement["id"]] = self.kept.get(statement["id"], 0) + 1
            return 200


def serve(store: Store, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server hook)
            length = int(self.headers.get("Content-Length") or 0)
            batch = json.loads(self.rfile.read(length).decode("utf-8"))
            status = store.answer({k.lower(): v for k, v in self.headers.items()}, batch)
            body = json.dumps([s["id"] for s in batch] if status == 200 else
                              {"error": "refused"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def store_port() -> int:
    return free_port()


@pytest.fixture
def xapi_env(monkeypatch, store_port):
    """The settings given the way a deployment gives them: CCHC_* variables."""
    monkeypatch.setenv("CCHC_SITE_URL", SITE + "/")
    monkeypatch.setenv("CCHC_XAPI_ENDPOINT", f"http://127.0.0.1:{store_port}/xapi/")
    monkeypatch.setenv("CCHC_XAPI_USERNAME", "cchc")
    monkeypatch.setenv("CCHC_XAPI_PASSWORD", "mật-khẩu")
    monkeypatch.setenv("CCHC_XAPI_TIMEOUT", "5")


@pytest.fixture
def app(xapi_env, app):
    """The test application, created after the settings are in the environment."""
    return app


@pytest.fixture
def start_store(store_port):
    servers = []

    def start(fail_first: bool = True) -> Store:
        store = Store(fail_first=fail_first)
        servers.append(serve(store, store_port))
        return store

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
