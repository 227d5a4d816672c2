"""`/metrics` in the Prometheus text format: requests, access events, and backlogs read at scrape.

Three kinds of series:

- **requests**: one histogram of response time labelled by the Flask endpoint, the method and
  the status class (`2xx` …), never by the raw URL, so a scanner trying a million addresses
  adds one series (`endpoint="unmatched"`), not a million;
- **access events written**: a counter that moves when an event `tracking.events.record`
  wrote is *committed* (`count_on_commit`), so a unit of work rolled back counts nothing;
- **gauges read from the database at scrape time**, which features register with
  `register_gauge` (outboxes, the search index's lag, open quiz attempts): this module imports
  no feature.

**Several worker processes.** Counters and histograms live in each process. Under gunicorn with
`PROMETHEUS_MULTIPROC_DIR` set (before the first import of prometheus_client, as the systemd unit
does), every process writes its values to files there and a scrape, answered by any worker, adds
up all of them (`deploy/gunicorn.conf.py` wipes the folder at start and marks dead workers).
Without it, the process's own registry is exported. The gauges are computed by the worker that
answers, from the database, either way.

**Who may read it.** Prometheus sends `Authorization: Bearer <CCHC_METRICS_TOKEN>` (compared in
constant time); a signed-in admin may open it in the browser. Anyone else gets the ordinary 404
page, the same as for an address that does not exist, so nothing tells that it is there. The
nginx site in `deploy/` does not pass `/metrics` through from the outside at all.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from flask_login import current_user
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .access import has_any_role, public
from .extensions import db

MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
"""Read once, at import, as prometheus_client itself does when it picks where values live."""

MIN_TOKEN_LENGTH = 32
_TOKEN_SHAPE = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no space: it travels in a header
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_PENDING = "cchc_metrics_pending"
_GAUGES = "cchc_metrics_gauges"

# The `_created` series say when a child was first used; in multiprocess mode they are absent,
# so the text is the same shape whichever way the app runs.
disable_created_metrics()

_INSTRUMENTS = CollectorRegistry()
"""The instruments of this process (exported when not in multiprocess mode)."""

REQUEST_SECONDS = Histogram(
    "cchc_http_request_duration_seconds",
    "Time to answer a request, by Flask endpoint, method and status class.",
    ("endpoint", "method", "status_class"),
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=_INSTRUMENTS,
)
ACCESS_EVENTS = Counter(
    "cchc_access_events",
    "Access events committed (views, downloads, completions), by object type and action.",
    ("object_type", "action"),
    registry=_INSTRUMENTS,
)


class InsecureMetricsToken(RuntimeError):
    """Raised at start-up when CCHC_METRICS_TOKEN is set but unfit for a bearer token."""


# --- access events: counted when their transaction commits ------------------------------------


def count_on_commit(child) -> None:
    """Increment a counter child once the current unit of work commits (never on rollback)."""
    db.session().info.setdefault(_PENDING, []).append(child)


def count_access_event(object_type: str, action: str) -> None:
    """Count one access event written in the current transaction."""
    count_on_commit(ACCESS_EVENTS.labels(object_type, action))


@event.listens_for(Session, "after_commit")
def _count_committed(session: Session) -> None:
    for child in session.info.pop(_PENDING, ()):
        child.inc()


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    # After a commit the list is already empty; after a rollback of the whole unit it goes.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


# --- requests ---------------------------------------------------------------------------------


def _start_timer() -> None:
    g.cchc_request_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("cchc_request_started", None)
    if started is not None:
        method = request.method if request.method in _METHODS else "other"
        REQUEST_SECONDS.labels(
            request.endpoint or "unmatched", method, f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
    return response


# --- gauges computed at scrape time -----------------------------------------------------------


Reading = float | Mapping[str, float]


@dataclass(frozen=True)
class Gauge:
    """A value read from the database at scrape time; with a label, one value per label value."""

    name: str
    documentation: str
    read: Callable[[], Reading]
    label: str | None = None


def register_gauge(
    app: Flask,
    name: str,
    documentation: str,
    read: Callable[[], Reading],
    *,
    label: str | None = None,
) -> None:
    """Add a gauge to /metrics; read() returns a number, or {label value: number} with label."""
    gauges: list[Gauge] = app.extensions.setdefault(_GAUGES, [])
    if any(gauge.name == name for gauge in gauges):
        raise ValueError(f"metrics gauge {name!r} is registered twice")
    gauges.append(Gauge(name, documentation, read, label))


def registered_gauges(app: Flask) -> list[Gauge]:
    """The gauges features registered, in registration order."""
    return list(app.extensions.get(_GAUGES, []))


class _GaugeCollector(Collector):
    def __init__(self, gauges: list[Gauge]) -> None:
        self.gauges = gauges

    def collect(self):
        read_ok = GaugeMetricFamily(
            "cchc_gauge_read_ok", "1 when the gauge could be read at this scrape, else 0.",
            labels=["gauge"],
        )
        for gauge in self.gauges:
            try:
                value = gauge.read()
            except Exception:  # noqa: BLE001 - one failing query must not hide the others
                current_app.logger.exception("metrics gauge %s failed", gauge.name)
                db.session.rollback()  # PostgreSQL refuses every later query in a failed one
                read_ok.add_metric([gauge.name], 0)
                continue
            family = GaugeMetricFamily(
                gauge.name, gauge.documentation, labels=[gauge.label] if gauge.label else None
            )
            if gauge.label:
                for label_value, number in sorted(value.items()):  # type: ignore[union-attr]
                    family.add_metric([label_value], float(number))
            else:
                family.add_metric([], float(value))  # type: ignore[arg-type]
            read_ok.add_metric([gauge.name], 1)
            yield family
        yield read_ok


def exposition(app: Flask) -> bytes:
    """The text every scrape returns: this host's instruments, then the gauges."""
    if MULTIPROCESS_DIR:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=MULTIPROCESS_DIR)
        instruments = generate_latest(registry)
    else:
        instruments = generate_latest(_INSTRUMENTS)
    gauges = CollectorRegistry()
    gauges.register(_GaugeCollector(registered_gauges(app)))
    try:
        return instruments + generate_latest(gauges)
    finally:
        db.session.rollback()  # end the read transaction the gauges used


# --- the page ---------------------------------------------------------------------------------


bp = Blueprint("metrics", __name__)


def _digest(value: str) -> bytes:
    # Equal-length digests: the comparison tells nothing about the token's length either.
    return hashlib.sha256(value.encode("utf-8", "surrogateescape")).digest()


def _bearer_token_matches() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(_digest(given.strip()), _digest(str(token)))


@bp.route("/metrics")
@public  # checked below: a refusal must look like a missing page, not a sign-in prompt
def scrape():
    if not (_bearer_token_matches() or has_any_role(current_user, ("admin",))):
        abort(404)
    response = Response(exposition(current_app), mimetype=None, content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _check_token(app: Flask) -> None:
    token = app.config.get("METRICS_TOKEN")
    if token in (None, ""):
        app.config["METRICS_TOKEN"] = None
        return
    token = str(token)
    if len(token) < MIN_TOKEN_LENGTH or not _TOKEN_SHAPE.fullmatch(token):
        raise InsecureMetricsToken(
            f"CCHC_METRICS_TOKEN không dùng được: cần ít nhất {MIN_TOKEN_LENGTH} ký tự ASCII in "
            "được, không có khoảng trắng (tạo bằng: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')."
        )
    app.config["METRICS_TOKEN"] = token


def init_app(app: Flask) -> None:
    """Check the token, time every request and serve /metrics."""
    _check_token(app)
    if MULTIPROCESS_DIR:
        os.makedirs(MULTIPROCESS_DIR, exist_ok=True)
    app.before_request(_start_timer)
    app.after_request(_observe)
    app.register_blueprint(bp)
