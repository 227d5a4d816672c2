"""Rate limits shared by every worker through Redis, and sign-in that survives Redis going down.

Each "worker" is a process of its own, as under gunicorn (the limiter is one object per
process, so two applications in one process would share it and prove nothing).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from helpers import PASSWORD, make_user

REDIS = os.environ.get("CCHC_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent

WORKER = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from helpers import login
from cchc_learn import create_app
from cchc_learn.extensions import db
app = create_app(json.loads(sys.argv[3]))
answers = [login(app.test_client(), app, name, password).status_code
           for name, password in json.loads(sys.argv[4])]
with app.app_context():
    db.engine.dispose()
print(json.dumps(answers))
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


@pytest.fixture
def worker(app):
    """Run sign-ins in a new process with the app's database and the given limiter settings."""

    def run(attempts: list[tuple[str, str]], **settings) -> list[int]:
        config = {key: app.config[key] for key in (
            "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "UPLOAD_DIR",
            "CONTENT_DIR", "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB",
            "RATELIMIT_ENABLED")}  # fmt: skip
        config.update(TESTING=True, **settings)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_")}
        result = subprocess.run(
            [sys.executable, "-c", WORKER, str(REPO), str(TESTS), json.dumps(config),
             json.dumps(attempts)],
            capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.splitlines()[-1])

    return run


def _redis_available() -> None:
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI but unreachable at {REDIS}: {exc}")
        pytest.skip(f"Redis unreachable at {REDIS} (set CI=1 to make this a failure)")


def test_sign_in_limits_are_shared_through_redis(worker):
    _redis_available()
    prefix = f"cchc-test-{uuid.uuid4().hex}"
    wrong = [("khongco", "sai")] * 2
    try:
        shared = dict(RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_KEY_PREFIX=prefix,
                      LOGIN_RATE_LIMIT="3 per minute")  # fmt: skip
        assert worker(wrong, **shared) == [401, 401]
        # The second worker sees the first one's two attempts.
        assert worker(wrong, **shared) == [401, 429]
        assert any(redis.Redis.from_url(REDIS).scan_iter(f"*{prefix}*"))
    finally:
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
    # In each worker's memory, the same four attempts never reach the limit.
    alone = dict(RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="3 per minute")
    assert worker(wrong, **alone) == [401, 401]
    assert worker(wrong, **alone) == [401, 401]


def test_sign_in_works_while_redis_is_down(app, worker):
    make_user(app, "hocvien")
    down = f"redis://127.0.0.1:{closed_port()}/0"
    attempts = [("hocvien", PASSWORD), ("khongco", "sai"), ("khongco", "sai")]
    # The limit still holds, counted by the worker alone until Redis is back.
    assert worker(attempts, RATELIMIT_STORAGE_URI=down, LOGIN_RATE_LIMIT="2 per minute") == [
        302, 401, 429]  # fmt: skip
    # Without the fallback every sign-in would fail.
    assert worker(attempts[:1], RATELIMIT_STORAGE_URI=down,
                  RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=False, RAISE_UNEXPECTED=False) == [500]
