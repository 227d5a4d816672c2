"""The examples of docs/classes-import.md run against the demo data, as the doc shows them."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from datetime import timedelta
from pathlib import Path

from helpers import csrf_token, login, page_text, post
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cchc_learn.auth.models import User
from cchc_learn.classes.models import ClassParticipant, ClassSession, TrainingClass
from cchc_learn.clock import utcnow
from cchc_learn.database import declare_write
from cchc_learn.extensions import db

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "classes-import.md"
EXAMPLES = REPO / "docs" / "examples"


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```$", text, re.S | re.M)


def _quickstart(runner, tmp_path, monkeypatch) -> dict[str, str]:
    (tmp_path / "content").mkdir()
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["quickstart", "--no-serve"])
    assert result.exit_code == 0, result.output
    return dict(re.findall(r"^  (\S+)\s+(\S+)$", result.output, re.M))


def _send(client, app, url: str, path: Path):
    fields = {"csrf_token": csrf_token(client, app),
              "file": FileStorage(io.BytesIO(path.read_bytes()), filename=path.name)}
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _confirm(client, app, preview, **fields):
    html = preview.get_data(as_text=True)
    action = re.search(r'action="([^"]+/confirm)"', html)
    assert action, page_text(preview)
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]*)"', html)
    data = {"seen": seen.group(1)} if seen else {}
    return post(client, app, action.group(1), {**data, **fields})


def test_the_csv_examples_are_the_files_the_doc_shows():
    shown = _blocks(DOC.read_text(encoding="utf-8"), "csv")
    for name in ("danh-sach-ky.csv", "danh-sach-lop.csv"):
        assert (EXAMPLES / name).read_text(encoding="utf-8") in shown, name
        assert f"](examples/{name})" in DOC.read_text(encoding="utf-8")


def test_the_past_example_is_the_workbook_the_doc_tabulates():
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLES / "lop-cu.xlsx")
    text = re.sub(r" +", " ", DOC.read_text(encoding="utf-8"))
    for sheet in ("Lop", "HocVien"):
        rows = [[c or "" for c in row] for row in book[sheet].iter_rows(values_only=True)]
        assert f"| **{rows[0][0]}** | **{rows[0][1]}** |" in text
        for row in rows[1:]:
            assert re.sub(r" +", " ", "| " + " | ".join(row) + " |") in text, row


def test_the_commands_of_the_doc_run_on_the_demo(app, runner, tmp_path, monkeypatch):
    _quickstart(runner, tmp_path, monkeypatch)
    steps = []
    for block in _blocks(DOC.read_text(encoding="utf-8"), "console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                command, _, comment = line[2:].partition("  #")
                code = re.search(r"thoát với mã (\d+)", comment)
                steps.append((shlex.split(command), int(code.group(1)) if code else 0, []))
            else:
                steps[-1][2].append(line)
    assert len(steps) == 3
    for args, code, printed in steps:
        result = runner.invoke(args=args[1:])
        assert result.exit_code == code, result.output
        assert result.output.splitlines() == printed
    with app.app_context():
        classes = db.session.scalars(select(TrainingClass).order_by(TrainingClass.id)).all()
        assert [(c.past, c.source_document) for c in classes] == [(True, "245/QĐ-SNV"),
                                                                 (True, "1187/KH-SNV")]


def test_the_pages_give_the_numbers_the_doc_states(app, runner, tmp_path, monkeypatch):
    passwords = _quickstart(runner, tmp_path, monkeypatch)
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    # A class with one session held yesterday, nobody on its roster yet.
    with app.app_context():
        declare_write()
        klass = TrainingClass(title="Lớp thử", min_percent=100)
        start = utcnow() - timedelta(days=1)
        klass.sessions = [ClassSession(starts_at=start, ends_at=start + timedelta(hours=3))]
        db.session.add(klass)
        db.session.commit()
        class_id, session_id = klass.id, klass.sessions[0].id
    trainer = app.test_client()
    login(trainer, app, "giangvien", passwords["giangvien"])

    roster_url = f"/classes/{class_id}/roster/import"
    preview = _send(trainer, app, roster_url, EXAMPLES / "danh-sach-lop.csv")
    stated = "4 thêm vào danh sách, 0 không đổi, 0 dòng lỗi"
    assert stated in text and stated in page_text(preview)
    done = page_text(_confirm(trainer, app, preview))
    stated = "Đã thêm 4 người vào danh sách lớp; 0 người đã có sẵn."
    assert stated in text and stated in done

    # The sign-in sheet, on a class whose roster is still empty (the doc's case).
    with app.app_context():
        declare_write()
        db.session.execute(db.delete(ClassParticipant))
        db.session.commit()
    sheet_url = f"/classes/{class_id}/sessions/{session_id}/import"
    preview = _send(trainer, app, sheet_url, EXAMPLES / "danh-sach-ky.csv")
    stated = "4 ghi mới, 0 cập nhật, 0 không đổi, 0 dòng lỗi"
    assert stated in text and stated in page_text(preview)
    assert "4 người có trong tệp nhưng chưa có trong danh sách lớp" in page_text(preview)
    done = page_text(_confirm(trainer, app, preview, not_on_roster="add"))
    stated = ("Đã ghi điểm danh: 4 ghi mới, 0 cập nhật, 0 không đổi; 4 người được thêm vào "
              "danh sách lớp.")
    assert stated in text and stated in done

    admin = app.test_client()
    login(admin, app, "admin", passwords["admin"])
    preview = _send(admin, app, "/classes/import-past", EXAMPLES / "lop-cu.xlsx")
    stated = "Tệp hợp lệ: 2 lớp, 9 học viên"
    assert stated in text and stated in page_text(preview)
    done = page_text(_confirm(admin, app, preview))
    stated = "Đã tạo 2 lớp (3 buổi học) với 9 học viên; 7 lượt đạt yêu cầu tham dự."
    assert stated in text and stated in done
    with app.app_context():
        hocvien = db.session.scalar(select(User.id).where(User.username == "hocvien"))
        days = db.session.scalars(
            select(ClassParticipant.attended_on)
            .join(TrainingClass, TrainingClass.id == ClassParticipant.class_id)
            .where(TrainingClass.past, ClassParticipant.user_id == hocvien,
                   ClassParticipant.attended_on.is_not(None)))
        assert "14/08/2025" in text and [d.isoformat() for d in days] == ["2025-08-14"]
