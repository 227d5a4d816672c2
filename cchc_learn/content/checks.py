"""Whole-tree content checks and sync over the registered kinds, for the CLI and quickstart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..database import transactional
from ..extensions import db
from .kinds import Checked, ContentKind, Counts, SyncRun, kinds
from .problems import Problem


@dataclass
class ContentTree:
    """Everything checked in a content folder, kind by kind, with every problem found."""

    root: Path
    kinds: list[ContentKind] = field(default_factory=list)
    checked: dict[str, Checked] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # as printed: path:line: message

    @property
    def counts(self) -> str:
        """What the tree holds, e.g. "165 văn bản, 6 chuyên đề, 31 bài học, …"."""
        return ", ".join(checked.counts for checked in self.checked.values() if checked.counts)

    @property
    def steps(self) -> int:
        """How many times a sync of the tree reports progress."""
        return sum(checked.steps for checked in self.checked.values())


def load_tree(root: Path) -> ContentTree:
    """Load and check the whole content folder without writing anything."""
    tree = ContentTree(root=root)
    if not root.is_dir():
        tree.problems.append(str(Problem(str(root), 1, "không tìm thấy thư mục nội dung")))
        return tree
    tree.kinds = kinds()
    lookups: dict[str, Callable] = {}
    for kind in tree.kinds:
        checked = kind.check(root, {name: lookups[name] for name in kind.after if name in lookups})
        tree.checked[kind.name] = checked
        tree.problems.extend(str(problem) for problem in checked.problems)
        if checked.lookup is not None:
            lookups[kind.name] = checked.lookup
    return tree


@transactional
def sync_tree(
    tree: ContentTree, *, upload_dir: Path, progress: Callable[[object], None] | None = None
) -> dict[str, Counts]:
    """Import a checked tree all-or-nothing, as one unit of work."""
    if tree.problems:
        raise ValueError("cannot sync a tree with problems")
    run = SyncRun(root=tree.root, upload_dir=upload_dir, progress=progress)
    summaries: dict[str, Counts] = {}
    for kind in tree.kinds:
        summaries.update(kind.sync(tree.checked[kind.name], run))
        db.session.flush()
    return summaries


__all__ = ["ContentTree", "Problem", "load_tree", "sync_tree"]
