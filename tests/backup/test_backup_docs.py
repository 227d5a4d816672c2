"""The restore drill of docs/backup.md runs as written against the demo data."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from helpers import login

from cchc_learn.backup.archive import KINDS

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "backup.md"


def console_steps(text: str) -> list[tuple[str, int, list[str]]]:
    """(command, expected exit code, printed lines) for each `$ ` line of ```console blocks."""
    steps: list[tuple[str, int, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```$", text, re.S | re.M):
        for line in block.splitlines():
            if line.startswith("$ "):
                command, _, comment = line[2:].partition("  #")
                code = re.search(r"thoát với mã (\d+)", comment)
                steps.append((command.strip(), int(code.group(1)) if code else 0, []))
            else:
                steps[-1][2].append(line)
    return steps


def shown_as(line: str, backend: str) -> re.Pattern:
    """A printed line of the doc as a pattern: `…` stands for what changes from run to run."""
    line = line.replace("SQLite", KINDS[backend])
    return re.compile(".+?".join(re.escape(part) for part in line.split("…")))


def test_the_restore_drill_runs_on_the_demo(app, backend, runner, tmp_path, monkeypatch):
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    started = runner.invoke(args=["quickstart", "--no-serve"])
    assert started.exit_code == 0, started.output
    passwords = dict(re.findall(r"^  (\S+)\s+(\S+)$", started.output, re.M))

    steps = console_steps(DOC.read_text(encoding="utf-8"))
    assert [command for command, _, _ in steps] == [
        "cchc-learn backup -o sao-luu.tar",
        "cchc-learn restore sao-luu.tar",
        "cchc-learn restore sao-luu.tar --force",
    ]
    for command, code, shown in steps:
        result = runner.invoke(args=shlex.split(command)[1:])
        assert result.exit_code == code, f"$ {command}\n{result.output}"
        printed = result.output.splitlines()
        assert len(printed) == len(shown), f"$ {command}\n{result.output}"
        for line, expected in zip(printed, shown, strict=True):
            assert shown_as(expected, backend).fullmatch(line), (command, line, expected)
    assert (tmp_path / "sao-luu.tar").is_file()

    # After the drill the demo works: the admin signs in anew and /healthz is healthy.
    client = app.test_client()
    assert login(client, app, "admin", passwords["admin"]).status_code == 302
    health = client.get("/healthz").get_json()
    assert health["checks"]["database"]["ok"] and health["checks"]["search_index"]["ok"]
    found = client.get("/api/v1/search", query_string={"q": "4599/QD-UBND"}).get_json()
    assert found["results"][0]["number"] == "4599/QĐ-UBND"
