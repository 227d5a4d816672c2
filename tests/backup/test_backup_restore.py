"""`cchc-learn backup` and `restore` on both databases: a round trip, refusals, hostile archives."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
from backup_world import (
    BODY,
    LESSON_TITLE,
    NUMBER,
    PDF,
    QUESTION_TITLE,
    SEARCH_WORDS,
    Targets,
    build,
    logged_changes,
    row_counts,
    signed_in,
    table_names,
)
from helpers import PASSWORD, make_user, page_text, post
from sqlalchemy import select

from cchc_learn.auth.models import User
from cchc_learn.backup import archive
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.notify.models import OutboxMail
from cchc_learn.notify.restored import REASON
from cchc_learn.notify.sending import MAX_ATTEMPTS
from cchc_learn.search.models import SearchChange


@pytest.fixture
def targets(app, backend, tmp_path, request):
    postgres_url = request.getfixturevalue("postgres_url") if backend != "sqlite" else None
    made = Targets(app, backend, tmp_path / "targets", postgres_url)
    (tmp_path / "targets").mkdir()
    yield made
    made.close()


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def backup(app, path: Path) -> None:
    result = run(app, "backup", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Đã sao lưu vào {path}: cơ sở dữ liệu ")


def manifest_of(path: Path) -> dict:
    with tarfile.open(path) as tar:
        first = tar.next()
        assert first.name == "manifest.json"
        return json.loads(tar.extractfile(first).read())


def uploads_of(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- the round trip ----------------------------------------------------------------------------


def test_round_trip_into_a_fresh_database(app, backend, targets, tmp_path):
    world = build(app)
    before = row_counts(app)
    old_session = signed_in(app, "hocvien")
    file = tmp_path / "sao-luu.tar"
    backup(app, file)

    manifest = manifest_of(file)
    assert manifest["format"] == "cchc-learn-backup" and manifest["format_version"] == 1
    assert manifest["database"] == backend and manifest["app_version"]
    assert manifest["tables"]["user"] == before["user"] == 2
    names = {m["name"]: m for m in manifest["members"]}
    pdf = names[f"uploads/attachments/{world.stored_name}"]
    assert pdf["size"] == len(PDF) and len(pdf["sha256"]) == 64
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # password hashes inside
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    target = targets.app()
    assert table_names(target) == set()  # tables absent: the database was just created
    result = run(target, "restore", str(file))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Đã kiểm tra {file.name}: {len(names)} thành phần, tổng kiểm SHA-256 khớp."
    assert lines[1].startswith(f"Đã phục hồi cơ sở dữ liệu {archive.KINDS[backend]} (lược đồ ")

    # Every table holds what it held, but the search log, which gained one change per object.
    after = row_counts(target)
    logged = logged_changes(result.output)
    assert logged == 2  # the document and the lesson (an unanswered question is not indexed)
    assert after["search_change"] == before["search_change"] + logged
    assert {k: v for k, v in after.items() if k != "search_change"} == {
        k: v for k, v in before.items() if k != "search_change"}
    assert after["access_event"] >= 1 and after["attachment"] == 1

    with target.app_context():
        doc = db.session.get(Document, world.document_id)
        assert (doc.number, doc.body_md) == (NUMBER, BODY)
        db.session.rollback()
    [restored_pdf] = uploads_of(target)
    assert restored_pdf.name == world.stored_name and restored_pdf.read_bytes() == PDF

    # The password still works; the session cookie from before the restore does not.
    cookie = old_session.get_cookie("cchc_session")
    stale = target.test_client()
    stale.set_cookie("cchc_session", cookie.value)
    assert stale.get("/me").status_code == 302
    official = signed_in(target, "hocvien", PASSWORD)
    page = official.get(f"/kb/{world.document_slug}")
    assert page.status_code == 200 and NUMBER in page_text(page)

    assert QUESTION_TITLE in page_text(official.get(f"/qa/{world.question_id}"))

    # Search finds the restored document and lesson on the restored host.
    found = page_text(official.get("/search", query_string={"q": SEARCH_WORDS}))
    assert NUMBER in found
    assert LESSON_TITLE in page_text(official.get("/search", query_string={"q": "tiep nhan"}))

    # The e-mail unsent in the backup is closed, with the reason, not sent again.
    with target.app_context():
        mails = db.session.scalars(select(OutboxMail)).all()
        assert [(m.sent_at, m.attempts, m.last_error) for m in mails] == [
            (None, MAX_ATTEMPTS, REASON)]
        restored_max = max(db.session.scalars(select(User.id)))
        db.session.rollback()
    # New rows get new ids (PostgreSQL sequences came back with the data).
    new_id = make_user(target, "nguoimoi")
    assert new_id > restored_max


def test_a_backup_of_an_older_schema_is_upgraded_after_restore(app, targets, tmp_path):
    from flask_migrate import upgrade

    from cchc_learn.backup.service import _scripts
    from cchc_learn.database import declare_write

    older = targets.app("older")
    with older.app_context():
        head = _scripts().get_current_head()
        previous = _scripts().get_revision(head).down_revision
        declare_write()
        upgrade(directory=older.config["MIGRATIONS_DIR"], revision=previous)
        db.engine.dispose()
    file = tmp_path / "cu.tar"
    result = run(older, "backup", "-o", str(file))
    assert result.exit_code == 0, result.output
    assert f"(lược đồ {previous}, " in result.output

    target = targets.app("target")
    result = run(target, "restore", str(file))
    assert result.exit_code == 0, result.output
    assert f"Đã nâng cấp lược đồ từ {previous} lên {head}." in result.output
    with target.app_context():
        assert db.session.scalar(db.text("SELECT version_num FROM alembic_version")) == head
        db.session.rollback()
    make_user(target, "sau-nang-cap")
    assert signed_in(target, "sau-nang-cap").get("/me").status_code == 200


# --- a target that is not empty ----------------------------------------------------------------


def test_a_database_with_data_is_refused_without_force_and_replaced_with_it(
    app, targets, tmp_path
):
    world = build(app)
    file = tmp_path / "sao-luu.tar"
    backup(app, file)
    target = targets.app(migrated=True)
    assert row_counts(target)["user"] == 0
    make_user(target, "dangco")  # the target already holds an account
    before = row_counts(target)

    refused = run(target, "restore", str(file))
    assert refused.exit_code == 1
    assert ("Lỗi: Cơ sở dữ liệu đích đã có dữ liệu (bảng user" in refused.output
            and "Dùng --force để thay thế toàn bộ." in refused.output)
    assert row_counts(target) == before and uploads_of(target) == []

    replaced = run(target, "restore", str(file), "--force")
    assert replaced.exit_code == 0, replaced.output
    with target.app_context():
        names = set(db.session.scalars(select(User.username)))
        newest_change = db.session.scalar(select(db.func.max(SearchChange.id)))
        db.session.rollback()
    assert names == {"giangvien", "hocvien"}
    assert [p.name for p in uploads_of(target)] == [world.stored_name]
    # The changes logged for other hosts come after every id the replaced log had.
    assert newest_change > before["search_change"]
    official = signed_in(target, "hocvien")
    assert NUMBER in page_text(official.get("/search", query_string={"q": SEARCH_WORDS}))


def numbers_found(client, query: str) -> list[str]:
    answer = client.get("/api/v1/search", query_string={"q": query}).get_json()
    return [hit.get("number") for hit in answer["results"]]


def test_restoring_over_newer_content_drops_it_from_every_index(app, targets, tmp_path):
    build(app)
    file = tmp_path / "sao-luu.tar"
    backup(app, file)
    official = signed_in(app, "hocvien")
    # Written after the backup: after the restore no host may still find it.
    make_user(app, "giangvien2", roles=("trainer",))
    trainer = signed_in(app, "giangvien2")
    with app.app_context():
        from cchc_learn.search import indexer

        indexer.rebuild()
        db.session.rollback()
    created = post(trainer, app, "/kb/new", {
        "number": "99/KH-SNV", "doc_type": "Kế hoạch", "issuer": "Sở Nội vụ",
        "issued": "2026-03-01", "status": "in_force", "replaced_by": "", "topics": "",
        "summary": "Kế hoạch số hóa kho lưu trữ", "body": "Văn bản viết sau khi sao lưu.",
        "message": ""})
    assert created.status_code == 302
    assert numbers_found(official, "99/KH-SNV")[:1] == ["99/KH-SNV"]
    # A second host on the same database, with an index of its own, up to date.
    other = targets.app("other-host", uri=app.config["SQLALCHEMY_DATABASE_URI"])
    with other.app_context():
        indexer.rebuild()
        db.session.rollback()

    result = run(app, "restore", str(file), "--force")
    assert result.exit_code == 0, result.output
    for host in (app, other):
        client = signed_in(host, "hocvien")
        assert "99/KH-SNV" not in numbers_found(client, "99/KH-SNV")
        assert "99/KH-SNV" not in numbers_found(client, "so hoa kho luu tru")
        assert numbers_found(client, SEARCH_WORDS) == [NUMBER]


# --- archives that must be refused, with nothing changed ---------------------------------------


def _rewrite(source: Path, target: Path, *, manifest=None, members=None) -> None:
    """Copy an archive, changing the manifest (a function of it) or the members' bytes."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for info in old:
            data = old.extractfile(info).read()
            if info.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif members is not None and info.name in members:
                data = members[info.name](data)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def _wrong_kind(manifest: dict) -> dict:
    other = "postgresql" if manifest["database"] == "sqlite" else "sqlite"
    for member in manifest["members"]:
        if member["name"].startswith("database/"):
            member["name"] = archive.DATABASE_MEMBERS[other]
    manifest["database"] = other
    return manifest


def _flip_middle_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def _build_bad(kind: str, good: Path, bad: Path, stored: str) -> None:
    if kind == "random bytes":
        bad.write_bytes(os.urandom(5000))
    elif kind == "truncated":
        data = good.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    elif kind == "truncated at a member boundary":
        with tarfile.open(good) as tar:
            last = tar.getmembers()[-1]
        bad.write_bytes(good.read_bytes()[: last.offset])
    elif kind == "tampered upload":
        _rewrite(good, bad, members={f"uploads/attachments/{stored}":
                                     _flip_middle_byte})
    elif kind == "tampered database":
        _rewrite(good, bad, members={n: _flip_middle_byte
                                     for n in archive.DATABASE_MEMBERS.values()})
    elif kind == "newer schema":
        _rewrite(good, bad, manifest=lambda m: {**m, "alembic_revision": "9999"})
    elif kind == "newer format":
        _rewrite(good, bad, manifest=lambda m: {**m, "format_version": 2})
    elif kind == "wrong database kind":
        # A sound archive in every other respect: names and checksums agree.
        changed = _wrong_kind(manifest_of(good))
        new_name = next(m["name"] for m in changed["members"] if m["name"].startswith("database/"))
        with tarfile.open(good) as old, tarfile.open(bad, "w") as new:
            for info in old:
                data = old.extractfile(info).read()
                if info.name == "manifest.json":
                    data = json.dumps(changed).encode()
                elif info.name.startswith("database/"):
                    info.name = new_name
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
    elif kind == "path outside":
        _rewrite(good, bad, manifest=lambda m: {**m, "members": m["members"] + [
            {"name": "uploads/../../ngoai.txt", "size": 1, "sha256": "0" * 64}]})
    elif kind == "symlink member":
        with tarfile.open(good) as old, tarfile.open(bad, "w") as new:
            manifest = json.loads(old.extractfile("manifest.json").read())
            manifest["members"].append({"name": "uploads/lien-ket", "size": 0,
                                        "sha256": "0" * 64})
            for info in old:
                data = old.extractfile(info).read()
                if info.name == "manifest.json":
                    data = json.dumps(manifest).encode()
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))
            link = tarfile.TarInfo("uploads/lien-ket")
            link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
            new.addfile(link)
    elif kind == "extra member":
        with tarfile.open(good) as old, tarfile.open(bad, "w") as new:
            for info in old:
                new.addfile(info, old.extractfile(info))
            extra = tarfile.TarInfo("uploads/them.pdf")
            extra.size = 3
            new.addfile(extra, io.BytesIO(b"abc"))
    elif kind == "not json":
        with tarfile.open(good) as old, tarfile.open(bad, "w") as new:
            for info in old:
                data = old.extractfile(info).read()
                if info.name == "manifest.json":
                    data = b"{\"format\": \"cchc-learn-backup\", \x00"
                info.size = len(data)
                new.addfile(info, io.BytesIO(data))


BAD = {
    "random bytes": "không phải tệp sao lưu hợp lệ",
    "truncated": "bị hỏng hoặc bị cắt cụt",
    "truncated at a member boundary": "bị cắt cụt hoặc thiếu thành phần: thiếu 1 tệp",
    "tampered upload": "tổng kiểm SHA-256 của uploads/attachments/",
    "tampered database": "tổng kiểm SHA-256 của database/cchc-learn.",
    "newer schema": "Bản sao lưu có phiên bản lược đồ 9999, mới hơn",
    "newer format": "dùng định dạng phiên bản 2, mới hơn",
    "wrong database kind": "chỉ phục hồi được vào cùng loại cơ sở dữ liệu",
    "path outside": "Tên thành phần không hợp lệ trong tệp sao lưu: 'uploads/../../ngoai.txt'",
    "symlink member": "thành phần uploads/lien-ket không phải tệp thường",
    "extra member": "chứa thành phần không có trong manifest.json: 'uploads/them.pdf'",
    "not json": "manifest.json không phải JSON hợp lệ",
}


def test_bad_archives_are_refused_and_change_nothing(app, backend, targets, tmp_path):
    world = build(app)
    good = tmp_path / "sao-luu.tar"
    backup(app, good)
    target = targets.app()
    for kind, message in BAD.items():
        bad = tmp_path / f"{kind.replace(' ', '-')}.tar"
        _build_bad(kind, good, bad, world.stored_name)
        result = run(target, "restore", str(bad))
        assert result.exit_code == 1, (kind, result.output)
        assert message in result.output, (kind, result.output)
        assert "Traceback" not in result.output
        assert table_names(target) == set(), kind
        assert uploads_of(target) == [], kind
        # Nothing is left of the extraction beside the uploads folder.
        assert [p.name for p in (tmp_path / "targets" / "target").iterdir()
                if p.name.startswith(".")] == [], kind
    if backend == "sqlite":
        assert "Bản sao lưu là cơ sở dữ liệu PostgreSQL, còn cơ sở dữ liệu đích là SQLite" in run(
            target, "restore", str(tmp_path / "wrong-database-kind.tar")).output
    else:
        assert "Bản sao lưu là cơ sở dữ liệu SQLite, còn cơ sở dữ liệu đích là PostgreSQL" in run(
            target, "restore", str(tmp_path / "wrong-database-kind.tar")).output
    # The good archive still restores into the untouched target.
    assert run(target, "restore", str(good)).exit_code == 0


def test_a_missing_archive_and_a_folder_are_refused(app, tmp_path):
    result = run(app, "restore", str(tmp_path / "khong-co.tar"))
    assert result.exit_code == 1 and "Không tìm thấy tệp sao lưu" in result.output
    result = run(app, "restore", str(tmp_path))
    assert result.exit_code == 1 and "là một thư mục" in result.output


# --- a failed backup leaves no file ------------------------------------------------------------


def test_a_failed_backup_leaves_the_old_file_and_no_partial_one(app, backend, tmp_path,
                                                                monkeypatch):
    make_user(app, "hocvien")
    file = tmp_path / "out" / "sao-luu.tar"
    file.parent.mkdir()
    file.write_bytes(b"ban sao luu hom qua")
    if backend == "sqlite":
        # The database file is damaged: the online backup cannot read it.
        path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        with app.app_context():
            db.engine.dispose()
        path.write_bytes(b"khong phai sqlite" * 500)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        expected = "Không sao chép được cơ sở dữ liệu SQLite"
    else:
        monkeypatch.setenv("PATH", str(tmp_path / "khong-co-chuong-trinh"))
        expected = "Không tìm thấy chương trình pg_dump trên PATH"
    result = run(app, "backup", "-o", str(file))
    assert result.exit_code == 1 and expected in result.output, result.output
    assert file.read_bytes() == b"ban sao luu hom qua"
    assert [p.name for p in file.parent.iterdir()] == ["sao-luu.tar"]


def test_a_backup_into_the_uploads_folder_is_refused(app, tmp_path):
    folder = Path(app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True)
    result = run(app, "backup", "-o", str(folder / "sao-luu.tar"))
    assert result.exit_code == 1 and "thư mục tải lên" in result.output
    assert list(folder.iterdir()) == []


def test_the_postgresql_password_never_reaches_a_command_line():
    from cchc_learn.backup import postgres

    where = postgres.target("postgresql+psycopg://cchc:m%C3%A2t-kh%E1%BA%A9u@db.example:5433/cchc")
    assert where.conninfo == "postgresql://cchc@db.example:5433/cchc"
    assert where.password == "mât-khẩu" and where.env()["PGPASSWORD"] == "mât-khẩu"


def test_the_sqlite_copy_is_self_contained(sqlite_template, tmp_path):
    import shutil

    from cchc_learn import create_app

    database = tmp_path / "live.sqlite"
    shutil.copy(sqlite_template, database)
    live = create_app({"TESTING": True, "SECRET_KEY": "k" * 40,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                       "SEARCH_INDEX_DIR": str(tmp_path / "index"),
                       "UPLOAD_DIR": str(tmp_path / "uploads"),
                       "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 64})
    make_user(live, "hocvien")
    file = tmp_path / "sao-luu.tar"
    backup(live, file)
    with live.app_context():
        db.engine.dispose()
    with tarfile.open(file) as tar:
        tar.extract("database/cchc-learn.sqlite", tmp_path / "x", filter="data")
    copy = sqlite3.connect(tmp_path / "x/database/cchc-learn.sqlite")
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("SELECT username FROM user").fetchall() == [("hocvien",)]
    copy.close()
