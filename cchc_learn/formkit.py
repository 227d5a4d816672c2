"""Small pieces every feature's forms share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    SelectChoice = None


def choice_list(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    """Select choices from (value, label) pairs, in the form this WTForms takes without warning."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]
