"""The main menu: each feature registers its entries with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from .access import has_any_role


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


def _visible(entry: NavEntry) -> bool:
    if entry.public:
        return True
    if not current_user.is_authenticated:
        return False
    return entry.roles is None or has_any_role(current_user, entry.roles)


def nav_items(everywhere: bool = False) -> list[NavItem]:
    """The header's entries the current user may see, in order (everywhere: the home page's)."""
    entries = sorted(current_app.extensions.get("cchc_nav", []), key=lambda e: e.order)
    items = []
    for entry in entries:
        if not _visible(entry) or not (entry.in_header or everywhere):
            continue
        url = url_for(entry.endpoint)
        active = request.endpoint == entry.endpoint or (url != "/" and request.path.startswith(url))
        items.append(NavItem(url=url, label=entry.label, active=active))
    # Under /qa/ and /qa/queue only the closer entry is the current one.
    longest = max((len(item.url) for item in items if item.active), default=0)
    return [NavItem(i.url, i.label, i.active and len(i.url) == longest) for i in items]


def init_app(app: Flask) -> None:
    """Expose nav_items() to templates."""
    app.jinja_env.globals["nav_items"] = nav_items
