"""What a sync or an import did to one kind of object."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncSummary:
    """Counts of what was added, updated, left unchanged and archived, with the keys of each."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    keys: dict[str, list[str]] = field(default_factory=dict)

    def note(self, what: str, key: str) -> None:
        """Count key under added, updated, unchanged or archived."""
        setattr(self, what, getattr(self, what) + 1)
        self.keys.setdefault(what, []).append(key)
