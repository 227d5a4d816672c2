"""Features tell search how to turn their rows into index documents (search never imports them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app

from .documents import IndexDocument

# ids → {id: document, or None when the row is gone or must not be found any more}
Loader = Callable[[list[int]], dict[int, IndexDocument | None]]


@dataclass(frozen=True)
class Provider:
    """How one kind of object reaches the index.

    expand, when given, names other objects a change of this kind touches (a module change
    re-indexes its lessons); such a kind need not be indexed itself.
    """

    kind: str
    load: Loader
    all_ids: Callable[[], Iterable[int]]
    expand: Callable[[list[int]], list[tuple[str, int]]] | None = None


def register(app: Flask, provider: Provider) -> None:
    """Make a kind of object searchable."""
    app.extensions.setdefault("cchc_search_providers", {})[provider.kind] = provider


def providers() -> dict[str, Provider]:
    """The registered providers of the current app."""
    return current_app.extensions.get("cchc_search_providers", {})
