"""Security baseline: secret key check, response headers, safe redirects."""

from __future__ import annotations

import secrets
from urllib.parse import urljoin, urlsplit

from flask import Flask, Response, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from . import access

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


class InsecureConfiguration(RuntimeError):
    """Raised at start-up when production settings are unsafe."""


def init_app(app: Flask) -> None:
    """Check the secret key, set cookie flags and add headers to every response."""
    _check_secret_key(app)
    if app.config.get("HTTPS"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Behind a reverse proxy: trust that many hops for the client address and scheme.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    access.init_app(app)
    app.after_request(_add_headers)


def _check_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    relaxed = app.config.get("TESTING") or app.config.get("DEVELOPMENT")
    if key and len(str(key)) >= app.config["MIN_SECRET_KEY_LENGTH"]:
        return
    if relaxed:
        if not key:
            app.config["SECRET_KEY"] = secrets.token_urlsafe(48)
        return
    raise InsecureConfiguration(
        "CCHC_SECRET_KEY is missing or shorter than "
        f"{app.config['MIN_SECRET_KEY_LENGTH']} characters; set a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
    )


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    from flask import current_app

    if current_app.config.get("HTTPS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if current_user and getattr(current_user, "is_authenticated", False):
        headers["Cache-Control"] = "no-store"
        headers["Vary"] = "Cookie"
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """Return target if it stays on this site, else default."""
    if not target:
        return default
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    host = urlsplit(request.host_url)
    joined = urlsplit(urljoin(request.host_url, target))
    if (joined.scheme, joined.netloc) != (host.scheme, host.netloc):
        return default
    return target
