"""The training plans a class may serve, as the feature above (plans) lists them.

`plans` sits above `classes` (it counts attended classes), so `classes` never imports it: the
plans package registers a function returning its live plans as (slug, title, starts, ends),
and the classes pages and services read them through `plan_refs`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

from flask import Flask, current_app

EXTENSION_KEY = "cchc_class_plan_source"


class PlanRef(NamedTuple):
    """A plan as a class sees it: its code, title and period (inclusive local dates)."""

    slug: str
    title: str
    starts: date
    ends: date


PlanSource = Callable[[], Iterable[tuple[str, str, date, date]]]


def register_plan_source(app: Flask, fn: PlanSource) -> None:
    """Say where the plans come from (one source; a later registration replaces it)."""
    app.extensions[EXTENSION_KEY] = fn


def plan_refs() -> list[PlanRef]:
    """Every live plan, in the source's order (none when no source is registered)."""
    source = current_app.extensions.get(EXTENSION_KEY)
    if source is None:
        return []
    return [PlanRef(*row) for row in source()]


def plans_by_slug() -> dict[str, PlanRef]:
    """The live plans by code."""
    return {ref.slug: ref for ref in plan_refs()}
