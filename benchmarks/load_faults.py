"""The outside world of `load.py` and the faults it injects.

Fakes stand only where the application meets the outside: an SMTP sink (aiosmtpd) and a stub
learning record store, each counting what it received by the identity the application gives
it (the mail's Message-ID, the statement's id). `Ticker` runs `cchc-learn tick` in a loop as
cron would (and, for `tick-killed`, kills it at random moments). The faults act on the real
parts: a gunicorn worker, the search index directory, the sink and the store.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
FAULTS = ("kill-worker", "index-deleted", "index-corrupted", "smtp-down", "lrs-down",
          "tick-killed")


class MailSink:
    """A real SMTP server on 127.0.0.1 counting the messages it accepted by Message-ID."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.received: Counter = Counter()
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        headers = BytesHeaderParser().parsebytes(envelope.content)
        self.received[(headers.get("Message-ID") or "").strip()] += 1
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused, as when the mail server is down."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class RecordStore:
    """A stub learning record store: keeps statements by id; answers 503 while down."""

    def __init__(self, port: int) -> None:
        self.received: Counter = Counter()
        self.refused = 0
        self.down = False
        self.lock = threading.Lock()
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server hook)
                length = int(self.headers.get("Content-Length") or 0)
                batch = json.loads(self.rfile.read(length).decode("utf-8"))
                with store.lock:
                    if store.down:
                        store.refused += 1
                        status, body = 503, b'{"error": "down"}'
                    else:
                        store.received.update(s["id"] for s in batch)
                        status, body = 200, json.dumps([s["id"] for s in batch]).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def tick_command() -> list[str]:
    """`cchc-learn tick` on this checkout's code."""
    return [sys.executable, "-c", "from cchc_learn.cli import main; main()", "tick"]


class Ticker(threading.Thread):
    """Run `cchc-learn tick` every `every` seconds; with `kill`, SIGKILL some mid-run."""

    def __init__(self, env: dict[str, str], every: float, kill: bool, seed: int = 7) -> None:
        super().__init__(daemon=True, name="ticker")
        self.env, self.every, self.kill = env, every, kill
        self.stopping = threading.Event()
        self.rng = random.Random(seed)
        self.runs = self.killed = self.failed = 0

    def run(self) -> None:
        while not self.stopping.is_set():
            started = time.monotonic()
            process = subprocess.Popen(tick_command(), env=self.env, cwd=ROOT,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Killed at a random moment of its life: while the app starts, while it collects,
            # or while it talks to the mail server or the store.
            limit = self.rng.uniform(0.5, 4.0) if self.kill else None
            try:
                code = process.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                self.killed += 1
            else:
                self.runs += 1
                self.failed += code != 0
            self.stopping.wait(max(0.0, self.every - (time.monotonic() - started)))

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's worker processes."""
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return sorted(int(p) for p in text.split())


def kill_worker(master: int) -> str:
    """SIGKILL one worker; gunicorn starts another."""
    workers = worker_pids(master)
    victim = random.Random(1).choice(workers)
    os.kill(victim, signal.SIGKILL)
    return f"worker {victim} killed (of {len(workers)})"


def delete_index(index_dir: Path) -> str:
    """Remove the whole index directory, as a careless clean-up would."""
    files = sum(1 for p in index_dir.rglob("*") if p.is_file())
    shutil.rmtree(index_dir, ignore_errors=True)
    return f"index directory deleted ({files} files)"


def corrupt_index(index_dir: Path, seed: int = 11) -> str:
    """Overwrite every file of the index in place with random bytes, as a failing disk would.

    In place (no truncation): a worker reading a file through a memory map sees garbage, not a
    file shorter than its map.
    """
    rng = random.Random(seed)
    count = 0
    for path in sorted(index_dir.rglob("*")):
        if path.is_file() and not path.name.endswith(".lock"):
            size = max(path.stat().st_size, 64)
            with open(path, "r+b") as fh:
                fh.write(rng.randbytes(size))
            count += 1
    return f"{count} index files overwritten with random bytes"
