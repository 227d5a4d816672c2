"""Walk every route of the URL map as every kind of user; the tests assert on what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from helpers import csrf_token, login, make_unit, make_user
from route_samples import (
    HOSTILE_BY_CONVERTER,
    HOSTILE_DEFAULT,
    MISSING_BY_CONVERTER,
    MISSING_DEFAULT,
    SAMPLES,
    SPECIAL_GET,
)
from sqlalchemy import select
from werkzeug.routing import Rule

from cchc_learn.access import ROLES, rule_for
from cchc_learn.extensions import db

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ANONYMOUS = "anonymous"
EVERY_ROLE = "every-role"
WHO = (ANONYMOUS, *ROLES, EVERY_ROLE)
USERNAMES = {
    "official": "hocvien",
    "moderator": "giaidap",
    "trainer": "giangvien",
    "admin": "quantri",
    "focal": "daumoi",
    EVERY_ROLE: "toanquyen",
}


@dataclass
class World:
    """Accounts (one per role, one holding every role) and a small unit tree."""

    app: Flask
    user_ids: dict[str, int]
    unit_ids: dict[str, int]
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def client(self, who: str) -> FlaskClient:
        """A client signed in as who (a role, EVERY_ROLE) or anonymous."""
        if who not in self.clients:
            client = self.app.test_client()
            if who != ANONYMOUS:
                response = login(client, self.app, USERNAMES[who])
                assert response.status_code == 302, f"could not sign in as {who}"
            self.clients[who] = client
        return self.clients[who]


def build_world(app: Flask) -> World:
    """Create the accounts and units every walk uses."""
    units = {
        "TINH": make_unit(app, "TINH", "UBND tỉnh Thử nghiệm", "province"),
        "SNV": make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH"),
        "XA": make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune", parent="TINH"),
    }
    users = {}
    for role in ROLES:
        unit = "XA" if role == "official" else "SNV"
        users[role] = make_user(app, USERNAMES[role], roles=(role,), unit=unit)
    users[EVERY_ROLE] = make_user(app, USERNAMES[EVERY_ROLE], roles=ROLES, unit="SNV")
    world = World(app=app, user_ids=users, unit_ids=units)
    for who in WHO:
        world.client(who)  # sign in now: later snapshots must not see the sign-in writes
    for rule in routes(app, "GET", *WRITE_METHODS):
        fill(rule, world)  # samplers that create rows do so now, before any snapshot
    return world


def routes(app: Flask, *methods: str) -> list[Rule]:
    """Rules accepting any of methods, static files excluded, in a stable order."""
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if r.endpoint != "static"
            and not r.endpoint.endswith(".static")
            and set(methods) & (r.methods or set())
        ),
        key=lambda r: (r.rule, r.endpoint),
    )


def fill(rule: Rule, world: World) -> dict[str, Any]:
    """Values of real rows for every URL parameter of rule (fails naming what is missing)."""
    values = {}
    for name in sorted(rule._converters):
        sampler = SAMPLES.get(f"{rule.endpoint}:{name}") or SAMPLES.get(name)
        if sampler is None:
            pytest.fail(
                f"The route {rule.rule} ({rule.endpoint}) takes <{name}>, which the route walk "
                f"cannot fill. Add SAMPLES[{name!r}] (or SAMPLES['{rule.endpoint}:{name}']) to "
                "tests/security/route_samples.py: a function (app, world) that returns the "
                f"{name} of a row that exists (creating it if needed).",
                pytrace=False,
            )
        values[name] = sampler(world.app, world)
    return values


def missing(rule: Rule) -> dict[str, Any]:
    """Values naming no row for every URL parameter of rule."""
    return {
        name: _by_converter(MISSING_BY_CONVERTER, converter, MISSING_DEFAULT)
        for name, converter in rule._converters.items()
    }


def _by_converter(table: dict[str, Any], converter: Any, default: Any) -> Any:
    """table's entry for the converter's class or the nearest Werkzeug class it extends."""
    for cls in type(converter).__mro__:
        if cls.__name__ in table:
            return table[cls.__name__]
    return default


def hostile(rule: Rule) -> list[dict[str, Any]]:
    """Sets of values naming no row that a careless route would choke on (see route_samples)."""
    choices = {
        name: _by_converter(HOSTILE_BY_CONVERTER, converter, HOSTILE_DEFAULT)
        for name, converter in rule._converters.items()
    }
    longest = max(len(values) for values in choices.values())
    return [
        {name: values[i % len(values)] for name, values in choices.items()}
        for i in range(longest)
    ]


def url(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    """Build the path of rule with values."""
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=_one_method(rule))


def _one_method(rule: Rule) -> str:
    methods = rule.methods or set()
    return "GET" if "GET" in methods else sorted(methods & set(WRITE_METHODS))[0]


def view_rule(app: Flask, rule: Rule):
    """The access rule the route's view declared."""
    return rule_for(app.view_functions[rule.endpoint])


def allowed(app: Flask, rule: Rule, who: str) -> bool:
    """Tell whether who passes the route's access rule."""
    access = view_rule(app, rule)
    if access.public:
        return True
    if who == ANONYMOUS:
        return False
    if access.roles is None or who == EVERY_ROLE:
        return True
    return who in access.roles


def expected_get(app: Flask, rule: Rule, who: str) -> tuple[int, str | None]:
    """The status (and redirect target prefix) a GET of rule should give who."""
    kind = ANONYMOUS if who == ANONYMOUS else "signed_in"
    # An exception describes what the users the route's rule lets in get; the rest are
    # refused by the rule as usual.
    for key in ((rule.endpoint, who), (rule.endpoint, kind)):  # a role's own exception first
        if key in SPECIAL_GET and allowed(app, rule, who):
            return SPECIAL_GET[key]
    if allowed(app, rule, who):
        return 200, None
    if who == ANONYMOUS:
        return (401, None) if rule.rule.startswith("/api/") else (302, "/auth/login")
    return 403, None


def fetch(client: FlaskClient, path: str):
    """GET path, read the whole body and release it (downloads hold files open until then)."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


def location_matches(response, prefix: str | None) -> bool:
    """Tell whether a redirect goes to prefix (exactly, or with a query string)."""
    if prefix is None:
        return True
    where = response.headers.get("Location", "")
    return where == prefix or where.startswith(prefix + "?")


def describe(response) -> str:
    """A short description of a response for assertion messages."""
    where = response.headers.get("Location")
    return f"{response.status_code}{' → ' + where if where else ''}"


def write(client: FlaskClient, method: str, path: str, data: dict, token: str | None):
    """Send a state-changing request with a form body (and a CSRF token when given)."""
    payload = dict(data)
    if token is not None:
        payload["csrf_token"] = token
    return client.open(path, method=method, data=payload)


def token_for(world: World, who: str) -> str:
    """A valid CSRF token for who's session."""
    return csrf_token(world.client(who), world.app)


# Plausible form fields for every write route, so a refused request is not refused only for
# being empty: a view that skipped its checks would act on these.
PLAUSIBLE_FORM = {
    "username": "nguoi-moi",
    "password": "Mat-khau-rat-dai-2025",
    "full_name": "Người Mới",
    "email": "nguoimoi@example.gov.vn",
    "position": "Chuyên viên",
    "roles": "admin",
    "unit": "SNV",
    "active": "0",
    "code": "DV-MOI",
    "name": "Đơn vị mới",
    "level": "commune",
    "parent": "",
    "move-parent": "",
    "move-on": "2025-08-01",
    "current": "Mat-khau-rat-dai-2025",
    "new": "Mot-mat-khau-moi-2026",
    "confirm": "Mot-mat-khau-moi-2026",
    "title": "Tiêu đề",
    "body": "Nội dung",
}


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = db.session.execute(select(table).order_by(*order))
            out[table.name] = [tuple(row) for row in rows]
        db.session.rollback()
        return out


def differences(before: dict, after: dict, ignore: set[str] = frozenset()) -> list[str]:
    """Names of tables whose rows changed, with the row counts."""
    return [
        f"{name}: {len(before[name])} → {len(after[name])} rows"
        for name in before
        if name not in ignore and before[name] != after[name]
    ]
