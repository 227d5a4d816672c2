"""docs/reports.md: its console examples run as written against the demo data."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _docs_helpers():
    """The transcript runner of tests/cli/test_docs_examples.py (one runner for every doc)."""
    path = REPO / "tests" / "cli" / "test_docs_examples.py"
    spec = importlib.util.spec_from_file_location("docs_examples_helpers", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_the_reports_doc_runs_on_the_demo(app, runner, tmp_path, monkeypatch):
    helpers = _docs_helpers()
    helpers.quickstart(runner, tmp_path, monkeypatch, content=True)
    text = helpers.doc("reports.md")
    steps = helpers.transcript(text)
    assert len(steps) >= 5
    for step in steps:
        helpers.run_step(runner, step, tmp_path)
    assert not (tmp_path / "cu.csv").exists() and not (tmp_path / "x.json").exists()
    # The JSON shown holds the province's numbers of the same demo.
    shown = helpers.fenced(text, "json")[0]
    province = re.search(r"\{\"code\": \"AG\".*?\}", shown, re.S).group(0)
    runner.invoke(args=["report", "compliance", "--plan", "ke-hoach-cchc-2026", "--format",
                        "json", "-o", str(tmp_path / "r.json")])  # fmt: skip
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["units"][0] == json.loads(province)
