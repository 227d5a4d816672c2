"""Scraping /metrics the way Prometheus does, and the sample content of other test folders."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

TESTS = Path(__file__).resolve().parents[1]
TOKEN = "jD3v-8kq0Zc1wX7pLr5mT2yN9bF4hG6sA0eU"  # 36 printable ASCII characters

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def sibling_module(relative: str):
    """A helper module of another test folder (they are not packages), loaded by its path."""
    path = TESTS / relative
    name = f"metrics_support_{path.stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def parse(text: str) -> Samples:
    """Every sample of an exposition, keyed by name and sorted labels."""
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def scrape(client: FlaskClient, token: str = TOKEN) -> Samples:
    """GET /metrics with the bearer token; the text must parse."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain; version=")
    return parse(response.get_data(as_text=True))


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests_of(samples: Samples, endpoint: str, method: str = "GET", status: str = "2xx") -> float:
    """How many requests of an endpoint the histogram has counted."""
    return value(
        samples, "cchc_http_request_duration_seconds_count",
        endpoint=endpoint, method=method, status_class=status,
    )
