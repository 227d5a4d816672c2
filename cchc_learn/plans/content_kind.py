"""Plans as a kind of content file: content/plans/<slug>.md for `content check|sync`.

It comes after the documents, modules and quizzes whose lookups say whether what a plan names
exists. Unit codes are checked against the database (units are not content); before it holds any
unit (a fresh install), they are left unchecked and a report names a code that matches nothing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..content.frontmatter import read_text
from ..content.kinds import Checked, ContentKind, Lookups, SyncRun
from ..content.problems import ContentError
from ..extensions import db
from ..org.models import Unit
from .loader import PlanSource, References, read_plan
from .service import sync_plans


def _unit_codes() -> set[str] | None:
    """Unit codes in lower case; None before there is a database or any unit to check against."""
    try:
        codes = {code for code in db.session.scalars(select(func.lower(Unit.code)))}
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return codes or None


def _references(lookups: Lookups) -> References:
    modules, documents, quizzes = (
        lookups.get("modules"), lookups.get("documents"), lookups.get("quizzes")
    )  # fmt: skip
    codes = _unit_codes()
    return References(
        module_exists=lambda slug: modules is not None and modules(slug),
        lesson_exists=lambda module, lesson: modules is not None and modules(module, lesson),
        document_url=lambda number: documents(number) if documents is not None else None,
        quiz_exists=lambda slug: quizzes is not None and quizzes(slug),
        unit_exists=None if codes is None else (lambda code: code.lower() in codes),
    )


def check(root: Path, lookups: Lookups) -> Checked:
    """Read and check every plan file."""
    refs = _references(lookups)
    sources: list[PlanSource] = []
    problems = []
    for path in sorted((root / "plans").glob("*.md")):
        shown = f"{root.name}/{path.relative_to(root).as_posix()}"
        try:
            text = read_text(path, shown)
        except ContentError as exc:
            problems += exc.problems
            continue
        source = read_plan(text, shown, path.stem, refs)
        source.path = path.relative_to(root).as_posix()
        if source.problems:
            problems += source.problems
        else:
            sources.append(source)
    # The folder is optional: a content tree without plans says nothing about them.
    counts = f"{len(sources)} kế hoạch" if (root / "plans").is_dir() else ""
    return Checked(sources=sources, problems=problems, counts=counts, steps=len(sources))


def sync(checked: Checked, run: SyncRun) -> dict:
    """Bring file-sourced plans in line with the checked files."""
    summary = sync_plans(checked.sources, progress=run.progress)
    if not (run.root / "plans").is_dir() and not summary.archived:
        return {}
    return {"Kế hoạch bồi dưỡng": summary}


PLANS = ContentKind("plans", check, sync, after=("documents", "modules", "quizzes"))
