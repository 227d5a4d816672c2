"""Render module and lesson bodies once, with their document links and module images."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from ..markup import Rendered, render

DocResolver = Callable[[str], "str | None"]


def asset_url(module_slug: str, name: str) -> str:
    """Path of a module image."""
    return f"/modules/{module_slug}/assets/{quote(name)}"


def asset_resolver(module_slug: str, names: Iterable[str]) -> Callable[[str], str | None]:
    """Map `assets/NAME` (as written in a lesson) to its URL when the module has that image."""
    known = set(names)

    def resolve(path: str) -> str | None:
        name = path.removeprefix("./")
        if not name.startswith("assets/"):
            return None
        name = name.removeprefix("assets/")
        return asset_url(module_slug, name) if name in known else None

    return resolve


def render_body(
    body: str, *, module_slug: str, asset_names: Iterable[str], doc_resolver: DocResolver | None
) -> Rendered:
    """Render a body to sanitized HTML, resolving `[[number]]` links and module images."""
    return render(
        body,
        doc_link_resolver=doc_resolver,
        asset_resolver=asset_resolver(module_slug, asset_names),
    )
