"""Index generations: each rebuild writes a new directory; a pointer file names the live one.

Layout of the index directory (other files in it, such as a caller's bookkeeping, are left
alone)::

    CURRENT                 the name of the live generation (or an absolute path)
    gen-<time>-<pid>/       a complete Whoosh index

Swapping is an atomic rename of a new pointer file over CURRENT, so a reader sees either the
old generation or the new one, never a half-built index.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

CURRENT_FILE = "CURRENT"
PREFIX = "gen-"
# Generations kept besides the live one, so a reader that opened the previous one just
# before a swap can finish its search.
KEEP_PREVIOUS = 1


def new_generation_dir(index_dir: Path) -> Path:
    """Return a fresh, not yet existing generation directory inside index_dir."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    fraction = time.time_ns() % 10**9
    return index_dir / f"{PREFIX}{stamp}-{fraction:09d}-{os.getpid()}"


MAX_POINTER = 4096
"""The longest pointer read: a path, never more."""


def read_current(index_dir: Path) -> Path | None:
    """Return the live generation directory named by CURRENT, or None without a usable one.

    A pointer that cannot be read or is not a path (a failing disk, a file overwritten with
    other bytes) counts as none: the index is then unavailable and a search rebuilds it.
    """
    try:
        with open(index_dir / CURRENT_FILE, "rb") as fh:
            name = fh.read(MAX_POINTER + 1).decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or len(name) > MAX_POINTER or not name.isprintable():
        return None
    path = Path(name)
    if any(len(part.encode("utf-8")) > 255 for part in path.parts):
        return None  # no file system names a directory so
    return path if path.is_absolute() else index_dir / path


def point_to(index_dir: Path, generation: Path) -> None:
    """Make generation the live one, atomically, and make the change durable."""
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        name = str(generation.resolve().relative_to(index_dir.resolve()))
    except ValueError:
        name = str(generation.resolve())
    pending = index_dir / f".{CURRENT_FILE}.{os.getpid()}.tmp"
    with open(pending, "w", encoding="utf-8") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pending, index_dir / CURRENT_FILE)
    _fsync_dir(index_dir)


def _fsync_dir(path: Path) -> None:
    """Flush a directory entry change to disk where the platform allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_old(index_dir: Path, live: Path) -> list[Path]:
    """Delete generations older than the live one and the KEEP_PREVIOUS before it."""
    generations = sorted(
        (p for p in index_dir.glob(PREFIX + "*") if p.is_dir()), key=lambda p: p.name
    )
    live_resolved = live.resolve()
    older = [p for p in generations if p.resolve() != live_resolved and p.name < live.name]
    doomed = older[: max(0, len(older) - KEEP_PREVIOUS)]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed
