"""Plans as files (content check|sync) and written in the browser (with revisions)."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import login, make_unit, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.extensions import db
from cchc_learn.plans.models import Plan, PlanRevision

REPO = Path(__file__).resolve().parents[2]

BAD_PLAN = """---
title: Kế hoạch lỗi
starts: 2026-12-31
ends: 2026-12-31
audience:
  units: [KHONG-CO]
  levels: [thon]
required:
  modules: [khong-co-chuyen-de]
  lessons: [tong-quan-cchc/khong-co-bai]
  documents: ["999/QĐ-XYZ"]
quiz: khong-co-bai-kiem-tra
targets:
  accessed: 150
---
Xem [[123/KHONG]].
"""


def content_with_plan(tmp_path: Path, text: str, name: str = "thu.md") -> Path:
    """The repository's content plus one plan file."""
    root = tmp_path / "content"
    if not root.exists():
        shutil.copytree(REPO / "content", root, ignore=shutil.ignore_patterns("plans"))
    (root / "plans").mkdir(exist_ok=True)
    (root / "plans" / name).write_text(text, encoding="utf-8")
    return root


def test_a_bad_plan_file_names_every_line_and_nothing_is_written(app, runner, tmp_path):
    make_unit(app, "AG", "UBND tỉnh An Giang", "province")
    root = content_with_plan(tmp_path, BAD_PLAN)
    result = runner.invoke(args=["content", "check", str(root)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "plans/thu.md" in line]
    expected = {
        "content/plans/thu.md:6: không có đơn vị mã 'KHONG-CO'",
        "content/plans/thu.md:7: cấp đơn vị 'thon' không hợp lệ",
        "content/plans/thu.md:9: không có chuyên đề 'khong-co-chuyen-de'",
        "content/plans/thu.md:10: không có bài học 'tong-quan-cchc/khong-co-bai'",
        "content/plans/thu.md:11: không có văn bản số '999/QĐ-XYZ'",
        "content/plans/thu.md:12: không có bài kiểm tra 'khong-co-bai-kiem-tra'",
        "content/plans/thu.md:13: 'targets.accessed' phải là số phần trăm từ 0 đến 100: 150",
        "content/plans/thu.md:16: liên kết [[123/KHONG]] không trỏ tới văn bản nào",
    }
    for text in expected:
        assert any(line.startswith(text) for line in lines), (text, lines)
    (root / "plans" / "ngay.md").write_text(
        BAD_PLAN.replace("starts: 2026-12-31", "starts: 2026-01-01").replace(
            "ends: 2026-12-31", "ends: 2026-02-30"
        ),
        encoding="utf-8",
    )
    dates = runner.invoke(args=["content", "check", str(root)])
    assert "content/plans/ngay.md:4: lỗi cú pháp YAML: ngày không tồn tại: 2026-02-30" in (
        dates.output
    )
    sync = runner.invoke(args=["content", "sync", str(root)])
    assert sync.exit_code == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 0


def test_the_repository_plan_syncs_with_a_revision_and_reports(app, runner, tmp_path):
    make_unit(app, "AG", "UBND tỉnh An Giang", "province")
    root = tmp_path / "content"
    shutil.copytree(REPO / "content", root)
    assert runner.invoke(args=["content", "check", str(root)]).exit_code == 0
    first = runner.invoke(args=["content", "sync", str(root)])
    assert first.exit_code == 0, first.output
    assert "Kế hoạch bồi dưỡng: thêm 1" in first.output
    again = runner.invoke(args=["content", "sync", str(root)])
    assert "Kế hoạch bồi dưỡng: thêm 0, cập nhật 0, không đổi 1" in again.output
    with app.app_context():
        plan = db.session.scalar(select(Plan))
        assert plan.slug == "ke-hoach-cchc-2026" and plan.from_file
        assert plan.required_documents == ["4599/QĐ-UBND", "76/NQ-CP"]
        assert db.session.scalar(select(func.count(PlanRevision.id))) == 1
    (root / "plans" / "ke-hoach-cchc-2026.md").unlink()
    gone = runner.invoke(args=["content", "sync", str(root)])
    assert "lưu trữ 1" in gone.output


def test_admin_writes_a_plan_in_the_browser_with_revisions(app, tmp_path):
    make_unit(app, "AG", "UBND tỉnh", "province")
    make_user(app, "quantri", roles=("admin",), unit="AG")
    from plan_world import PLAN_TEXT, make_materials

    make_materials(app)
    client = app.test_client()
    login(client, app, "quantri")
    assert "Kế hoạch bồi dưỡng CCHC" in client.get("/reports/plans/new").get_data(as_text=True)
    text = PLAN_TEXT.format(year=2026, units="AG", levels="", quiz="quiz: kt\n")
    bad = post(client, app, "/reports/plans/new",
               {"slug": "thu", "text": text.replace("m1]", "khong-co]")})  # fmt: skip
    assert bad.status_code == 200
    assert "(biểu mẫu):9: không có chuyên đề &#39;khong-co&#39;" in page_text(bad)
    saved = post(client, app, "/reports/plans/new", {"slug": "thu", "text": text})
    assert saved.status_code == 302
    edited = post(client, app, "/reports/plans/thu/edit",
                  {"text": text.replace("trained: 85", "trained: 90"), "message": "Nâng chỉ tiêu"})
    assert edited.status_code == 302
    history = page_text(client.get("/reports/plans/thu/revisions"))
    assert "Phiên bản 2" in history and "Nâng chỉ tiêu" in history and "Phiên bản 1" in history
    with app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.slug == "thu"))
        assert plan.target_trained == 90 and plan.version == 2 and not plan.from_file
    duplicate = post(client, app, "/reports/plans/new", {"slug": "thu", "text": text})
    assert "Đã có kế hoạch mã thu" in page_text(duplicate)
    with app.app_context():
        assert db.session.scalar(select(func.count(Plan.id))) == 1
