"""The main menu: each feature registers its entries with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavEntry:
    """One menu entry; roles None means every signed-in account, public means everyone.

    in_header False keeps an entry off the header (whose row is full on office screens): it is
    then a card of the home page only.
    """

    endpoint: str
    label: str
    order: int
    roles: tuple[str, ...] | None = None
    public: bool = False
    in_header: bool = True


@dataclass(frozen=True)
class NavItem:
    """A menu entry resolved for the current request."""

    url: str
    label: str
    active: bool


def register(app: Flask, entry: NavEntry) -> None:
    """Add a menu entry."""
    app.extensions.setdefault("cchc_nav", []).append(entry)


def _visible(entry: NavEntry, roles: set[str] | None) -> bool:
    if entry.public:
        return True
    if roles is None:
        return False
    return entry.roles is None or not roles.isdisjoint(entry.roles)


def _resolved() -> list[tuple[NavEntry, str]]:
    """Every entry in order with its URL, built once per mount point: menus are on every page."""
    cache = current_app.extensions.setdefault("cchc_nav_urls", {})
    resolved = cache.get(request.script_root)
    if resolved is None:
        entries = sorted(current_app.extensions.get("cchc_nav", []), key=lambda e: e.order)
        resolved = cache[request.script_root] = [(e, url_for(e.endpoint)) for e in entries]
    return resolved


def nav_items(everywhere: bool = False) -> list[NavItem]:
    """The header's entries the current user may see, in order (everywhere: the home page's)."""
    roles = current_user.role_names if current_user.is_authenticated else None
    items = []
    for entry, url in _resolved():
        if not _visible(entry, roles) or not (entry.in_header or everywhere):
            continue
        active = request.endpoint == entry.endpoint or (url != "/" and request.path.startswith(url))
        items.append(NavItem(url=url, label=entry.label, active=active))
    # Under /qa/ and /qa/queue only the closer entry is the current one.
    longest = max((len(item.url) for item in items if item.active), default=0)
    return [NavItem(i.url, i.label, i.active and len(i.url) == longest) for i in items]


def asset_url(filename: str) -> str:
    """The URL of a file in static/, built once per mount point (the layout uses several)."""
    cache = current_app.extensions.setdefault("cchc_asset_urls", {})
    key = (request.script_root, filename)
    url = cache.get(key)
    if url is None:
        url = cache[key] = url_for("static", filename=filename)
    return url


def init_app(app: Flask) -> None:
    """Expose nav_items() and asset_url() to templates."""
    app.jinja_env.globals["nav_items"] = nav_items
    app.jinja_env.globals["asset_url"] = asset_url
