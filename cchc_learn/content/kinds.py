"""Features tell `content check|sync` how to check and import their files (content imports none).

Each feature registers a ContentKind from its init_app, the way it registers a search provider.
A kind may name the kinds it depends on in `after`: those are checked and synced first, and their
lookups reach its check (lessons resolve `[[number]]` links through the documents' lookup).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, current_app

from .problems import Problem


class Counts(Protocol):
    """What a sync did to one kind of object (a SyncSummary or one of its shape)."""

    added: int
    updated: int
    unchanged: int
    archived: int


@dataclass
class Checked:
    """What one kind found in the content folder, checked, with nothing written yet."""

    sources: Any  # the kind's own checked sources, handed back to its sync
    problems: list[Problem]
    counts: str  # for `content check`, e.g. "165 văn bản"
    steps: int = 0  # how many times its sync reports progress
    lookup: Callable[..., Any] | None = None  # what the kinds after it may ask of it


@dataclass(frozen=True)
class SyncRun:
    """What a sync needs besides the checked sources."""

    root: Path
    upload_dir: Path
    progress: Callable[[object], None] | None = None


Lookups = Mapping[str, Callable[..., Any]]


@dataclass(frozen=True)
class ContentKind:
    """How one kind of file in the content folder is checked and imported.

    check(root, lookups) reads the kind's files and checks them, writing nothing; lookups holds
    the lookup of each registered kind named in after. sync(checked, run) imports what check
    returned inside the caller's transaction and returns a summary per label, in print order.
    """

    name: str
    check: Callable[[Path, Lookups], Checked]
    sync: Callable[[Checked, SyncRun], dict[str, Counts]]
    after: tuple[str, ...] = field(default=())


def register(app: Flask, kind: ContentKind) -> None:
    """Make a kind of content file part of `content check|sync` and quickstart."""
    app.extensions.setdefault("cchc_content_kinds", {})[kind.name] = kind


def kinds() -> list[ContentKind]:
    """The registered kinds of the current app, each after the kinds it names."""
    registered: dict[str, ContentKind] = current_app.extensions.get("cchc_content_kinds", {})
    ordered: list[ContentKind] = []

    def place(kind: ContentKind, trail: tuple[str, ...]) -> None:
        if kind in ordered:
            return
        if kind.name in trail:
            raise RuntimeError(f"content kinds depend on each other: {' → '.join(trail)}")
        for name in kind.after:
            if name in registered:
                place(registered[name], (*trail, kind.name))
        ordered.append(kind)

    for kind in registered.values():
        place(kind, ())
    return ordered
