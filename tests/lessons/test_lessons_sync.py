"""Importing modules: idempotent, versioned, archiving (never deleting), all-or-nothing."""

from __future__ import annotations

from datetime import date

from helpers import make_user
from lesson_tree import (
    LESSON_2,
    MODULE_MD,
    MODULES,
    PNG,
    content_root,
    count,
    counts,
    problems,
    sync,
    write_tree,
)
from sqlalchemy import select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.lessons.models import (
    Lesson,
    LessonCompletion,
    LessonRevision,
    Module,
    ModuleAsset,
    ModuleRevision,
)
from cchc_learn.search.models import SearchChange
from cchc_learn.tracking import events
from cchc_learn.tracking.models import AccessEvent


def lessons(app) -> dict[str, tuple]:
    with app.app_context():
        return {
            x.slug: (x.position, x.version, x.archived)
            for x in db.session.scalars(select(Lesson).order_by(Lesson.id))
        }


def test_sync_imports_modules_after_documents_and_twice_changes_nothing(app):
    write_tree(content_root(app))
    first = sync(app)
    assert counts(first["Văn bản"]) == (1, 0, 0, 0)
    assert counts(first["Chuyên đề"]) == (1, 0, 0, 0)
    assert counts(first["Bài học"]) == (3, 0, 0, 0)
    changes = count(app, SearchChange)
    revisions = count(app, LessonRevision), count(app, ModuleRevision)
    assert changes == 1 + 1 + 3 and revisions == (3, 1)
    with app.app_context():
        module = db.session.scalar(select(Module))
        assert module.from_file and module.source_path == "modules/tong-quan/module.md"
        assert module.published and module.version == 1
        assert 'href="/kb/4599-qd-ubnd"' in module.body_html
        assert [a.name for a in module.assets] == ["so-do.svg"]
    second = sync(app)
    assert counts(second["Chuyên đề"]) == (0, 0, 1, 0)
    assert counts(second["Bài học"]) == (0, 0, 3, 0)
    assert count(app, SearchChange) == changes
    assert (count(app, LessonRevision), count(app, ModuleRevision)) == revisions


def test_a_changed_file_is_a_new_version_with_a_revision(app):
    root = write_tree(content_root(app))
    sync(app)
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    modules["tong-quan"]["02-de-an-4599.md"] = LESSON_2.replace("100 %", "Một trăm phần trăm")
    modules["tong-quan"]["assets/so-do.svg"] = b"<svg><circle r='1'/></svg>"
    write_tree(root, modules)
    result = sync(app)
    assert counts(result["Bài học"]) == (0, 1, 2, 0)
    assert counts(result["Chuyên đề"]) == (0, 0, 1, 0)
    assert lessons(app)["de-an-4599"] == (2, 2, False)
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "de-an-4599"))
        assert "Một trăm phần trăm" in lesson.body_html
        revision = db.session.scalars(
            select(LessonRevision)
            .where(LessonRevision.lesson_id == lesson.id)
            .order_by(LessonRevision.id)
        ).all()[-1]
        assert revision.version == 2 and revision.author_id is None
        assert revision.message == "Đồng bộ từ content/modules/tong-quan/02-de-an-4599.md"
        asset = db.session.scalar(select(ModuleAsset))
        assert asset.data == b"<svg><circle r='1'/></svg>"


def record_history(app, slug: str) -> None:
    """An official viewed and completed the lesson (rows as the pages write them)."""
    user_id = make_user(app, "hocvien")
    with app.app_context():
        declare_write()
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == slug))
        events.record(user_id, events.lesson_view(lesson.id, lesson.version))
        db.session.add(
            LessonCompletion(user_id=user_id, lesson_id=lesson.id, lesson_version=lesson.version)
        )
        db.session.commit()
        declare_write(False)


def test_a_removed_lesson_is_archived_with_its_history_and_comes_back(app):
    root = write_tree(content_root(app))
    sync(app)
    record_history(app, "kinh-nghiem")
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    saved = modules["tong-quan"].pop("03-kinh-nghiem.md")
    write_tree(root, modules)
    result = sync(app)
    assert counts(result["Bài học"]) == (0, 0, 2, 1)
    assert lessons(app)["kinh-nghiem"] == (3, 1, True)
    assert count(app, AccessEvent) == 1 and count(app, LessonCompletion) == 1
    assert counts(sync(app)["Bài học"]) == (0, 0, 2, 0)  # archiving happens once
    modules["tong-quan"]["03-kinh-nghiem.md"] = saved
    write_tree(root, modules)
    assert counts(sync(app)["Bài học"]) == (0, 1, 2, 0)
    assert lessons(app)["kinh-nghiem"] == (3, 2, False)
    assert count(app, AccessEvent) == 1 and count(app, LessonCompletion) == 1


def test_a_removed_module_folder_archives_the_module_and_its_lessons(app):
    root = write_tree(content_root(app))
    sync(app)
    write_tree(root, {})
    result = sync(app)
    assert counts(result["Chuyên đề"]) == (0, 0, 0, 1)
    assert counts(result["Bài học"]) == (0, 0, 0, 3)
    assert count(app, Lesson) == 3 and count(app, Module, Module.archived.is_(True)) == 1


def test_renumbered_lessons_move_without_losing_their_identity(app):
    root = write_tree(content_root(app))
    sync(app)
    before = lessons(app)
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    files = modules["tong-quan"]
    files["01-de-an-4599.md"] = files.pop("02-de-an-4599.md")
    files["02-cai-cach-la-gi.md"] = files.pop("01-cai-cach-la-gi.md")
    write_tree(root, modules)
    assert counts(sync(app)["Bài học"]) == (0, 2, 1, 0)
    after = lessons(app)
    assert list(after) == list(before)
    assert after["de-an-4599"][0] == 1 and after["cai-cach-la-gi"][0] == 2


def test_cli_check_and_sync_print_every_kind_and_a_summary(app, runner):
    write_tree(content_root(app))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0
    assert (
        "Không có lỗi: 1 văn bản, 1 chuyên đề, 3 bài học, 0 ngân hàng câu hỏi (0 câu), "
        "0 bài kiểm tra, 0 mẫu câu trả lời." in result.output
    )
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0, result.output
    assert "Văn bản: thêm 1, cập nhật 0, không đổi 0, lưu trữ 0." in result.output
    assert "Chuyên đề: thêm 1, cập nhật 0, không đổi 0, lưu trữ 0." in result.output
    assert "Bài học: thêm 3, cập nhật 0, không đổi 0, lưu trữ 0." in result.output
    again = runner.invoke(args=["content", "sync"])
    assert "Bài học: thêm 0, cập nhật 0, không đổi 3, lưu trữ 0." in again.output


def test_a_problem_anywhere_stops_the_whole_sync(app, runner):
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    modules["tong-quan"]["02-de-an-4599.md"] = LESSON_2 + "\n![x](assets/khong-co.png)\n"
    modules["thu-hai"] = {
        "module.md": MODULE_MD.replace("order: 1", "order: 2"),
        "assets/anh.png": PNG,
    }
    write_tree(content_root(app), modules)
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 1
    assert (
        "content/modules/tong-quan/02-de-an-4599.md:9: không tìm thấy ảnh "
        "assets/khong-co.png" in result.output
    )
    assert count(app, Document) == 0 and count(app, Module) == 0 and count(app, Lesson) == 0


def test_lessons_may_cite_documents_written_in_the_browser(app):
    with app.app_context():
        declare_write()
        db.session.add(
            Document(
                slug="web-doc",
                number="12/KH-UBND",
                number_key="12/kh-ubnd",
                doc_type="Kế hoạch",
                issuer="UBND tỉnh",
                issued=date(2025, 1, 2),
                summary="Kế hoạch CCHC năm 2025",
            )
        )
        db.session.add(
            Document(
                slug="tep-cu",
                number="13/KH-UBND",
                number_key="13/kh-ubnd",
                doc_type="Kế hoạch",
                issuer="UBND tỉnh",
                issued=date(2025, 1, 2),
                summary="Tệp đã xóa",
                source_path="documents/tep-cu.md",
            )
        )
        db.session.commit()
    modules = {"tong-quan": dict(MODULES["tong-quan"])}
    modules["tong-quan"]["02-de-an-4599.md"] = LESSON_2 + "\n[[12/KH-UBND]] [[13/KH-UBND]]\n"
    root = write_tree(content_root(app), modules)
    # The file-sourced document is gone from the files, so a sync would archive it.
    assert problems(app, root) == [
        "content/modules/tong-quan/02-de-an-4599.md:9: liên kết [[13/KH-UBND]] không trỏ tới "
        "văn bản nào trong cơ sở dữ liệu văn bản"
    ]
