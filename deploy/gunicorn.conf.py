"""gunicorn settings for CCHC Learn: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Read by the systemd unit `cchc-learn.service`; the numbers come from its environment file
(`/etc/cchc-learn/cchc-learn.env`), so a host is tuned without editing this file:

- `GUNICORN_BIND`     where to listen (default `127.0.0.1:8000`; nginx on the same host proxies
                      to it; `unix:/run/cchc-learn/gunicorn.sock` works too);
- `GUNICORN_WORKERS`  worker processes (default 2 × CPU cores + 1, at most 8);
- `GUNICORN_TIMEOUT`  seconds a request may take before its worker is replaced (default 60:
                      a large report export or import preview can take a while).

`PROMETHEUS_MULTIPROC_DIR` (set by the unit) makes every worker write its counters to files
there, so `/metrics` adds up all workers; the folder is emptied when gunicorn starts and a
worker's files are marked when it exits (`child_exit`).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: cần một số nguyên dương.") from None
    if value < 1:
        raise SystemExit(f"{name}={raw!r}: cần một số nguyên dương.")
    return value


bind = [os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"]
workers = _positive_int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = "sync"
timeout = _positive_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Workers are not recycled after a number of requests (max_requests): with
# PROMETHEUS_MULTIPROC_DIR every new worker leaves metric files until the service restarts,
# and each scrape reads them all.
# Only nginx on this host may say the request came over HTTPS (the app reads X-Forwarded-*
# through ProxyFix, CCHC_PROXY_HOPS=1).
forwarded_allow_ips = "127.0.0.1,::1"
# Fork before importing the app: each worker opens its own database connections.
preload_app = False

# Logs go to standard output and error, which systemd keeps in the journal.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Client address as nginx saw it, request line, status, bytes, duration in ms, referrer, agent.
# No cookie and no Authorization header is ever written.
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
)


def _multiprocess_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    return Path(value) if value else None


def on_starting(server) -> None:
    """Start the metrics of this run from zero: remove what an earlier run left behind."""
    folder = _multiprocess_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("*.db"):
        leftover.unlink()


def child_exit(server, worker) -> None:
    """Mark a finished worker's metric files, as prometheus_client's multiprocess mode asks."""
    if _multiprocess_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
