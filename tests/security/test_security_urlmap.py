"""Deny by default, checked on every route of the URL map (routes added later are covered too)."""

from __future__ import annotations

from flask import Blueprint
from helpers import page_text
from route_samples import GET_MAY_WRITE
from route_walk import (
    ANONYMOUS,
    EVERY_ROLE,
    PLAUSIBLE_FORM,
    WHO,
    WRITE_METHODS,
    allowed,
    build_world,
    describe,
    differences,
    expected_get,
    fetch,
    fill,
    hostile,
    location_matches,
    missing,
    routes,
    snapshot,
    token_for,
    url,
    write,
)

from cchc_learn.access import ROLES, rule_for


def test_every_view_declares_an_access_rule(app):
    undeclared = [
        endpoint
        for endpoint, view in sorted(app.view_functions.items())
        if endpoint != "static" and not endpoint.endswith(".static") and rule_for(view) is None
    ]
    assert undeclared == [], (
        "these views have no @public, @signed_in or @roles_required(...) above them: "
        + ", ".join(undeclared)
    )
    assert len(routes(app, "GET", *WRITE_METHODS)) >= 15


def test_a_view_without_a_rule_is_refused_to_everyone(app):
    bp = Blueprint("quen_quyen", __name__)

    @bp.route("/quen-khai-bao-quyen")
    def forgotten():
        return "bí mật"

    app.register_blueprint(bp)
    world = build_world(app)
    for who in WHO:
        response = world.client(who).get("/quen-khai-bao-quyen")
        assert response.status_code == 403, who
        assert "bí mật" not in response.get_data(as_text=True)
        assert "Không có quyền truy cập" in page_text(response)


def test_every_get_route_answers_each_user_as_its_rule_says(app):
    world = build_world(app)
    wrong = []
    checked = 0
    for rule in routes(app, "GET"):
        path = url(app, rule, fill(rule, world))
        for who in (ANONYMOUS, *ROLES):
            status, where = expected_get(app, rule, who)
            response = fetch(world.client(who), path)
            checked += 1
            if response.status_code != status or not location_matches(response, where):
                wrong.append(
                    f"{who} GET {path}: {describe(response)}, expected {status} {where or ''}"
                )
    assert wrong == []
    assert checked >= 5 * 12


def test_role_restricted_pages_are_refused_to_the_other_roles(app):
    world = build_world(app)
    restricted = [r for r in routes(app, "GET") if rule_for(app.view_functions[r.endpoint]).roles]
    assert {r.endpoint for r in restricted} >= {"admin.index", "admin.list_users"}
    for rule in restricted:
        path = url(app, rule, fill(rule, world))
        holders = rule_for(app.view_functions[rule.endpoint]).roles
        for role in ROLES:
            response = fetch(world.client(role), path)
            if role in holders:
                status, _ = expected_get(app, rule, role)  # 200, or a declared exception
                assert response.status_code == status, f"{role} GET {path}: {describe(response)}"
            else:
                assert response.status_code == 403, f"{role} GET {path}: {describe(response)}"
                # An API answers in JSON, a page in HTML: both say it in Vietnamese.
                said = (
                    response.get_json()["error"]["title"]
                    if response.is_json
                    else page_text(response)
                )
                assert "Không có quyền truy cập" in said


def answered_in_vietnamese(response) -> bool:
    """A JSON error under /api/, or one of the site's own (Vietnamese) pages."""
    if response.is_json:
        return "error" in response.get_json()
    html = response.get_data(as_text=True)
    return '<html lang="vi">' in html and "Not Found" not in html


def test_rows_that_do_not_exist_give_404_never_500(app):
    world = build_world(app)
    client = world.client(EVERY_ROLE)
    token = token_for(world, EVERY_ROLE)
    before = snapshot(app)
    wrong = []
    with_parameters = [r for r in routes(app, "GET", *WRITE_METHODS) if r._converters]
    assert with_parameters, "the walk found no route with URL parameters"
    for rule in with_parameters:
        path = url(app, rule, missing(rule))
        for method in sorted((rule.methods or set()) & {"GET", *WRITE_METHODS}):
            if method == "GET":
                response = fetch(client, path)
            else:
                response = write(client, method, path, PLAUSIBLE_FORM, token)
            if response.status_code != 404:
                wrong.append(f"{method} {path}: {describe(response)}")
            elif not answered_in_vietnamese(response):
                wrong.append(f"{method} {path}: 404 without a Vietnamese page or JSON error")
    assert wrong == []
    assert differences(before, snapshot(app)) == []


def test_ids_past_the_column_range_and_control_characters_give_404(app):
    world = build_world(app)
    client = world.client(EVERY_ROLE)
    token = token_for(world, EVERY_ROLE)
    before = snapshot(app)
    wrong = []
    checked = 0
    for rule in [r for r in routes(app, "GET", *WRITE_METHODS) if r._converters]:
        for values in hostile(rule):
            path = url(app, rule, values)
            for method in sorted((rule.methods or set()) & {"GET", *WRITE_METHODS}):
                if method == "GET":
                    response = fetch(client, path)
                else:
                    response = write(client, method, path, PLAUSIBLE_FORM, token)
                checked += 1
                if response.status_code != 404:
                    wrong.append(f"{method} {path}: {describe(response)}")
                elif not answered_in_vietnamese(response):
                    wrong.append(f"{method} {path}: 404 without a Vietnamese page or JSON error")
    assert wrong == []
    assert checked >= 40
    assert differences(before, snapshot(app)) == []


def test_hostile_queries_and_forms_never_reach_the_database(app):
    """Every GET with NUL or huge numbers in its query, every write with NUL in each field."""
    world = build_world(app)
    token = token_for(world, EVERY_ROLE)
    client = world.client(EVERY_ROLE)
    keys = ("q", "type", "page", "unit", "state", "topic", "sort", "next", "a", "b", "year")
    queries = [
        "&".join(f"{key}=a%00b" for key in keys),
        "&".join(f"{key}={10**20}" for key in keys),
        "&".join(f"{key}=-{2**63}" for key in keys),
    ]
    wrong = []
    for rule in routes(app, "GET"):
        path = url(app, rule, fill(rule, world))
        for query in queries:
            response = fetch(client, f"{path}?{query}")
            if response.status_code >= 500:
                wrong.append(f"GET {path}?{query[:20]}…: {describe(response)}")
    hostile_form = {key: f"{value}\x00\x07" for key, value in PLAUSIBLE_FORM.items()}
    for rule in routes(app, *WRITE_METHODS):
        path = url(app, rule, fill(rule, world))
        method = sorted((rule.methods or set()) & set(WRITE_METHODS))[0]
        response = write(client, method, path, hostile_form, token)
        if response.status_code >= 500:
            wrong.append(f"{method} {path} with NUL in every field: {describe(response)}")
    signin = write(
        world.client(ANONYMOUS),
        "POST",
        "/auth/login",
        {"username": "a\x00b", "password": "x\x00"},
        token_for(world, ANONYMOUS),
    )
    assert signin.status_code == 401 and "Tên đăng nhập hoặc mật khẩu" in page_text(signin)
    assert wrong == []


def test_write_routes_refuse_requests_without_a_valid_csrf_token(app):
    world = build_world(app)
    before = snapshot(app)
    wrong = []
    write_routes = routes(app, *WRITE_METHODS)
    assert {r.endpoint for r in write_routes} >= {"auth.login", "auth.logout", "admin.create_user"}
    for rule in write_routes:
        path = url(app, rule, fill(rule, world))
        for method in sorted((rule.methods or set()) & set(WRITE_METHODS)):
            for who in (EVERY_ROLE, ANONYMOUS):
                for token in (None, "khong-phai-ma-csrf", ""):
                    response = write(world.client(who), method, path, PLAUSIBLE_FORM, token)
                    if response.status_code != 400 or "CSRF" not in page_text(response):
                        wrong.append(f"{who} {method} {path} token={token!r}: {describe(response)}")
    assert wrong == []
    assert differences(before, snapshot(app)) == []
    # The refusals did not sign anyone out: the session still works.
    assert world.client(EVERY_ROLE).get("/auth/password").status_code == 200


def test_write_routes_refuse_users_their_rule_excludes(app):
    world = build_world(app)
    before = snapshot(app)
    wrong = []
    checked = 0
    for rule in routes(app, *WRITE_METHODS):
        path = url(app, rule, fill(rule, world))
        for method in sorted((rule.methods or set()) & set(WRITE_METHODS)):
            for who in (ANONYMOUS, *ROLES):
                if allowed(app, rule, who):
                    continue
                checked += 1
                response = write(
                    world.client(who), method, path, PLAUSIBLE_FORM, token_for(world, who)
                )
                if who == ANONYMOUS and not rule.rule.startswith("/api/"):
                    ok = response.status_code == 302 and location_matches(response, "/auth/login")
                else:
                    ok = response.status_code == (401 if who == ANONYMOUS else 403)
                if not ok:
                    wrong.append(f"{who} {method} {path}: {describe(response)}")
    assert wrong == []
    assert checked >= 20
    assert differences(before, snapshot(app)) == []


def test_get_requests_change_nothing_in_the_database(app):
    world = build_world(app)
    before = snapshot(app)
    visited = 0
    for rule in routes(app, "GET"):
        for values in (fill(rule, world), missing(rule)):
            path = url(app, rule, values)
            for who in ("admin", EVERY_ROLE):
                fetch(world.client(who), path)
                visited += 1
            if not rule._converters:
                break
    assert visited >= 2 * 15
    changed = differences(before, snapshot(app), ignore=set(GET_MAY_WRITE))
    assert changed == [], "GET requests wrote to the database (see GET_MAY_WRITE)"
