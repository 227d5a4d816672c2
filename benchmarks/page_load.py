"""Time real pages against a bare Flask page of the same size: in process, then over loopback.

The data is what `cchc-learn quickstart` makes (every real document, module, lesson and quiz, the
demo province), in SQLite under a work folder. An official signs in through the real form; the
pages are then fetched as that official, so each lesson or document view also writes its access
event. The reference is a bare Flask app whose one route returns the same HTML bytes as the page
it stands for: the ratio is what the application costs over Flask itself.

1. In process (Werkzeug's test client, no network): p50 and p95 per page, and the ratio.
2. With `--load`: both apps under gunicorn on 127.0.0.1, each hit by `--clients` threads over
   keep-alive connections, at most `--requests` requests and `--seconds` seconds per page
   (bounded: the loop stops by itself). Throughput, p50/p95, errors, and the ratio.

For lesson and document pages both tables also say how many access events the database gained
against how many views were answered with the page (every answered view must be recorded).

    python benchmarks/page_load.py [--keep DIR] [--database URL ...] [--repeat 200] [--load]

`--database postgresql://postgres@127.0.0.1:5432/cchc_bench` runs on an existing, empty
PostgreSQL database instead of SQLite; `--database sqlite --database postgresql://…` runs both
one after the other and ends with their p95 side by side. Each database gets its own folder
under the work folder.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask, Response  # noqa: E402

PASSWORD = "Benchmark-mat-khau-2026"
OFFICIAL = "bench_official"


TRACKED = ("lesson page", "document page")
"""The pages whose every view writes an access event."""


def label(database: str | None) -> str:
    """A short name for a database URL (None: SQLite in the work folder)."""
    return "sqlite" if database is None else database.split(":", 1)[0].split("+", 1)[0]


def settings(work: Path, database: str | None) -> dict[str, str]:
    """The app's settings for a work folder, as CCHC_ environment variables."""
    return {
        "CCHC_SECRET_KEY": "benchmark-secret-key-" + "x" * 32,
        "CCHC_SQLALCHEMY_DATABASE_URI": database or f"sqlite:///{work / 'bench.sqlite'}",
        "CCHC_SEARCH_INDEX_DIR": str(work / "search-index"),
        "CCHC_UPLOAD_DIR": str(work / "uploads"),
        "CCHC_LOGIN_RATE_LIMIT": "100000 per minute",
    }


def prepare(work: Path, database: str | None) -> None:
    """Run quickstart into `work` once, and make the official the benchmark signs in as."""
    env = {**os.environ, **settings(work, database)}
    marker = work / "prepared"
    # A kept database only needs the migrations added since it was made.
    command = ["db", "upgrade"] if marker.exists() else ["quickstart", "--no-serve"]
    if not marker.exists():
        print("quickstart (about half a minute)…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "cchc_learn", *command],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    marker.touch()
    os.environ.update(settings(work, database))
    app = create()
    from cchc_learn.auth import service as auth_service
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db

    with app.app_context():
        if auth_service.get_by_username(OFFICIAL) is None:
            declare_write()
            auth_service.create_user(OFFICIAL, "Công chức đo tải", roles=["official"],
                                     password=PASSWORD)  # fmt: skip
            db.session.commit()


def create():
    """The application, configured from the environment."""
    from cchc_learn import create_app

    return create_app()


def pages(app) -> dict[str, str]:
    """The URLs to time: one lesson, one document, the module list, a search."""
    from sqlalchemy import select

    from cchc_learn.extensions import db
    from cchc_learn.kb.models import Document
    from cchc_learn.lessons.models import Lesson

    with app.app_context():
        lesson = db.session.scalars(select(Lesson).order_by(Lesson.id)).first()
        doc = db.session.scalars(select(Document).order_by(Document.id)).first()
        assert lesson is not None and doc is not None, "quickstart loaded no content"
        with app.test_request_context():
            from flask import url_for

            return {
                "lesson page": url_for(
                    "lessons.lesson_page", module=lesson.module.slug, lesson=lesson.slug
                ),
                "document page": url_for("kb.show", ident=doc.slug),
                "module list": url_for("lessons.index"),
                "search": url_for("search.search_page", q="một cửa liên thông"),
            }


def signed_in_client(app):
    """A test client signed in as the benchmark official through the real form."""
    client = app.test_client()
    form = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"username": OFFICIAL, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302, "sign-in failed"
    return client


def save_pages(bodies: dict[str, bytes], folder: Path) -> Path:
    """Write each page's bytes and the list of their paths, for `bare_app`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [url.split("?")[0] for url in bodies]
    for index, body in enumerate(bodies.values()):
        (folder / f"page{index}.html").write_bytes(body)
    (folder / "paths.json").write_text(json.dumps(paths), encoding="utf-8")
    return folder


def bare_app(folder: str | Path) -> Flask:
    """A Flask app with one route per saved page, returning that page's bytes.

    gunicorn builds it too, as `page_load:bare_app('FOLDER')`.
    """
    folder = Path(folder)
    bare = Flask("bare")
    paths = json.loads((folder / "paths.json").read_text(encoding="utf-8"))
    for index, path in enumerate(paths):
        body = (folder / f"page{index}.html").read_bytes()
        bare.add_url_rule(path, f"page{index}",
                          lambda body=body: Response(body, mimetype="text/html"))  # fmt: skip
    return bare


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of seconds, in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


def recorded(app) -> int:
    """How many access events the database holds."""
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.tracking.models import AccessEvent

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessEvent)) or 0


def time_calls(repeat: int, call: Callable[[], object]) -> list[float]:
    """Seconds per call, after two warm-up calls."""
    for _ in range(2):
        call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def in_process(app, urls: dict[str, str], repeat: int, pages_dir: Path) -> None:
    """Print the in-process table; save each page's HTML in `pages_dir` for the bare app."""
    client = signed_in_client(app)
    bodies = {}
    for url in urls.values():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        bodies[url] = response.get_data()
    bare_client = bare_app(save_pages(bodies, pages_dir)).test_client()
    print(f"\nIn process, {repeat} requests each (ms)")
    print(f"{'page':16} {'KB':>6} {'app p50':>8} {'app p95':>8} {'bare p50':>9} {'bare p95':>9} "
          f"{'× bare p50':>10} {'events/views':>13}")  # fmt: skip
    for name, url in urls.items():
        before = recorded(app)
        ours = percentiles(time_calls(repeat, lambda url=url: client.get(url)))
        events = f"{recorded(app) - before}/{repeat + 2}" if name in TRACKED else ""
        bare = percentiles(time_calls(repeat, lambda url=url: bare_client.get(url.split("?")[0])))
        print(f"{name:16} {len(bodies[url]) / 1024:>6.1f} {ours[0]:>8.2f} {ours[1]:>8.2f} "
              f"{bare[0]:>9.2f} {bare[1]:>9.2f} {ours[0] / bare[0]:>10.1f} "
              f"{events:>13}")  # fmt: skip


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """Start gunicorn on 127.0.0.1:`port` and wait until it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "gthread", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
        env=env, cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start on port {port}")


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def http_sign_in(conn: http.client.HTTPConnection) -> str:
    """Sign in through the real form over HTTP; return the Cookie header to send."""
    jar: dict[str, str] = {}
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    form = response.read().decode()
    _cookies(response, jar)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    body = urlencode({"username": OFFICIAL, "password": PASSWORD,
                      "csrf_token": token.group(1) if token else ""})  # fmt: skip
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}  # fmt: skip
    conn.request("POST", "/auth/login", body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    if response.status != 302:
        raise RuntimeError(f"sign-in over HTTP answered {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def hammer(port: int, path: str, sign_in: bool, clients: int, requests: int, seconds: float):
    """Send at most `requests` GETs in at most `seconds` from `clients` threads.

    With `sign_in`, each client first signs in through the form (not timed).
    """
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    sent = [0]
    ready = threading.Barrier(clients + 1)
    deadline = [0.0]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": http_sign_in(conn)} if sign_in else {}
        ready.wait()
        while time.monotonic() < deadline[0]:
            with lock:
                if sent[0] >= requests:
                    break
                sent[0] += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                latencies.append(time.perf_counter() - start)
                if not ok:
                    errors[0] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + seconds + 60  # sign-in time is not counted
    ready.wait()
    deadline[0] = time.monotonic() + seconds
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentiles(latencies), errors[0], len(latencies) - errors[0]


def load(app, urls: dict[str, str], pages_dir: Path, work: Path, database: str | None,
         args) -> dict[str, tuple[float, float]]:  # fmt: skip
    """Print the loopback table: the app and the bare app under the same gunicorn.

    Returns each page's p50 and p95 (ms) under load.
    """
    here = Path(__file__).resolve().parent
    env = {**os.environ, **settings(work, database), "PYTHONPATH": f"{ROOT}{os.pathsep}{here}"}
    app_port, bare_port = free_port(), free_port()
    servers = [serve("wsgi:app", app_port, args.workers, env),
               serve(f"page_load:bare_app({str(pages_dir)!r})", bare_port, args.workers,
                     env)]  # fmt: skip
    results = {}
    try:
        print(f"\nLoopback: gunicorn, {args.workers} workers × 4 threads, {args.clients} clients, "
              f"at most {args.requests} requests or {args.seconds:.0f} s per row")  # fmt: skip
        print(f"{'page':16} {'app req/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6} "
              f"{'bare req/s':>10} {'bare p95':>8} {'× bare req/s':>12} "
              f"{'events/views':>13}")  # fmt: skip
        for name, url in urls.items():
            before = recorded(app)
            ours = hammer(app_port, url, True, args.clients, args.requests, args.seconds)
            events = f"{recorded(app) - before}/{ours[3]}" if name in TRACKED else ""
            bare = hammer(bare_port, url.split("?")[0], False, args.clients, args.requests,
                          args.seconds)  # fmt: skip
            ratio = bare[0] / ours[0]
            results[name] = ours[1]
            print(f"{name:16} {ours[0]:>9.1f} {ours[1][0]:>7.1f} {ours[1][1]:>7.1f} "
                  f"{ours[2]:>6} {bare[0]:>10.1f} {bare[1][1]:>8.1f} {ratio:>12.1f} "
                  f"{events:>13}")  # fmt: skip
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    return results


def compare(results: dict[str, dict[str, tuple[float, float]]]) -> None:
    """Print each page's p95 under load on every database, and each against the last one."""
    names = list(results)
    last = names[-1]
    print("\nUnder load, p95 ms on each database")
    print(f"{'page':16} " + " ".join(f"{n:>10}" for n in names)
          + "".join(f" {'÷ ' + last if len(names) == 2 else n + ' ÷ ' + last:>14}"
                    for n in names[:-1]))  # fmt: skip
    for page in results[last]:
        p95 = [results[n][page][1] for n in names]
        print(f"{page:16} " + " ".join(f"{v:>10.1f}" for v in p95)
              + "".join(f" {v / p95[-1]:>14.2f}" for v in p95[:-1]))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Prepare the data, then print the tables for each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work folder to reuse (default: a temp one)")
    parser.add_argument("--database", action="append",
                        help="database URL, or 'sqlite' (default); may be given more than once")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--load", action="store_true", help="also run the loopback load test")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    databases = [None if d in (None, "sqlite") else d for d in (args.database or [None])]

    under_load = {}
    with tempfile.TemporaryDirectory() as temp:
        for database in databases:
            name = label(database)
            print(f"\n== {name} ==", flush=True)
            work = (args.keep or Path(temp)) / name
            work.mkdir(parents=True, exist_ok=True)
            prepare(work, database)
            app = create()
            urls = pages(app)
            pages_dir = work / "bare-pages"
            in_process(app, urls, args.repeat, pages_dir)
            if args.load:
                under_load[name] = load(app, urls, pages_dir, work, database, args)
            with app.app_context():
                from cchc_learn.extensions import db

                db.engine.dispose()
    if len(under_load) > 1:
        compare(under_load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
