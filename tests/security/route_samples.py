"""What the route walk needs to know about routes: values for URL parameters, and exceptions.

Every `<parameter>` of every route must be fillable from SAMPLES, or the walk fails and names
the route. A sampler receives the app and the walk's World (accounts per role, units) and
returns the value of a row that exists, creating that row first when the World has none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Sampler = Callable[[Any, Any], object]

# "parameter" or, when one route needs a different row, "endpoint:parameter".
SAMPLES: dict[str, Sampler] = {
    "user_id": lambda app, world: world.user_ids["official"],
    "unit_id": lambda app, world: world.unit_ids["XA"],
}

# A value naming no row, per URL converter; the route must answer 404 (never 500).
MISSING_BY_CONVERTER: dict[str, object] = {
    "IntegerConverter": 987_654_321,
    "UUIDConverter": "00000000-0000-0000-0000-000000000000",
}
MISSING_DEFAULT = "khong-ton-tai-0"

# Answers that differ from what the access rule alone predicts, with the reason.
# Keys: (endpoint, "anonymous" | "signed_in"); values: (status, Location prefix or None).
SPECIAL_GET: dict[tuple[str, str], tuple[int, str | None]] = {
    # A signed-in user who opens the sign-in page is sent on to the home page.
    ("auth.login", "signed_in"): (302, "/"),
    # The code step only makes sense right after a correct password.
    ("auth.totp", "anonymous"): (302, "/auth/login"),
    ("auth.totp", "signed_in"): (302, "/auth/login"),
}

# Tables a GET request may write by design (for example access events), with the reason.
GET_MAY_WRITE: dict[str, str] = {}
