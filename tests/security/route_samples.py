"""What the route walk needs to know about routes: values for URL parameters, and exceptions.

Every `<parameter>` of every route must be fillable from SAMPLES, or the walk fails and names
the route. A sampler receives the app and the walk's World (accounts per role, units) and
returns the value of a row that exists, creating that row first when the World has none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Sampler = Callable[[Any, Any], object]


def _document(app, world) -> tuple[str, int, int]:
    """A web-authored document with a PDF attachment: (slug, attachment id, revision id)."""
    from datetime import date
    from pathlib import Path

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.kb import files
    from cchc_learn.kb.models import Attachment, Document, DocumentRevision

    with app.app_context():
        doc = db.session.scalar(db.select(Document).where(Document.slug == "mau-van-ban"))
        if doc is None:
            declare_write()
            data = b"%PDF-1.4\n% sample\n"
            checked = files.check_file(data, "mau.pdf")
            doc = Document(
                slug="mau-van-ban",
                number="1/QĐ-UBND",
                number_key="1/qd-ubnd",
                doc_type="Quyết định",
                issuer="UBND tỉnh",
                issued=date(2025, 7, 1),
                summary="Văn bản mẫu",
                body_md="Nội dung",
                body_html="<p>Nội dung</p>",
            )
            doc.attachments.append(
                Attachment(
                    title="Bản PDF",
                    original_name="mau.pdf",
                    content_type=checked.content_type,
                    stored_name=files.store(data, Path(app.config["UPLOAD_DIR"]), checked),
                    size=checked.size,
                    sha256=checked.sha256,
                )
            )
            db.session.add(doc)
            db.session.flush()
            db.session.add(
                DocumentRevision(document_id=doc.id, version=1, meta={}, body_md="Nội dung")
            )
            db.session.commit()
        revision = db.session.scalar(
            db.select(DocumentRevision.id).where(DocumentRevision.document_id == doc.id)
        )
        return doc.slug, doc.attachments[0].id, revision


def _quiz(app, world) -> tuple[str, str, int, int]:
    """A bank, a quiz drawing from it and an attempt of an account outside the walk's World.

    Returns (quiz slug, bank slug, item id, attempt id). Nobody the walk signs in owns the
    attempt, so every signed-in user must get 404 for it.
    """
    from helpers import make_user

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.quiz.attempts import lifecycle as attempts
    from cchc_learn.quiz.banks import service as bank_service
    from cchc_learn.quiz.formats import parse_markdown
    from cchc_learn.quiz.models import Attempt, Bank
    from cchc_learn.quiz.quiz_loader import DrawSpec, QuizSpec
    from cchc_learn.quiz.quizzes import service as quiz_service

    with app.app_context():
        bank = bank_service.get_bank("ngan-hang-mau")
        if bank is None:
            declare_write()
            parsed = parse_markdown("## Câu mẫu?\n{id=mau-1}\n- [x] Có\n- [ ] Không\n", "mau.md")
            bank, _ = bank_service.import_bank("ngan-hang-mau", parsed, "mau.md")
            spec = QuizSpec(
                slug="kiem-tra-mau",
                title="Kiểm tra mẫu",
                time_limit=30,
                draws=[DrawSpec(bank="ngan-hang-mau", count=1)],
            )
            quiz = quiz_service.save_quiz(None, spec)
            db.session.commit()
            owner = make_user(app, "chu-bai-lam-mau")
            declare_write()
            attempts.start_attempt(db.session.merge(quiz), owner)
        bank = db.session.scalar(db.select(Bank).where(Bank.slug == "ngan-hang-mau"))
        attempt_id = db.session.scalar(db.select(Attempt.id).order_by(Attempt.id))
        return "kiem-tra-mau", bank.slug, bank.items[0].id, attempt_id


def _essay_answer(app, world) -> int:
    """An essay answer waiting for a trainer, in a submitted attempt of an outside account."""
    from helpers import make_user
    from werkzeug.datastructures import MultiDict

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.quiz.attempts import lifecycle as attempts
    from cchc_learn.quiz.banks import service as bank_service
    from cchc_learn.quiz.formats import parse_markdown
    from cchc_learn.quiz.models import AttemptItem
    from cchc_learn.quiz.quiz_loader import DrawSpec, QuizSpec
    from cchc_learn.quiz.quizzes import service as quiz_service

    _quiz(app, world)  # the quiz sample's attempt stays the first one
    with app.app_context():
        if bank_service.get_bank("tu-luan-mau") is None:
            declare_write()
            parsed = parse_markdown("## Nêu một giải pháp?\n{id=tl-1 type=essay}\n", "tl.md")
            bank_service.import_bank("tu-luan-mau", parsed, "tl.md")
            spec = QuizSpec(
                slug="tu-luan-mau",
                title="Tự luận mẫu",
                draws=[DrawSpec(bank="tu-luan-mau", count=1)],
                essays=True,
            )
            quiz = quiz_service.save_quiz(None, spec)
            db.session.commit()
            owner = make_user(app, "chu-bai-tu-luan")
            declare_write()
            attempt = attempts.start_attempt(db.session.merge(quiz), owner)
            attempts.submit(attempt, MultiDict({"q1": "Một cửa liên thông."}))
        return db.session.scalar(
            db.select(AttemptItem.id).where(AttemptItem.manual.is_(True)).order_by(AttemptItem.id)
        )


def _kept_upload(app, world) -> str:
    """The token of a kept bank upload of an account outside the walk (404 to everyone)."""
    import hashlib

    from helpers import make_user

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.quiz.models import BankImport

    with app.app_context():
        token = db.session.scalar(db.select(BankImport.token))
        db.session.rollback()
    if token is None:
        owner = make_user(app, "nguoi-tai-tep-mau", roles=("trainer",))
        with app.app_context():
            declare_write()
            data = "## Câu mẫu?\n- [x] Có\n- [ ] Không\n".encode()
            token = "tep-tai-len-mau"
            db.session.add(
                BankImport(
                    token=token,
                    uploader_id=owner,
                    filename="mau.md",
                    fmt="md",
                    bank_slug="ngan-hang-tai-len",
                    content=data,
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            )
            db.session.commit()
    return token


def _lesson_module(app, world) -> dict[str, object]:
    """A published web-authored module with a lesson, an image and a revision of each."""
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.lessons.models import (
        Lesson,
        LessonRevision,
        Module,
        ModuleAsset,
        ModuleRevision,
    )

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    with app.app_context():
        module = db.session.scalar(db.select(Module).where(Module.slug == "mau-chuyen-de"))
        if module is None:
            declare_write()
            module = Module(slug="mau-chuyen-de", title="Chuyên đề mẫu", summary="Mẫu",
                            topics=[], order=1, audience=[], published=True)
            module.lessons.append(Lesson(slug="bai-mau", position=1, title="Bài mẫu", minutes=5,
                                         body_md="Nội dung", body_html="<p>Nội dung</p>",
                                         published=True))
            module.assets.append(ModuleAsset(name="so-do.svg", content_type="image/svg+xml",
                                             data=svg, size=len(svg), sha256="0" * 64))
            db.session.add(module)
            db.session.flush()
            db.session.add(ModuleRevision(module_id=module.id, version=1, meta={}, body_md=""))
            db.session.add(LessonRevision(lesson_id=module.lessons[0].id, version=1, meta={},
                                          body_md="Nội dung"))
            db.session.commit()
        lesson = module.lessons[0]
        return {
            "module": module.slug,
            "lesson": lesson.slug,
            "name": module.assets[0].name,
            "module_revision": db.session.scalar(db.select(ModuleRevision.id).where(
                ModuleRevision.module_id == module.id)),
            "lesson_revision": db.session.scalar(db.select(LessonRevision.id).where(
                LessonRevision.lesson_id == lesson.id)),
        }


def _plan(app, world) -> str:
    """A plan written in the browser over the walk's units, naming the sample lesson."""
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.plans import service
    from cchc_learn.plans.models import Plan

    _lesson_module(app, world)
    with app.app_context():
        if db.session.scalar(db.select(Plan.id).where(Plan.slug == "ke-hoach-mau")) is None:
            declare_write()
            text = (
                "---\ntitle: Kế hoạch mẫu\nstarts: 2025-07-01\nends: 2030-12-31\n"
                "audience:\n  units: [TINH]\nrequired:\n  lessons: [mau-chuyen-de/bai-mau]\n"
                "---\nMô tả.\n"
            )
            service.save_plan(None, "ke-hoach-mau", text, db.session.get(
                service.User, world.user_ids["admin"]))
        return "ke-hoach-mau"


def _qa(app, world) -> dict[str, object]:
    """A public answered question of an account outside the walk, and an answer template."""
    from helpers import make_user

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.qa import answer_templates, service
    from cchc_learn.qa.models import AnswerTemplate, Post, Question

    with app.app_context():
        question_id = db.session.scalar(db.select(Question.id).order_by(Question.id))
        db.session.rollback()
    if question_id is None:
        asker = make_user(app, "nguoi-hoi-mau")
        moderator = world.user_ids["moderator"]
        with app.app_context():
            declare_write()
            question = service.ask(asker, "Câu hỏi mẫu?", "Nội dung", ["TTHC"])
            service.answer(question.id, moderator, "Câu trả lời mẫu.")
            answer_templates.save(moderator, None, "Mẫu trả lời", ["TTHC"], "Nội dung mẫu")
            declare_write(False)
    with app.app_context():
        return {
            "question_id": db.session.scalar(db.select(Question.id).order_by(Question.id)),
            "post_id": db.session.scalar(db.select(Post.id).order_by(Post.id)),
            "template_slug": db.session.scalar(db.select(AnswerTemplate.slug)),
        }


def _workday_override(app, world) -> int:
    """An announced day off (the delete route may remove it: made again when missing)."""
    from datetime import date

    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.workdays.models import WorkdayOverride

    with app.app_context():
        override_id = db.session.scalar(db.select(WorkdayOverride.id).order_by(WorkdayOverride.id))
        if override_id is None:
            declare_write()
            override = WorkdayOverride(day=date(2027, 1, 2), working=False,
                                       reason="Nghỉ bù mẫu", source="Thông báo mẫu")
            db.session.add(override)
            db.session.commit()
            override_id = override.id
            declare_write(False)
        db.session.rollback()
        return override_id


def _training_class(app, world) -> tuple[int, int]:
    """A training class with one session already held: (class id, session id)."""
    from datetime import UTC, datetime

    from cchc_learn.classes.models import ClassSession, TrainingClass
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db

    with app.app_context():
        klass = db.session.scalar(db.select(TrainingClass).where(TrainingClass.title == "Lớp mẫu"))
        if klass is None:
            declare_write()
            klass = TrainingClass(title="Lớp mẫu", place="Hội trường", module_slugs=[],
                                  plan_slugs=[])  # fmt: skip
            klass.sessions.append(ClassSession(starts_at=datetime(2025, 7, 1, 1, tzinfo=UTC),
                                               ends_at=datetime(2025, 7, 1, 4, tzinfo=UTC)))
            db.session.add(klass)
            db.session.commit()
        return klass.id, klass.sessions[0].id


# "parameter" or, when one route needs a different row, "endpoint:parameter".
SAMPLES: dict[str, Sampler] = {
    # A POST-only route, refused (CSRF, role) before the batch is looked up: any token will do.
    "admin.confirm_import:token": lambda app, world: "lo-nhap-mau",
    # The class imports' confirmations are POST-only too, refused (CSRF, role) first.
    "class_imports.confirm_roster:token": lambda app, world: "lo-nhap-mau",
    "class_imports.confirm_sheet:token": lambda app, world: "lo-nhap-mau",
    "class_imports.confirm_past:token": lambda app, world: "lo-nhap-mau",
    "user_id": lambda app, world: world.user_ids["official"],
    "unit_id": lambda app, world: world.unit_ids["XA"],
    "ident": lambda app, world: _document(app, world)[0],
    "attachment_id": lambda app, world: _document(app, world)[1],
    "revision_id": lambda app, world: _document(app, world)[2],
    "quiz_slug": lambda app, world: _quiz(app, world)[0],
    "bank_slug": lambda app, world: _quiz(app, world)[1],
    "item_id": lambda app, world: _quiz(app, world)[2],
    "attempt_id": lambda app, world: _quiz(app, world)[3],
    "answer_id": _essay_answer,
    "override_id": _workday_override,
    "question_id": lambda app, world: _qa(app, world)["question_id"],
    "post_id": lambda app, world: _qa(app, world)["post_id"],
    "template_slug": lambda app, world: _qa(app, world)["template_slug"],
    # A POST-only route, refused (CSRF, role) before the upload is looked up: any token will do.
    "quiz.confirm_import:import_token": lambda app, world: "tep-nhap-mau",
    "quiz.import_preview:import_token": _kept_upload,
    "module": lambda app, world: _lesson_module(app, world)["module"],
    "lesson": lambda app, world: _lesson_module(app, world)["lesson"],
    "lessons.asset:name": lambda app, world: _lesson_module(app, world)["name"],
    "plan_slug": _plan,
    "class_id": lambda app, world: _training_class(app, world)[0],
    "session_id": lambda app, world: _training_class(app, world)[1],
    **{
        f"lessons_authoring.{endpoint}:revision_id": (
            lambda app, world, kind=kind: _lesson_module(app, world)[f"{kind}_revision"]
        )
        for endpoint, kind in [
            ("module_revision", "module"),
            ("restore_module_revision", "module"),
            ("lesson_revision", "lesson"),
            ("restore_lesson_revision", "lesson"),
        ]
    },
}

# A value naming no row, per URL converter; the route must answer 404 (never 500).
MISSING_BY_CONVERTER: dict[str, object] = {
    "IntegerConverter": 987_654_321,
    "UUIDConverter": "00000000-0000-0000-0000-000000000000",
}
MISSING_DEFAULT = "khong-ton-tai-0"

# Hostile values for the same parameters: ids past the columns' range (32-bit on PostgreSQL,
# 64-bit in SQLite's driver, and beyond) and text with NUL and other control characters.
HOSTILE_BY_CONVERTER: dict[str, list[object]] = {
    "IntegerConverter": [2**31, 2**63 - 1, 2**63, 10**40],
    "UUIDConverter": ["00000000-0000-0000-0000-000000000000"],
}
HOSTILE_DEFAULT = ["a\x00b", "\x00", "x\x1b[31my", "khong-ton-tai-" + "9" * 400]

# Answers that differ from what the access rule alone predicts, with the reason.
# Keys: (endpoint, "anonymous" | "signed_in"); values: (status, Location prefix or None).
SPECIAL_GET: dict[tuple[str, str], tuple[int, str | None]] = {
    # A signed-in user who opens the sign-in page is sent on to the home page.
    ("auth.login", "signed_in"): (302, "/"),
    # The code step only makes sense right after a correct password.
    ("auth.totp", "anonymous"): (302, "/auth/login"),
    ("auth.totp", "signed_in"): (302, "/auth/login"),
    # The sampled attempt belongs to an account outside the walk: to everyone else it is 404.
    ("quiz.attempt", "signed_in"): (404, None),
    ("quiz.result", "signed_in"): (404, None),
    # The sampled upload is kept for an account outside the walk: other editors get 404.
    ("quiz.import_preview", "signed_in"): (404, None),
    # The compliance API needs ?plan=: without it, a JSON error.
    ("reports_api.api_compliance", "signed_in"): (400, None),
    # /metrics answers a bearer token or an admin; to anyone else it is a missing page.
    ("metrics.scrape", "anonymous"): (404, None),
    ("metrics.scrape", "signed_in"): (404, None),
    ("metrics.scrape", "admin"): (200, None),
}

# Tables a GET request may write by design (for example access events), with the reason.
GET_MAY_WRITE: dict[str, str] = {
    "access_event": "views and downloads of documents and lessons are recorded by design",
    "access_summary": "kept with each access event, in the same transaction, by the same writer",
    "progress_stale": "the access event's trigger marks its official's plan progress stale",
    "plan_progress": "a report brings the plans' kept progress up to date before it counts",
    "plan_progress_rule": "the requirements a plan's kept progress was computed for",
}
