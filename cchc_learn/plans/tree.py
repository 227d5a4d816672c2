"""The unit tree as it stood on any date, loaded once (units and links, two queries), and a
plan's audience in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..org.models import Unit, UnitLink
from .models import Plan


class UnitHistory:
    """Every unit and every parent link, to give the tree of any date without another query."""

    def __init__(self) -> None:
        self.units: dict[int, Unit] = {u.id: u for u in db.session.scalars(select(Unit))}
        self.links: dict[int, list[UnitLink]] = {}
        for link in db.session.scalars(select(UnitLink)):
            self.links.setdefault(link.unit_id, []).append(link)
        self.by_code = {u.code.lower(): u for u in self.units.values()}

    def tree(self, day: date) -> Tree:
        """The tree as it stood on day."""
        alive = {i: u for i, u in self.units.items() if u.is_valid_on(day)}
        parents: dict[int, int | None] = {}
        for unit_id, unit in alive.items():
            parent = unit.parent_id
            for link in self.links.get(unit_id, ()):
                if link.valid_from <= day and (link.valid_to is None or link.valid_to >= day):
                    parent = link.parent_id
            parents[unit_id] = parent if parent in alive else None
        return Tree(alive, parents)


@dataclass
class Tree:
    """Units valid on a day and their parents on that day."""

    units: dict[int, Unit]
    parents: dict[int, int | None]
    children: dict[int | None, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit_id in sorted(self.units, key=lambda i: self.units[i].code):
            self.children.setdefault(self.parents[unit_id], []).append(unit_id)

    def subtree(self, unit_id: int) -> list[int]:
        """unit_id and everything below it, depth first, by code."""
        out, stack = [], [unit_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed(self.children.get(current, [])))
        return out

    def ancestors(self, unit_id: int) -> list[int]:
        """The units above unit_id, nearest first."""
        out, current = [], self.parents.get(unit_id)
        while current is not None and current not in out:
            out.append(current)
            current = self.parents.get(current)
        return out


@dataclass
class Audience:
    """A plan's audience on one day: the units whose officials count, and the units shown."""

    roots: list[int]
    members: set[int]  # units whose officials are on the roster
    shown: set[int]  # units in the audience's subtrees, and the units above them


def audience(plan: Plan, tree: Tree) -> Audience:
    """Resolve a plan's unit codes and levels in the tree of one day."""
    codes = {c.lower() for c in plan.audience_units}
    named = [i for i, u in tree.units.items() if u.code.lower() in codes]
    # A named unit below another named unit adds nothing.
    roots = [i for i in named if not set(tree.ancestors(i)) & set(named)]
    roots.sort(key=lambda i: tree.units[i].code)
    below = {i for root in roots for i in tree.subtree(root)}
    levels = set(plan.audience_levels)
    members = {i for i in below if not levels or tree.units[i].level in levels}
    shown = set(below) | {a for root in roots for a in tree.ancestors(root)}
    return Audience(roots, members, shown)
