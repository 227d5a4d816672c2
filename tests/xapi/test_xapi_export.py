"""`cchc-learn xapi export`: a round trip with stable ids, and hostile input that writes nothing."""

from __future__ import annotations

import json

import pytest
from xapi_world import build


def export(runner, path, *extra):
    return runner.invoke(args=["xapi", "export", *extra, "-o", str(path)])


@pytest.fixture
def out(tmp_path):
    """A folder of its own for the exported files (tmp_path holds the SQLite database)."""
    folder = tmp_path / "xuat"
    folder.mkdir()
    return folder


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_twice_gives_the_same_statements_in_time_order(app, runner, out):
    build(app)
    first, second = out / "a.jsonl", out / "b.jsonl"
    result = export(runner, first)
    assert result.exit_code == 0, result.output
    assert "Đã ghi 11 câu lệnh xAPI" in result.output
    assert export(runner, second).exit_code == 0
    one, two = lines(first), lines(second)
    assert [s["id"] for s in one] == [s["id"] for s in two]
    assert len({s["id"] for s in one}) == 11
    stamps = [s["timestamp"] for s in one]
    assert stamps == sorted(stamps)
    assert sorted(p.name for p in out.iterdir()) == ["a.jsonl", "b.jsonl"]


def test_the_window_takes_whole_vietnamese_days(app, runner, out):
    build(app)
    target = out / "w.jsonl"
    result = export(runner, target, "--since", "2026-02-03", "--until", "2026-02-04")
    assert result.exit_code == 0, result.output
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in lines(target)]
    assert verbs == ["viewed", "viewed", "attempted", "failed", "attempted", "passed",
                     "attempted"]


@pytest.mark.parametrize("extra, message", [
    (("--since", "2026-13-01"), "không có thật"),
    (("--since", "2026-02-30"), "không có thật"),
    (("--until", "hôm qua"), "không hợp lệ"),
    (("--since", "2026-02-01\x00"), "không hợp lệ"),
    (("--since", "2026-02-05", "--until", "2026-02-01"), "sau ngày kết thúc"),
])
def test_bad_dates_write_nothing(app, runner, out, extra, message):
    build(app)
    target = out / "out.jsonl"
    target.write_text("trước\n", encoding="utf-8")
    result = export(runner, target, *extra)
    assert result.exit_code == 1
    assert message in result.output
    assert target.read_text(encoding="utf-8") == "trước\n"
    assert [p.name for p in out.iterdir()] == ["out.jsonl"]


def test_hostile_output_paths_write_nothing(app, runner, out):
    build(app)
    result = export(runner, f"{out}/a\x00b.jsonl")
    assert result.exit_code == 1 and "không hợp lệ" in result.output
    result = export(runner, out / "khong-co" / "a.jsonl")
    assert result.exit_code == 1 and "Không có thư mục" in result.output
    assert list(out.iterdir()) == []


def test_without_a_site_address_nothing_is_written(app, runner, out):
    app.config["SITE_URL"] = None
    result = export(runner, out / "a.jsonl")
    assert result.exit_code == 1 and "SITE_URL" in result.output
    assert list(out.iterdir()) == []
