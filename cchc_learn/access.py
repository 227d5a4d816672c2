"""Deny-by-default access rules: every view states who may call it, one hook enforces it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

ROLES = ("official", "moderator", "trainer", "admin", "focal")
ROLE_LABELS = {
    "official": "Học viên",
    "moderator": "Người giải đáp",
    "trainer": "Giảng viên",
    "admin": "Quản trị",
    "focal": "Cán bộ đầu mối CCHC",
}

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    """Who may call a view: anyone, any signed-in account, or accounts holding one of roles."""

    public: bool = False
    roles: frozenset[str] | None = None


def _mark(rule: AccessRule) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def public(view: F) -> F:
    """Allow anyone, signed in or not."""
    return _mark(AccessRule(public=True))(view)


def signed_in(view: F) -> F:
    """Allow any active signed-in account."""
    return _mark(AccessRule())(view)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Allow accounts that hold at least one of the roles."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return _mark(AccessRule(roles=frozenset(roles)))


def rule_for(view: Callable[..., Any]) -> AccessRule | None:
    """Return the access rule a view declared, if any."""
    return getattr(view, "access_rule", None)


def has_any_role(user: Any, roles: Iterable[str]) -> bool:
    """Tell whether a (possibly anonymous) user holds one of the roles."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(set(user.role_names) & set(roles))


def wants_json() -> bool:
    """Tell whether the request is an API call that should be answered in JSON."""
    return request.path.startswith("/api/")


def _enforce() -> Any:
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404/405 handlers answer
    if endpoint == "static" or endpoint.endswith(".static"):
        return None
    view = current_app.view_functions.get(endpoint)
    rule = rule_for(view) if view else None
    if rule is None:
        current_app.logger.error("view %s declares no access rule; denied", endpoint)
        abort(403)
    if rule.public:
        return None
    if not current_user.is_authenticated:
        if wants_json():
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if rule.roles is not None and not has_any_role(current_user, rule.roles):
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Install the enforcing hook before every request."""
    app.before_request(_enforce)


__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "AccessRule",
    "public",
    "signed_in",
    "roles_required",
    "has_any_role",
]
