"""Response headers, cookies, page markup under the CSP, error pages and start-up checks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Blueprint, abort
from helpers import PASSWORD, login, make_user, page_text, post
from route_walk import ANONYMOUS, EVERY_ROLE, WHO, build_world, fetch, fill, routes, url

from cchc_learn import create_app
from cchc_learn.access import public, signed_in
from cchc_learn.extensions import db
from cchc_learn.security import InsecureConfiguration

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
}
STATIC = Path(__file__).resolve().parents[2] / "cchc_learn" / "static"
EXTERNAL = re.compile(r"^\s*([a-z][a-z0-9+.-]*:)?//", re.I)
# Attributes that make the browser fetch something.
ASSET_ATTRIBUTES = {
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("form", "action"),
}


def csp_directives(header: str) -> dict[str, list[str]]:
    """Parse a Content-Security-Policy header into directive → sources."""
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


class MarkupScanner(HTMLParser):
    """Collect what a strict CSP would block or what would leave the intranet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
            if value and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")
            if (tag, name) in ASSET_ATTRIBUTES and value and EXTERNAL.match(value):
                self.problems.append(f"<{tag} {name}={value!r}> external asset")
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag == "base":
            self.problems.append("<base> element")


def markup_problems(html: str) -> list[str]:
    """What in a page breaks the no-inline, no-external rules."""
    scanner = MarkupScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems


def sibling_app(app, **overrides):
    """Another application on the same database with some settings changed."""
    return create_app({**app.config, **overrides})


@pytest.fixture
def error_routes(app):
    """Test-only routes that fail in chosen ways (registered before the first request)."""
    bp = Blueprint("thu_loi", __name__)

    @bp.route("/thu-loi/500")
    @public
    def crash():
        raise RuntimeError("chi-tiet-noi-bo-khong-duoc-lo")

    @bp.route("/thu-loi/400")
    @public
    def bad():
        abort(400)

    @bp.route("/api/v1/thu-loi/500")
    @public
    def api_crash():
        raise RuntimeError("chi-tiet-noi-bo-khong-duoc-lo")

    @bp.route("/api/v1/thu-loi/can-dang-nhap")
    @signed_in
    def api_private():
        return {"ok": True}

    app.register_blueprint(bp)
    return app


# --- headers -------------------------------------------------------------------------------


def test_every_response_carries_the_strict_headers(app, client):
    make_user(app, "hocvien")
    signed = app.test_client()
    login(signed, app, "hocvien")
    responses = {
        "home": client.get("/"),
        "login": client.get("/auth/login"),
        "404": client.get("/khong-co-trang-nay"),
        "healthz": client.get("/healthz"),
        "static": client.get("/static/css/app.css"),
        "signed-in": signed.get("/auth/password"),
    }
    for name, response in responses.items():
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert csp_directives(csp) == EXPECTED_CSP, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("Referrer-Policy") == "same-origin", name
        assert headers.get("X-Frame-Options") == "DENY", name
        assert "Strict-Transport-Security" not in headers, name
        response.close()


def test_https_setting_adds_hsts_and_secure_cookies(app):
    make_user(app, "hocvien")
    secure = sibling_app(app, HTTPS=True)
    try:
        client = secure.test_client()
        https = "https://localhost"
        home = client.get("/", base_url=https)
        assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        form = client.get("/auth/login", base_url=https).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        response = client.post(
            "/auth/login",
            data={"username": "hocvien", "password": PASSWORD, "csrf_token": token},
            base_url=https,
            # Over HTTPS the CSRF check also wants a same-site Referer, as browsers send it.
            headers={"Referer": f"{https}/auth/login"},
        )
        assert response.status_code == 302
        cookie = response.headers.get("Set-Cookie", "")
        assert "cchc_session=" in cookie
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        with secure.app_context():
            db.engine.dispose()
    plain = login(app.test_client(), app, "hocvien")
    assert "Secure" not in plain.headers.get("Set-Cookie", "")


def test_authenticated_pages_are_not_cached(app):
    world = build_world(app)
    checked = 0
    for rule in routes(app, "GET"):
        path = url(app, rule, fill(rule, world))
        for who in WHO:
            if who == ANONYMOUS:
                continue
            response = fetch(world.client(who), path)
            assert response.headers.get("Cache-Control") == "no-store", f"{who} {path}"
            checked += 1
    assert checked >= 5 * 12


# --- markup ---------------------------------------------------------------------------------


def _rendered_pages(app, world) -> dict[str, str]:
    pages = {}
    for rule in routes(app, "GET"):
        path = url(app, rule, fill(rule, world))
        for who in WHO:
            response = fetch(world.client(who), path)
            if response.mimetype == "text/html":
                pages[f"{who} GET {path} ({response.status_code})"] = response.get_data(True)
    # Pages that only a POST or an error shows.
    client = app.test_client()
    pages["login error"] = login(client, app, "hocvien", "sai-mat-khau").get_data(True)
    pages["404"] = client.get("/khong-co-trang-nay").get_data(True)
    pages["405"] = client.get("/auth/logout").get_data(True)
    admin = world.client(EVERY_ROLE)
    issued = post(
        admin,
        app,
        "/admin/users/new",
        {"username": "nguoimoi", "full_name": "Người Mới", "roles": "official", "unit": ""},
    )
    pages["password issued"] = issued.get_data(True)
    pages["form errors"] = post(admin, app, "/admin/units/new", {"code": "?"}).get_data(True)
    return pages


def test_no_page_has_inline_script_style_or_external_assets(app):
    world = build_world(app)
    pages = _rendered_pages(app, world)
    assert len(pages) >= 40
    problems = {name: markup_problems(html) for name, html in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_scanner_sees_what_it_must_refuse():
    html = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<img src="https://cdn.example/a.png"><link href="//fonts.example/css">'
        '<a href="javascript:alert(1)">x</a><style>p{}</style>'
    )
    found = " | ".join(markup_problems(html))
    for expected in [
        "inline style",
        "inline event handler",
        "inline <script>",
        "external asset",
        "script URL",
        "inline <style>",
    ]:
        assert expected in found
    assert markup_problems('<script src="/static/js/app.js" defer></script>') == []


def test_static_assets_load_nothing_from_outside():
    offenders = []
    for path in sorted(STATIC.rglob("*")):
        if path.suffix not in {".css", ".js"}:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".css":
            bad = re.findall(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//[^)]*\)", text, re.I)
            bad += re.findall(r"@import[^;]*", text, re.I)
        else:
            bad = re.findall(r"https?://[^\s'\"]+", text, re.I)
        offenders += [f"{path.name}: {b}" for b in bad]
    assert offenders == []
    assert (STATIC / "css" / "app.css").exists()


# --- errors ---------------------------------------------------------------------------------


def test_error_pages_are_vietnamese_html(app, error_routes):
    make_user(app, "hocvien")
    anonymous = app.test_client()
    official = app.test_client()
    login(official, app, "hocvien")
    app.config["RAISE_UNEXPECTED"] = False
    cases = {
        400: anonymous.post("/auth/login", data={"username": "a", "password": "b"}),
        403: official.get("/admin/"),
        404: anonymous.get("/khong-co-trang-nay"),
        405: anonymous.get("/auth/logout"),
        500: anonymous.get("/thu-loi/500"),
    }
    titles = {
        400: "Yêu cầu không hợp lệ",
        403: "Không có quyền truy cập",
        404: "Không tìm thấy trang",
        405: "Phương thức không được hỗ trợ",
        500: "Lỗi hệ thống",
    }
    for status, response in cases.items():
        assert response.status_code == status
        assert response.mimetype == "text/html"
        text = page_text(response)
        assert f"Lỗi {status}" in text and titles[status] in text
        assert '<html lang="vi">' in response.get_data(as_text=True)
    assert "CSRF" in page_text(cases[400])
    assert "chi-tiet-noi-bo" not in cases[500].get_data(as_text=True)
    assert "Traceback" not in cases[500].get_data(as_text=True)
    generic = anonymous.get("/thu-loi/400")
    assert generic.status_code == 400 and "Máy chủ không hiểu yêu cầu này" in page_text(generic)


def test_too_large_request_gets_the_vietnamese_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = post(client, app, "/auth/login", {"username": "x" * 10_000, "password": "y"})
    assert response.status_code == 413
    assert "Tệp quá lớn" in page_text(response)
    assert "vượt quá dung lượng cho phép" in page_text(response)


def test_sign_in_rate_limit_gets_the_vietnamese_429_page(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "2 per minute"
    make_user(app, "hocvien")
    statuses = [login(client, app, "hocvien", "sai-mat-khau").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    response = login(client, app, "hocvien")
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in page_text(response)
    # Reading the sign-in page is not limited.
    assert client.get("/auth/login").status_code == 200


def test_api_errors_are_json(app, error_routes, client):
    app.config["RAISE_UNEXPECTED"] = False
    missing = client.get("/api/v1/khong-co")
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"]["status"] == 404
    assert missing.get_json()["error"]["title"] == "Không tìm thấy trang"
    private = client.get("/api/v1/thu-loi/can-dang-nhap")
    assert private.status_code == 401 and private.is_json
    assert private.get_json()["error"]["message"] == "Vui lòng đăng nhập để tiếp tục."
    crash = client.get("/api/v1/thu-loi/500")
    assert crash.status_code == 500 and crash.is_json
    assert crash.get_json()["error"]["title"] == "Lỗi hệ thống"
    assert "chi-tiet-noi-bo" not in crash.get_data(as_text=True)


# --- start-up and sessions ------------------------------------------------------------------


def _production_config(tmp_path, key):
    return {
        "TESTING": False,
        "DEVELOPMENT": False,
        "SECRET_KEY": key,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "CONTENT_DIR": str(tmp_path / "content"),
    }


@pytest.mark.parametrize("key", [None, "", "ngan-qua", "x" * 31])
def test_production_refuses_a_missing_or_short_secret_key(tmp_path, key):
    with pytest.raises(InsecureConfiguration, match="CCHC_SECRET_KEY"):
        create_app(_production_config(tmp_path, key))


def test_production_accepts_a_long_secret_key(tmp_path):
    key = "k" * 32
    application = create_app(_production_config(tmp_path, key))
    assert application.secret_key == key
    with application.app_context():
        db.engine.dispose()


def test_session_protection_drops_a_session_whose_browser_changed(app):
    make_user(app, "hocvien")
    client = app.test_client()
    ua = {"User-Agent": "Trinh-duyet-A/1.0"}
    assert login(client, app, "hocvien", headers=ua).status_code == 302
    assert client.get("/auth/password", headers=ua).status_code == 200
    stolen = client.get("/auth/password", headers={"User-Agent": "Trinh-duyet-B/2.0"})
    assert stolen.status_code == 302 and "/auth/login" in stolen.headers["Location"]
    # The session is gone, not merely hidden from the other browser.
    again = client.get("/auth/password", headers=ua)
    assert again.status_code == 302 and "/auth/login" in again.headers["Location"]
    assert login(client, app, "hocvien", PASSWORD, headers=ua).status_code == 302
