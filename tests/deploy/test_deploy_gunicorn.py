"""deploy/gunicorn.conf.py under a real gunicorn: /metrics adds up every worker's counters."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SECRET

REPO = Path(__file__).resolve().parents[2]
TOKEN = "Prometheus-cua-So-Noi-vu-0123456789abcdef"
CLIENT = "203.0.113.7"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def healthz_count(text: str) -> float:
    found = re.search(
        r'^cchc_http_request_duration_seconds_count\{endpoint="home\.healthz",'
        r'method="GET",status_class="2xx"\} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


def worker_pids(folder: Path) -> set[int]:
    return {int(m.group(1)) for p in folder.glob("*.db")
            if (m := re.search(r"_(\d+)\.db$", p.name))}


@pytest.fixture
def gunicorn(app, database_uri, tmp_path):
    """gunicorn with two workers, started from the deploy config as the systemd unit does."""
    port = free_port()
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left by an earlier run")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CCHC_", "PROMETHEUS_", "GUNICORN_"))}
    env.update({
        "PYTHONPATH": str(REPO),
        "CCHC_SECRET_KEY": SECRET,
        "CCHC_SQLALCHEMY_DATABASE_URI": database_uri,
        "CCHC_SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CCHC_UPLOAD_DIR": str(tmp_path / "uploads"),
        "CCHC_CONTENT_DIR": str(tmp_path / "content"),
        "CCHC_PROXY_HOPS": "1",
        "CCHC_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    })
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(REPO / "deploy/gunicorn.conf.py"),
         "wsgi:app"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if get(base + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        assert time.monotonic() < deadline, "gunicorn did not answer in time"
        time.sleep(0.5)
    try:
        yield base, folder, tmp_path / "gunicorn.log"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_metrics_add_up_every_worker_and_survive_a_dead_one(gunicorn):
    base, folder, log_path = gunicorn
    assert not (folder / "counter_999999.db").exists()  # on_starting emptied the folder
    scrape = {"Authorization": f"Bearer {TOKEN}"}
    refused, _ = get(base + "/metrics")
    assert refused == 404

    sent = 1  # the readiness probe
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(20):
            answers = list(pool.map(
                lambda _: get(base + "/healthz", **{"X-Forwarded-For": CLIENT})[0], range(12)))
            assert answers == [200] * 12
            sent += 12
            if len(worker_pids(folder)) >= 2:
                break
    served_by = worker_pids(folder)
    assert len(served_by) == 2, "both workers should have answered some requests"

    status, text = get(base + "/metrics", **scrape)
    assert status == 200
    assert healthz_count(text) == sent

    # A worker that dies keeps its share; gunicorn starts another and child_exit marks it.
    os.kill(min(served_by), signal.SIGKILL)
    deadline = time.monotonic() + 60
    while len(worker_pids(folder) - served_by) == 0:
        assert time.monotonic() < deadline, "no new worker answered"
        assert get(base + "/healthz")[0] == 200
        sent += 1
    status, text = get(base + "/metrics", **scrape)
    assert healthz_count(text) == sent

    log = log_path.read_text()
    assert "Traceback" not in log, log
    # The access log names the client nginx saw, the request, status and duration.
    assert re.search(rf'^{re.escape(CLIENT)} "GET /healthz HTTP/1\.1" 200 \d+ \d+ms ', log, re.M)
