"""docs/operations.md: its commands exist and run on the demo, its numbers and files are real."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import click
import pytest
import yaml
from deploy_files import REPO, nginx, one, unit
from flask.cli import ScriptInfo
from prometheus_client.parser import text_string_to_metric_families

from cchc_learn import health
from cchc_learn.cli import cli

DOC = REPO / "docs" / "operations.md"
TOKEN = "operations-doc-token-0123456789abcdefgh"
# Written elsewhere at the same time; the doc describes them by the contract of docs/../SPEC:
# `cchc-learn backup -o FILE` and `cchc-learn restore FILE [--force]`.
ARRIVING = {"backup": ("-o",), "restore": ("--force",)}


def _docs_helpers():
    """The transcript helpers of tests/cli/test_docs_examples.py (quickstart from docs/)."""
    path = REPO / "tests" / "cli" / "test_docs_examples.py"
    spec = importlib.util.spec_from_file_location("docs_examples_helpers", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def blocks(lang: str) -> list[str]:
    """The ```lang blocks of the guide, also those indented inside a numbered step."""
    found, current, indent = [], None, ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if current is None:
            opening = re.fullmatch(r"( *)```(\w*)", line)
            if opening and opening.group(2) == lang:
                current, indent = [], opening.group(1)
        elif line == indent + "```":
            found.append("\n".join(current) + "\n")
            current = None
        else:
            current.append(line.removeprefix(indent))
    return found


def commands() -> list[list[str]]:
    """Every `cchc-learn …` the doc's shell blocks run, as argument lists."""
    found = []
    for block in blocks("sh"):
        for line in block.splitlines():
            match = re.search(r"(?:^|\s)(?:sudo |/usr/local/sbin/)cchc-learn (.+)$", line)
            if not match:
                continue
            text = match.group(1).split(" && ")[0]
            text = text.replace(r"$(date +\%F)", "2026-12-03").replace("$(date +%F)", "2026-12-03")
            found.append(shlex.split(text))
    return found


def _parse(app, argv: list[str]) -> None:
    """Resolve the subcommands and parse the options as the console script would."""
    info = ScriptInfo(create_app=lambda: app)
    with ExitStack() as contexts:  # closing them pops the app context Flask's group pushed
        ctx = contexts.enter_context(click.Context(cli, info_name="cchc-learn", obj=info))
        command, args = cli, list(argv)
        while isinstance(command, click.Group):
            name, command, args = command.resolve_command(ctx, args)
            ctx = contexts.enter_context(
                click.Context(command, info_name=name, parent=ctx, obj=info))
        command.parse_args(ctx, args)


def test_every_command_of_the_guide_is_one_the_cli_knows(app):
    found = commands()
    names = [" ".join(a[:2]) if a[0] in ("db", "users", "search", "content") else a[0]
             for a in found]  # fmt: skip
    assert set(names) == {
        "db upgrade", "db current", "db heads", "content sync", "search reindex",
        "users create", "users reset-password", "tick", "backup", "restore",
    }
    with click.Context(cli, obj=ScriptInfo(create_app=lambda: app)) as ctx:
        registered = set(cli.list_commands(ctx))
    for argv in found:
        if argv[0] in ARRIVING and argv[0] not in registered:
            # Until the command lands, the doc must use it exactly as the contract says.
            assert set(a for a in argv[1:] if a.startswith("-")) <= set(ARRIVING[argv[0]])
            assert len([a for a in argv[1:] if not a.startswith("-")]) == 1, argv
            continue
        try:
            _parse(app, argv)
        except click.UsageError as exc:  # pragma: no cover - the message names the problem
            pytest.fail(f"cchc-learn {shlex.join(argv)}: {exc.format_message()}")
    with pytest.raises(click.UsageError):
        _parse(app, ["users", "create", "quantri", "--rol", "admin"])


def test_the_guides_commands_run_on_the_demo(app, runner, tmp_path, monkeypatch):
    helpers = _docs_helpers()
    helpers.quickstart(runner, tmp_path, monkeypatch, content=False)
    outputs = {}
    for argv in commands():
        if argv[0] in ("backup", "restore"):
            continue
        result = runner.invoke(args=argv)
        assert result.exit_code == 0, f"cchc-learn {shlex.join(argv)}\n{result.output}"
        outputs.setdefault(" ".join(argv[:2]), result.output)
    assert "Đã tạo tài khoản quantri (admin)." in outputs["users create"]
    temporary = re.search(r"Mật khẩu tạm thời \(đổi khi đăng nhập lần đầu\): (\S+)",
                          outputs["users create"])  # fmt: skip
    assert temporary
    assert "Đã cấp lại mật khẩu cho quantri (Quản trị hệ thống)." in outputs[
        "users reset-password"]  # fmt: skip
    # (alembic prints `db current` and `db heads` past the runner; the database says it)
    assert {"db current", "db heads", "db upgrade"} <= set(outputs)
    with app.app_context():
        assert health.check_database()["migrations"]["up_to_date"] is True
    assert outputs["search reindex"].startswith("Đã xây dựng lại chỉ mục: ")
    assert re.search(r"^quiz: đã đóng và chấm \d+ lượt làm bài quá giờ$", outputs["tick"], re.M)
    assert re.search(r"^notify: ", outputs["tick"], re.M)
    # The example line of the tick's log is what the tick prints.
    assert "`quiz: đã đóng và chấm 0 lượt làm bài quá giờ`" in DOC.read_text(encoding="utf-8")


def test_the_search_message_quoted_is_the_apps():
    from cchc_learn.search.service import UNAVAILABLE

    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f'"{UNAVAILABLE}"' in text


def test_every_series_is_explained_and_every_name_is_real(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    client.get("/healthz")
    body = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(
        as_text=True)  # fmt: skip
    families = list(text_string_to_metric_families(body))
    real = {f.name for f in families} | {s.name for f in families for s in f.samples}
    real |= {f"{f.name}_total" for f in families if f.type == "counter"}
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### 5.2."):text.index("## 6.")]
    named = set(re.findall(r"\b(cchc_[a-z_]+[a-z])\b", section))
    assert named and named <= real, named - real
    table = text[text.index("| chuỗi | ý nghĩa |"):text.index("Các số liệu hàng đợi")]
    for family in families:
        shown = family.name + ("_total" if family.type == "counter" else "")
        assert f"`{shown}" in table, family.name
    # The labels the alerts use exist with those values.
    states = {s.labels.get("state") for f in families for s in f.samples} - {None}
    assert {"waiting", "failed", "rejected"} <= states
    for found in re.findall(r'state="(\w+)"', section):
        assert found in states


def test_the_prometheus_examples_are_valid_yaml_for_the_deploy_kit():
    scrape, rules = (yaml.safe_load(block) for block in blocks("yaml"))
    job = scrape["scrape_configs"][0]
    assert job["authorization"]["type"] == "Bearer"
    site = nginx()
    internal_ports = {d.args[0] for s in site.all("server") for d in s.all("listen")
                      if s.all("allow")}  # fmt: skip
    for target in job["static_configs"][0]["targets"]:
        assert target.rsplit(":", 1)[1] in internal_ports
    alerts = rules["groups"][0]["rules"]
    assert len(alerts) >= 10
    assert all(set(rule) <= {"alert", "expr", "for"} and rule["expr"] for rule in alerts)
    for rule in alerts:
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]


def test_the_healthz_example_has_the_shape_of_the_real_answer(app, client):
    from cchc_learn.search import indexer

    with app.app_context():
        indexer.rebuild()
    real = client.get("/healthz").get_json()
    shown = json.loads(blocks("json")[0])

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        return type(value).__name__ if value is not None else "null"

    real["checks"]["database"]["dialect"] = "postgresql"
    assert shape(shown) == shape(real)


def test_files_units_and_settings_named_by_the_guide_exist():
    text = DOC.read_text(encoding="utf-8")
    for relative in set(re.findall(r"/srv/cchc-learn/([\w./-]+[\w/])", text)):
        if not relative.startswith(".venv"):
            assert (REPO / relative).exists(), relative
    for name in set(re.findall(r"\b(cchc-learn(?:-tick)?\.(?:service|timer))\b", text)):
        assert (REPO / "deploy/systemd" / name).exists(), name
    service = unit("cchc-learn.service")["Service"]
    assert one(service, "EnvironmentFile") in text
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for setting in set(re.findall(r"\b(CCHC_[A-Z_]+[A-Z])\b", text)):
        assert f"`{setting}`" in readme, setting
    assert "/usr/local/sbin/cchc-learn" in text
    assert r"$(date +\%F)" in text  # cron reads a bare % as a new line


def test_the_wrapper_runs_the_command_with_the_services_settings(app, runner, tmp_path):
    """deploy/cchc-learn.sh, with its three paths pointed at this test's files, run for real."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("the wrapper test needs root (runuser), as the guide runs it")
        pytest.skip("runuser needs root (set CI=1 to make this a failure)")
    root = tmp_path / "srv"
    (root / ".venv/bin").mkdir(parents=True)
    os.symlink(Path(sys.executable).parent / "cchc-learn", root / ".venv/bin/cchc-learn")
    env_file = tmp_path / "cchc-learn.env"
    env_file.write_text(
        f"CCHC_SECRET_KEY={app.config['SECRET_KEY']}\n"
        f"CCHC_SQLALCHEMY_DATABASE_URI={app.config['SQLALCHEMY_DATABASE_URI']}\n"
        f"CCHC_SEARCH_INDEX_DIR={tmp_path / 'index'}\n"
        f"CCHC_UPLOAD_DIR={tmp_path / 'uploads'}\n"
        f"CCHC_ORGANISATION_NAME='Sở Nội vụ tỉnh An Giang'\n"
        f"PYTHONPATH={REPO}\n",
        encoding="utf-8",
    )
    script = (REPO / "deploy/cchc-learn.sh").read_text(encoding="utf-8")
    for old, new in [("ENV_FILE=/etc/cchc-learn/cchc-learn.env", f"ENV_FILE={env_file}"),
                     ("APP_DIR=/srv/cchc-learn", f"APP_DIR={root}"),
                     ("APP_USER=cchc", "APP_USER=root")]:  # fmt: skip
        assert old in script
        script = script.replace(old, new)
    wrapper = tmp_path / "cchc-learn"
    wrapper.write_text(script, encoding="utf-8")
    wrapper.chmod(0o755)
    clean = {"PATH": os.environ["PATH"]}

    current = subprocess.run([str(wrapper), "db", "current"], capture_output=True, text=True,
                             env=clean, timeout=300)  # fmt: skip
    assert current.returncode == 0, current.stderr
    assert "(head)" in current.stdout  # the database of the env file, migrated by the fixture
    tick = subprocess.run([str(wrapper), "tick"], capture_output=True, text=True, env=clean,
                          cwd=tmp_path, timeout=300)  # fmt: skip
    assert tick.returncode == 0, tick.stderr
    assert re.search(r"^quiz: ", tick.stdout, re.M)
    missing = subprocess.run([str(wrapper), "users", "reset-password", "khongco"],
                             capture_output=True, text=True, env=clean, timeout=300)  # fmt: skip
    assert missing.returncode == 1
    assert "Không tìm thấy tài khoản có tên đăng nhập khongco." in missing.stderr
