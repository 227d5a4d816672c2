"""Bulk import of units and officials from CSV or XLSX: preview first, then all-or-nothing."""

from .batches import confirm, find, purge_expired, stage
from .results import (
    KINDS,
    BatchAlreadyCommitted,
    BatchMissing,
    CellProblem,
    ImportPlan,
    ImportRejected,
    ImportResult,
    PlannedRow,
)
from .service import prepare, preview, run, write

__all__ = [
    "KINDS",
    "BatchAlreadyCommitted",
    "BatchMissing",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "PlannedRow",
    "CellProblem",
    "confirm",
    "find",
    "prepare",
    "preview",
    "purge_expired",
    "run",
    "stage",
    "write",
]
