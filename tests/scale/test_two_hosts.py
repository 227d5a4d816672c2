"""Two hosts on one PostgreSQL database and one Redis, each with its own search index.

The hosts are real gunicorn processes on free 127.0.0.1 ports, configured the way a deployment
configures them (CCHC_* variables); `cchc-learn tick` runs as real processes, on both hosts at
the same moment, against a real SMTP sink (aiosmtpd) and a small stub learning record store.
PostgreSQL and Redis are required: unreachable in CI (CI set) is a failure, elsewhere a skip.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from cchc_learn import create_app
from cchc_learn.database import declare_write
from cchc_learn.extensions import db

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"
PASSWORD = "Mat-khau-rat-dai-2025"
SITE = "https://hoc.sonoivu.example.gov.vn"
ACCOUNT_FAILURES = 3
ADDRESS_LIMIT = 8
OLD_SUMMARY = "Kế hoạch khảo sát mức độ hài lòng năm 2026"
OLD_WORDS = "khao sat hai long"
NEW_WORDS = "chuyen doi so kho luu tru"
NEW_SUMMARY = "Kế hoạch chuyển đổi số kho lưu trữ năm 2026"
NUMBER = "77/KH-SNV"


def _unavailable(what: str, exc: Exception) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but unreachable: {exc}")
    pytest.skip(f"{what} unreachable ({exc}); set CI=1 to make this a failure")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- outside boundaries: an SMTP sink and a learning record store ------------------------------


@dataclass
class Sink:
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@dataclass
class Store:
    kept: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def serve_store(store: Store, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server hook)
            batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with store.lock:
                for statement in batch:
                    store.kept[statement["id"]] = store.kept.get(statement["id"], 0) + 1
            body = json.dumps([s["id"] for s in batch]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- a browser: cookies shared by both hosts (one site behind a balancer), no redirects --------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)

    def request(self, url: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode("utf-8", "replace")

    def token(self, url: str) -> str:
        status, page = self.request(url)
        assert status == 200, (url, status)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    def post_form(self, host: str, path: str, data: dict) -> tuple[int, str]:
        form = dict(data, csrf_token=self.token(host + path))
        return self.request(host + path, form)

    def sign_in(self, host: str, username: str, password: str = PASSWORD) -> tuple[int, str]:
        return self.post_form(host, "/auth/login", {"username": username, "password": password})

    def json(self, url: str) -> dict:
        status, text = self.request(url)
        assert status == 200, (url, status, text[:300])
        return json.loads(text)


# --- the deployment ----------------------------------------------------------------------------


@dataclass
class Deployment:
    uri: str
    env: dict[str, dict[str, str]]
    url: dict[str, str]
    index: dict[str, Path]
    redis: redis.Redis
    prefix: str
    smtp_port: int
    store_port: int
    document_slug: str = ""
    apps: dict = field(default_factory=dict)

    def app(self, host: str = "A"):
        """An application in this process configured like host A or B (for setup and checks)."""
        if host not in self.apps:
            self.apps[host] = self._make_app(host)
        return self.apps[host]

    def _make_app(self, host: str):
        settings = self.env[host]
        return create_app({
            "SECRET_KEY": settings["CCHC_SECRET_KEY"], "SQLALCHEMY_DATABASE_URI": self.uri,
            "SEARCH_INDEX_DIR": settings["CCHC_SEARCH_INDEX_DIR"],
            "UPLOAD_DIR": settings["CCHC_UPLOAD_DIR"], "CONTENT_DIR": settings["CCHC_CONTENT_DIR"],
            "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 64,
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.smtp_port, "SITE_URL": SITE,
        })

    def tick(self, host: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", "from cchc_learn.cli import main; main()", "tick"],
            cwd=REPO, env=self.env[host], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)


def _database(tmp: Path) -> tuple[str, str]:
    base = make_url(os.environ.get("CCHC_TEST_DATABASE_URL", DEFAULT_PG))
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"cchc_learn_two_hosts_{os.getpid()}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _unavailable("PostgreSQL", exc)
    uri = base.set(drivername="postgresql+psycopg", database=name)
    return admin, uri.render_as_string(hide_password=False)


def _redis() -> redis.Redis:
    client = redis.Redis.from_url(os.environ.get("CCHC_TEST_REDIS_URL", DEFAULT_REDIS))
    try:
        client.ping()
    except redis.RedisError as exc:
        _unavailable("Redis", exc)
    return client


def _seed(deployment: Deployment) -> None:
    """Schema, two accounts and a document, and each host's index built from the database."""
    from flask_migrate import upgrade

    from cchc_learn.auth.models import User
    from cchc_learn.kb import editing
    from cchc_learn.org import accounts
    from cchc_learn.search import indexer

    app = deployment.app("A")
    with app.app_context():
        declare_write()
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        declare_write()
        accounts.create_account("giangvien", "Trần Thị Giảng", roles=["trainer"],
                                password=PASSWORD)
        accounts.create_account("hocvien", "Nguyễn Văn Học", email="hocvien@example.gov.vn",
                                password=PASSWORD)
        declare_write()
        trainer = db.session.scalar(select(User).where(User.username == "giangvien"))
        doc = editing.save(None, editing.DocumentInput(
            number=NUMBER, doc_type="Kế hoạch", issuer="Sở Nội vụ", issued=date(2026, 2, 1),
            status="in_force", replaced_by="", topics="Công vụ", summary=OLD_SUMMARY,
            body="Nội dung kế hoạch."), trainer)
        deployment.document_slug = doc.slug
        indexer.rebuild()
        db.session.remove()
        db.engine.dispose()
    other = deployment.app("B")
    with other.app_context():
        indexer.rebuild()
        db.session.remove()
        db.engine.dispose()


def _start(host: str, deployment: Deployment, log: Path) -> subprocess.Popen:
    port = int(deployment.url[host].rsplit(":", 1)[1])
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "-", "wsgi:app"],
            cwd=REPO, env=deployment.env[host], stdout=out, stderr=subprocess.STDOUT)


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the host at {url} stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise AssertionError(f"the host at {url} did not start:\n{log.read_text()}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-hosts")
    cache = _redis()
    admin, uri = _database(tmp)
    prefix = f"cchc-two-hosts-{uuid.uuid4().hex[:12]}"
    smtp_port, store_port = free_port(), free_port()
    env, urls, indexes = {}, {}, {}
    for host in ("A", "B"):
        port = free_port()
        urls[host] = f"http://127.0.0.1:{port}"
        indexes[host] = tmp / f"index-{host}"
        env[host] = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CCHC_")},
            "CCHC_SECRET_KEY": "two-hosts-secret-key-0123456789-abcdefghijklmnop",
            "CCHC_SQLALCHEMY_DATABASE_URI": uri,
            "CCHC_SEARCH_INDEX_DIR": str(indexes[host]),
            "CCHC_UPLOAD_DIR": str(tmp / "uploads"),
            "CCHC_CONTENT_DIR": str(tmp / "content"),
            "CCHC_PASSWORD_HASH_TIME_COST": "1",
            "CCHC_PASSWORD_HASH_MEMORY_KIB": "64",
            "CCHC_RATELIMIT_STORAGE_URI": os.environ.get("CCHC_TEST_REDIS_URL", DEFAULT_REDIS),
            "CCHC_RATELIMIT_KEY_PREFIX": prefix,
            "CCHC_LOGIN_RATE_LIMIT": f"{ADDRESS_LIMIT} per minute",
            "CCHC_LOGIN_ACCOUNT_MAX_FAILURES": str(ACCOUNT_FAILURES),
            "CCHC_MAIL_SERVER": "127.0.0.1",
            "CCHC_MAIL_PORT": str(smtp_port),
            "CCHC_MAIL_DEFAULT_SENDER": "CCHC Learn <no-reply@sonoivu.example.gov.vn>",
            "CCHC_MAIL_TIMEOUT": "5",
            "CCHC_SITE_URL": SITE,
            "CCHC_XAPI_ENDPOINT": f"http://127.0.0.1:{store_port}/xapi",
            "CCHC_XAPI_TIMEOUT": "5",
        }
    made = Deployment(uri, env, urls, indexes, cache, prefix, smtp_port, store_port)
    processes = []
    try:
        _seed(made)
        logs = {host: tmp / f"host-{host}.log" for host in ("A", "B")}
        processes = [(host, _start(host, made, logs[host])) for host in ("A", "B")]
        for host, process in processes:
            _wait_until_serving(urls[host], process, logs[host])
        yield made
    finally:
        for _, process in processes:
            process.terminate()
        for _, process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for key in cache.scan_iter(match=f"*{prefix}*"):
            cache.delete(key)
        cache.close()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{make_url(uri).database}" WITH (FORCE)')


# --- (a) search: a change made through A reaches B's own index through the log -----------------


def _found_directly(index_dir: Path, words: str) -> list[str]:
    """What the index files of a host hold, read without applying the log first."""
    from cchc_learn.search.engine import SearchIndex

    index = SearchIndex(index_dir)
    try:
        return [hit.number for hit in index.search(words, visible_to=None).hits]
    finally:
        index.close()


def test_a_document_edited_on_host_a_is_found_on_host_b(deployment):
    a, b = deployment.url["A"], deployment.url["B"]
    trainer, official = Browser(), Browser()
    assert trainer.sign_in(a, "giangvien")[0] == 302
    assert official.sign_in(b, "hocvien")[0] == 302
    assert _found_directly(deployment.index["B"], NEW_WORDS) == []
    assert _found_directly(deployment.index["B"], OLD_WORDS) == [NUMBER]

    edit = f"/kb/{deployment.document_slug}/edit"
    status, _ = trainer.post_form(a, edit, {
        "number": NUMBER, "doc_type": "Kế hoạch", "issuer": "Sở Nội vụ", "issued": "2026-02-01",
        "status": "in_force", "replaced_by": "", "topics": "Công vụ", "summary": NEW_SUMMARY,
        "body": "Nội dung kế hoạch, bản sửa.", "message": "Đổi trích yếu"})
    assert status == 302

    # B has not applied the change yet: its index files do not hold the new words.
    health = official.json(b + "/healthz")["checks"]["search_index"]
    assert health["applied_change"] < health["latest_change"]
    assert _found_directly(deployment.index["B"], NEW_WORDS) == []

    # A search on B applies the log first (as every search does), then answers.
    answer = official.json(b + "/api/v1/search?" + urllib.parse.urlencode({"q": NEW_WORDS}))
    assert [hit["number"] for hit in answer["results"]][:1] == [NUMBER]
    health = official.json(b + "/healthz")["checks"]["search_index"]
    assert health["applied_change"] == health["latest_change"]
    assert _found_directly(deployment.index["B"], NEW_WORDS) == [NUMBER]
    old = official.json(b + "/api/v1/search?" + urllib.parse.urlencode({"q": OLD_WORDS}))
    assert NUMBER not in [hit["number"] for hit in old["results"]]


# --- (b) sign-in throttling counts across both hosts -------------------------------------------


def test_sign_in_throttling_counts_across_both_hosts(deployment):
    a, b = deployment.url["A"], deployment.url["B"]
    # This test's window starts now: forget the sign-ins of the other tests.
    for key in deployment.redis.scan_iter(match=f"*{deployment.prefix}*"):
        deployment.redis.delete(key)
    with deployment.app().app_context():
        from cchc_learn.auth.models import LoginFailure

        declare_write()
        db.session.execute(db.delete(LoginFailure))
        db.session.commit()
        db.engine.dispose()
    visitor = Browser()
    hosts = [a, b] * ADDRESS_LIMIT
    posts = 0

    # The account: wrong passwords alternated between A and B lock it at the configured total.
    for host in hosts[:ACCOUNT_FAILURES]:
        status, page = visitor.sign_in(host, "hocvien", "sai-mat-khau")
        posts += 1
        assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in page
    status, page = visitor.sign_in(hosts[ACCOUNT_FAILURES], "hocvien")  # the right password
    posts += 1
    assert status == 401 and "Đăng nhập tạm thời bị khóa" in page

    # The address: POSTs alternated between A and B are refused past the shared limit.
    while posts < ADDRESS_LIMIT:
        status, _ = visitor.sign_in(hosts[posts], f"khong-co-{posts}", "sai")
        posts += 1
        assert status == 401, posts
    for host in (a, b):
        status, page = visitor.sign_in(host, "giangvien")
        assert status == 429 and "Bạn đã gửi quá nhiều yêu cầu" in page


# --- (c) tick on both hosts at once sends everything exactly once ------------------------------


def _queue(deployment: Deployment, round_number: int, mails: int, views: int) -> None:
    from cchc_learn.auth.models import User
    from cchc_learn.kb.models import Document
    from cchc_learn.notify import service as notify
    from cchc_learn.tracking import events

    app = deployment.app()
    with app.app_context():
        declare_write()
        official = db.session.scalar(select(User).where(User.username == "hocvien"))
        doc = db.session.scalar(select(Document))
        for i in range(mails):
            notify.notify(official, "test", f"Thông báo lượt {round_number} số {i}", "/me")
        for _ in range(views):
            events.record(official.id, events.document_view(doc.id, doc.version))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_tick_on_both_hosts_at_once_sends_each_mail_and_statement_once(deployment):
    from cchc_learn.notify.models import OutboxMail
    from cchc_learn.tracking.models import AccessEvent
    from cchc_learn.xapi.models import XapiStatement

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=deployment.smtp_port)
    controller.start()
    store = Store()
    server = serve_store(store, deployment.store_port)
    try:
        for round_number in range(3):
            _queue(deployment, round_number, mails=40 if round_number < 2 else 0,
                   views=30 if round_number < 2 else 0)
            ticks = [deployment.tick(host) for host in ("A", "B")]
            for process in ticks:
                output, _ = process.communicate(timeout=120)
                assert process.returncode == 0, output
    finally:
        controller.stop()
        server.shutdown()
        server.server_close()

    app = deployment.app()
    with app.app_context():
        mails = db.session.scalars(select(OutboxMail)).all()
        statements = db.session.scalars(select(XapiStatement)).all()
        views = db.session.scalar(select(func.count()).select_from(AccessEvent))
        db.session.remove()
        db.engine.dispose()
    assert len(mails) == 80 and all(m.sent_at is not None for m in mails)
    subjects = sorted(str(m["Subject"]) for m in sink.messages)
    assert len(subjects) == 80 and len(set(subjects)) == 80
    assert set(subjects) == {m.subject for m in mails}
    assert views == 60 and len(statements) == views
    assert all(s.sent_at is not None for s in statements)
    assert store.kept == {s.statement_id: 1 for s in statements}


def test_the_first_xapi_collection_on_two_hosts_at_once_fails_neither(app):
    """Both hosts' first tick creates the outbox's read positions: neither may fail."""
    from cchc_learn.xapi import outbox
    from cchc_learn.xapi.models import XapiCursor

    app.config["SITE_URL"] = SITE
    start = threading.Barrier(2)
    failures: list[str] = []

    def first_tick() -> None:
        declare_write()
        with app.app_context():
            start.wait()
            try:
                outbox.collect()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=first_tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(XapiCursor)) > 0
        db.session.rollback()
