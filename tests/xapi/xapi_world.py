"""A small world with one event of every kind an xAPI statement is made of."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from helpers import make_unit, make_user

from cchc_learn.clock import LOCAL_TZ
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Attachment, Document
from cchc_learn.lessons.models import Lesson, Module
from cchc_learn.qa.models import Post, Question
from cchc_learn.quiz.models import Attempt, Quiz
from cchc_learn.tracking import events

SITE = "https://hoc.sonoivu.example.gov.vn"
QUESTION_TITLE = "Thủ tục cấp đổi giấy phép lái xe bí mật"
ANSWER_TEXT = "Nội dung câu trả lời riêng tư"


def at(day: int, hour: int = 9, month: int = 2) -> datetime:
    """A moment in February 2026, Vietnamese time, as the UTC the database keeps."""
    return datetime.combine(date(2026, month, day), time(hour), LOCAL_TZ).astimezone(UTC)


def build(app, *, refused_lesson: bool = False) -> dict[str, int]:
    """Units TINH > XA1, official hocvien in XA1, moderator, materials and one event of each kind.

    With refused_lesson, a second lesson (slug "tu-choi") is viewed too: the stub store refuses
    its statement.
    """
    make_unit(app, "TINH", "UBND tỉnh")
    make_unit(app, "XA1", "UBND xã Một", level="commune", parent="TINH")
    official = make_user(app, "hocvien", unit="XA1", full_name="Nguyễn Văn Học")
    moderator = make_user(app, "kiemduyet", roles=("moderator",), unit="TINH")
    with app.app_context():
        declare_write()
        module = Module(slug="m1", title="Chuyên đề cải cách hành chính", summary="", topics=[],
                        order=1, audience=[], published=True)
        lesson = Lesson(slug="l1", position=1, title="Bài 1: Một cửa liên thông", minutes=5,
                        body_md="x", body_html="<p>x</p>", published=True)
        module.lessons.append(lesson)
        refused = None
        if refused_lesson:
            refused = Lesson(slug="tu-choi", position=2, title="Bài bị từ chối", minutes=5,
                             body_md="x", body_html="<p>x</p>", published=True)
            module.lessons.append(refused)
        doc = Document(slug="1-qd-ubnd", number="1/QĐ-UBND", number_key="1/qd-ubnd",
                       doc_type="Quyết định", issuer="UBND tỉnh", issued=date(2025, 1, 1),
                       summary="Văn bản", body_md="x", body_html="<p>x</p>")
        doc.attachments.append(Attachment(title="Toàn văn (PDF)", original_name="a.pdf",
                                          stored_name="a.pdf", content_type="application/pdf",
                                          size=1, sha256="0" * 64))
        quiz = Quiz(slug="kt", title="Kiểm tra cuối chuyên đề", draws=[], pass_mark=80.0)
        db.session.add_all([module, doc, quiz])
        db.session.flush()
        ids = {"official": official, "moderator": moderator, "lesson": lesson.id,
               "doc": doc.id, "attachment": doc.attachments[0].id, "quiz": quiz.id}
        events.record(official, events.lesson_view(lesson.id, 1), at=at(2))
        events.record(official, events.lesson_completion(lesson.id, 1), at=at(2, 10))
        events.record(official, events.document_view(doc.id, 1), at=at(3))
        events.record(official, events.attachment_download(doc.attachments[0].id, 1), at=at(3, 10))
        if refused is not None:
            events.record(official, events.lesson_view(refused.id, 1), at=at(3, 11))
        for number, passed, score in ((1, False, 4.0), (2, True, 9.0), (3, None, None)):
            db.session.add(Attempt(quiz_id=quiz.id, user_id=official, number=number, seed=1,
                                   status="submitted", started_at=at(4, 8 + number),
                                   submitted_at=at(4, 8 + number), score=score,
                                   max_score=10.0, pass_mark=80.0, passed=passed))
        question = Question(title=QUESTION_TITLE, body_md="Nội dung", body_html="<p>Nội dung</p>",
                            asker_id=official, asked_at=at(5))
        db.session.add(question)
        db.session.flush()
        db.session.add(Post(question_id=question.id, author_id=moderator, kind="answer",
                            body_md=ANSWER_TEXT, body_html=f"<p>{ANSWER_TEXT}</p>",
                            created_at=at(6)))
        db.session.commit()
        ids["question"] = question.id
        return ids
