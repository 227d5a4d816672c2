"""Trainer pages: banks with previews, editing one item, uploading a bank, writing quizzes."""

from __future__ import annotations

import html
import io

import pytest
from helpers import csrf_token, login, make_user, post
from helpers import page_text as raw_text
from quizapp_support import BANK_MD, make_bank, make_quiz, snapshot
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.models import Bank, BankImport, BankItem, Quiz


@pytest.fixture
def trainer(app, client):
    make_user(app, "giangvien", roles=("trainer",))
    login(client, app, "giangvien")
    return client


def page_text(response) -> str:
    """The page's words with HTML entities turned back into characters."""
    return html.unescape(raw_text(response))


def item(app, key: str) -> BankItem:
    with app.app_context():
        row = db.session.scalar(select(BankItem).where(BankItem.key == key))
        db.session.expunge(row)
        return row


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def file_sourced(app, slug: str = "thu-nghiem") -> None:
    with app.app_context():
        declare_write()
        bank = db.session.scalar(select(Bank).where(Bank.slug == slug))
        bank.source_path = f"questions/{slug}.md"
        db.session.commit()


def test_the_bank_pages_list_banks_and_preview_items_with_their_key(app, trainer):
    make_bank(app)
    text = page_text(trainer.get("/quizzes/manage/banks/"))
    assert "Ngân hàng thử nghiệm thu-nghiem 6 2 Trình duyệt" in text
    source = trainer.get("/quizzes/manage/banks/thu-nghiem").get_data(as_text=True)
    page = page_text(trainer.get("/quizzes/manage/banks/thu-nghiem"))
    assert "q-single · single · Chung" in page and "100 % Hà Nội" in page
    assert "Phản hồi: Đúng vậy." in page and "Giải thích: Hà Nội là thủ đô." in page
    assert "PCI → Năng lực cạnh tranh" in page
    assert 'href="/modules/mot-cua/gioi-thieu"' in source


def test_item_text_is_rendered_once_and_sanitized(app, trainer):
    make_bank(
        app, "## **Đậm** <script>alert(1)</script> [x](javascript:alert(2))\n- [x] a\n- [ ] b\n"
    )
    source = trainer.get("/quizzes/manage/banks/thu-nghiem").get_data(as_text=True)
    assert "<strong>Đậm</strong>" in source
    assert "<script>alert(1)" not in source and 'href="javascript' not in source


def test_editing_an_item_validates_with_line_numbers_and_saves_a_new_version(app, trainer):
    make_bank(app)
    row = item(app, "q-single")
    url = f"/quizzes/manage/banks/thu-nghiem/items/{row.id}/edit"
    form_page = trainer.get(url).get_data(as_text=True)
    assert "## Thủ đô của Việt Nam là thành phố nào?" in form_page and "id=q-single" in form_page
    before = snapshot(app)
    bad = "## Thủ đô?\n{id=q-single}\n- [ ] Huế\n- [ ] Hà Nội\n"
    response = post(trainer, app, url, {"text": bad, "action": "save"})
    assert response.status_code == 422
    assert "Dòng 1: câu hỏi không có đáp án đúng" in page_text(response)
    preview = post(
        trainer,
        app,
        url,
        {"text": "## Thủ **đô**?\n- [x] Hà Nội\n- [ ] Huế\n", "action": "preview"},
    )
    assert preview.status_code == 200 and "<strong>đô</strong>" in preview.get_data(as_text=True)
    renamed = post(trainer, app, url, {"text": "## A?\n{id=khac}\n- [x] a\n- [ ] b\n"})
    assert "Không đổi được mã câu hỏi (id) q-single" in page_text(renamed)
    assert snapshot(app) == before
    saved = post(trainer, app, url, {"text": "## Thủ đô **mới**?\n- [x] Hà Nội\n- [ ] Huế\n"})
    assert saved.status_code == 302
    row = item(app, "q-single")
    assert row.version == 2 and row.data["id"] == "q-single"
    assert "<strong>mới</strong>" in row.rendered["stem"]


def test_new_and_archived_items(app, trainer):
    make_bank(app)
    url = "/quizzes/manage/banks/thu-nghiem/items/new"
    assert "Phương án đúng" in trainer.get(url).get_data(as_text=True)
    response = post(trainer, app, url, {"text": "## Câu mới?\n{id=moi}\n= Sai\n"})
    assert response.status_code == 302
    duplicate = post(trainer, app, url, {"text": "## Câu khác?\n{id=moi}\n= Đúng\n"})
    assert "Ngân hàng đã có câu hỏi mã moi" in page_text(duplicate)
    new = item(app, "moi")
    assert (new.type, new.position) == ("true_false", 6)
    post(trainer, app, f"/quizzes/manage/banks/thu-nghiem/items/{new.id}/archive")
    assert item(app, "moi").archived is True
    assert "Câu mới?" not in page_text(trainer.get("/quizzes/manage/banks/thu-nghiem"))


def test_a_file_sourced_bank_is_read_only_in_the_browser(app, trainer):
    make_bank(app)
    file_sourced(app)
    row = item(app, "q-single")
    url = f"/quizzes/manage/banks/thu-nghiem/items/{row.id}/edit"
    assert "content/questions/thu-nghiem.md" in page_text(trainer.get(url))
    before = snapshot(app)
    post(trainer, app, url, {"text": "## Đổi?\n- [x] a\n- [ ] b\n"})
    post(trainer, app, f"/quizzes/manage/banks/thu-nghiem/items/{row.id}/archive")
    assert snapshot(app) == before
    upload = {"file": (io.BytesIO(BANK_MD.encode()), "b.md"), "bank": "thu-nghiem"}
    preview = post(trainer, app, "/quizzes/manage/import", upload)
    assert "được quản lý bằng tệp content/questions/thu-nghiem.md" in page_text(preview)


def test_a_bank_slug_typed_in_the_browser_follows_the_one_slug_rule(app, trainer):
    refused = (
        ("Có Dấu", "Mã ngân hàng: chỉ gồm chữ thường không dấu (a-z), chữ số và dấu gạch ngang"),
        ("a" * 81, "Mã ngân hàng: tối đa 80 ký tự."),
    )
    for slug, message in refused:
        response = post(trainer, app, "/quizzes/manage/banks/", {"slug": slug, "title": "Mới"})
        assert response.status_code == 422 and message in page_text(response)
    assert count(app, Bank) == 0
    response = post(trainer, app, "/quizzes/manage/banks/", {"slug": "a" * 80, "title": "Mới"})
    assert response.status_code == 302 and count(app, Bank) == 1


def test_a_bank_slug_given_to_the_service_follows_the_one_slug_rule(app):
    from cchc_learn.quiz.banks import service
    from cchc_learn.quiz.errors import QuizError

    with app.app_context():
        declare_write()
        with pytest.raises(QuizError, match="Mã ngân hàng 'a{81}' không hợp lệ: chỉ gồm chữ"):
            service.create_bank("a" * 81, "Mới")
    assert count(app, Bank) == 0


def test_upload_previews_every_error_and_writes_nothing(app, trainer):
    broken = BANK_MD.replace("- [x] Hà Nội", "- [ ] Hà Nội").replace(
        "- [x] SIPAS", "- [150%] SIPAS"
    )
    # Old browsers send the whole client-side path; only its last component is shown.
    path = "C:\\Users\\hv\\Tải về\\ngan-hang.md"
    data = {"file": (io.BytesIO(broken.encode()), path), "bank": "thu-nghiem"}
    response = post(trainer, app, "/quizzes/manage/import", data)
    assert response.status_code == 422
    text = page_text(response)
    assert "Tệp có 2 lỗi; không câu hỏi nào được nhập" in text
    assert "ngan-hang.md:6: câu hỏi không có đáp án đúng" in text and "Users" not in text
    assert "ngan-hang.md:15: trọng số của phương án thứ 2 phải từ -100% đến 100%: 150%" in text
    assert count(app, BankImport) == 0 and count(app, Bank) == 0


def test_upload_preview_then_confirm_exactly_once(app, trainer):
    data = {
        "file": (io.BytesIO(BANK_MD.encode()), "ngan-hang.md"),
        "bank": "thu-nghiem",
        "title": "Ngân hàng tải lên",
    }
    preview = post(trainer, app, "/quizzes/manage/import", data)
    assert preview.status_code == 200
    text = page_text(preview)
    assert "6 câu mới, 0 câu cập nhật" in text and "Hà Nội" in text
    assert count(app, Bank) == 0
    with app.app_context():
        token = db.session.scalar(select(BankImport.token))
    other = app.test_client()
    make_user(app, "giangvien2", roles=("trainer",))
    login(other, app, "giangvien2")
    assert post(other, app, f"/quizzes/manage/import/{token}/confirm").status_code == 404
    done = post(trainer, app, f"/quizzes/manage/import/{token}/confirm")
    assert done.location == "/quizzes/manage/banks/thu-nghiem"
    assert "thêm 6, cập nhật 0" in page_text(trainer.get(done.location))
    again = post(trainer, app, f"/quizzes/manage/import/{token}/confirm")
    assert again.status_code == 409 and "đã được nhập rồi" in page_text(again)
    assert count(app, BankItem) == 6
    with app.app_context():
        assert db.session.scalar(select(Bank.title)) == "Ngân hàng tải lên"
    assert post(trainer, app, "/quizzes/manage/import/khong-co/confirm").status_code == 404


def test_uploads_of_the_wrong_kind_are_refused(app, trainer):
    cases = [
        ((io.BytesIO(b"%PDF-1.4"), "tai-lieu.pdf"), "chỉ nhận tệp .md"),
        ((io.BytesIO("## Câu?\n= 1\n".encode("utf-16")), "a.md"), "UTF-8"),
        ((io.BytesIO(b""), "rong.md"), "tệp không có câu hỏi nào"),
    ]
    for upload, message in cases:
        response = post(trainer, app, "/quizzes/manage/import", {"file": upload, "bank": "x"})
        assert response.status_code == 422 and message in page_text(response), message
    assert count(app, BankImport) == 0


QUIZ_FORM = {
    "slug": "kiem-tra-moi",
    "title": "Kiểm tra mới",
    "module": "",
    "description": "Giới thiệu",
    "draws": "4 thu-nghiem\n2 thu-nghiem Chỉ số",
    "time_limit": "20",
    "attempts": "3",
    "pass_mark": "80",
    "review": "after_close",
    "shuffle_questions": "y",
    "opens": "",
    "closes": "31/12/2026 17:00",
}


def test_trainers_write_quizzes_in_the_browser(app, trainer):
    make_bank(app)
    response = post(trainer, app, "/quizzes/manage/quizzes/new", QUIZ_FORM)
    assert response.status_code == 302
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        assert quiz.draws == [
            {"bank": "thu-nghiem", "count": 4},
            {"bank": "thu-nghiem", "count": 2, "topic": "Chỉ số"},
        ]
        assert (quiz.time_limit, quiz.attempts_allowed, quiz.pass_mark) == (20, 3, 80.0)
        assert (quiz.shuffle_questions, quiz.shuffle_options) == (True, False)
        assert quiz.closes_at.isoformat() == "2026-12-31T10:00:00+00:00"
    edit = trainer.get("/quizzes/manage/quizzes/kiem-tra-moi/edit").get_data(as_text=True)
    assert "2 thu-nghiem Chỉ số" in edit and "31/12/2026 17:00" in edit
    post(trainer, app, "/quizzes/manage/quizzes/kiem-tra-moi/edit", dict(QUIZ_FORM, title="Đổi"))
    with app.app_context():
        quiz = db.session.scalar(select(Quiz))
        assert (quiz.title, quiz.version, quiz.slug) == ("Đổi", 2, "kiem-tra-moi")
    assert "Kiểm tra mới" not in page_text(trainer.get("/quizzes/manage/"))


def test_a_quiz_form_reports_every_problem(app, trainer):
    make_bank(app)
    cases = [
        (dict(QUIZ_FORM, draws="9 thu-nghiem"), "rút tổng cộng 9 câu nhưng ngân hàng 'thu-nghiem'"),
        (dict(QUIZ_FORM, draws="3 thu-nghiem Chỉ số"), "chỉ có 2 câu chủ đề đó"),
        (dict(QUIZ_FORM, draws="hai thu-nghiem"), "viết 'SỐ-CÂU MÃ-NGÂN-HÀNG [CHỦ-ĐỀ]'"),
        (dict(QUIZ_FORM, draws="1 khong-co"), "không có ngân hàng câu hỏi 'khong-co'"),
        (dict(QUIZ_FORM, slug="Có Dấu"), "Mã bài kiểm tra: chỉ gồm chữ thường không dấu (a-z)"),
        (dict(QUIZ_FORM, slug="a" * 81), "Mã bài kiểm tra: tối đa 80 ký tự."),
        (dict(QUIZ_FORM, slug="manage"), "mã bài kiểm tra 'manage' không hợp lệ"),
        (dict(QUIZ_FORM, closes="31/02/2026"), "'closes' phải là ngày"),
        (dict(QUIZ_FORM, opens="01/01/2027 08:00"), "'closes' phải sau 'opens'"),
        (dict(QUIZ_FORM, pass_mark="150"), "Từ 1 đến 100."),
        (dict(QUIZ_FORM, module="<b>"), "'module' phải là mã chuyên đề"),
    ]
    for data, message in cases:
        response = post(trainer, app, "/quizzes/manage/quizzes/new", data)
        assert response.status_code == 422, message
        assert message in page_text(response), message
    assert count(app, Quiz) == 0
    post(trainer, app, "/quizzes/manage/quizzes/new", QUIZ_FORM)
    again = post(trainer, app, "/quizzes/manage/quizzes/new", QUIZ_FORM)
    assert "Đã có bài kiểm tra mã kiem-tra-moi" in page_text(again)


def test_a_file_sourced_quiz_is_read_only(app, trainer):
    make_bank(app)
    make_quiz(app)
    with app.app_context():
        declare_write()
        db.session.scalar(select(Quiz)).source_path = "quizzes/kiem-tra-thu.md"
        db.session.commit()
    url = "/quizzes/manage/quizzes/kiem-tra-thu/edit"
    text = page_text(trainer.get(url))
    assert "content/quizzes/kiem-tra-thu.md" in text and "6 thu-nghiem" in text
    before = snapshot(app)
    post(trainer, app, url, dict(QUIZ_FORM, title="Không được đổi"))
    assert snapshot(app) == before


def test_a_file_over_the_question_limit_is_refused_quickly_and_writes_nothing(app, trainer):
    # 100,000 one-line questions, about 4 MB: under the 5 MB cap, over the question limit.
    text = "\n\n".join(f"Câu {i} đúng không? {{T}}" for i in range(100_000))
    assert len(text.encode()) < 5 * 1024 * 1024
    # The body is encoded here: the test client would spool it to a file it never closes.
    fields = {
        "bank": "thu-nghiem",
        "csrf_token": csrf_token(trainer, app),
        "file": FileStorage(io.BytesIO(text.encode()), filename="rat-nhieu.gift"),
    }
    boundary, body = encode_multipart(fields)
    response = trainer.post(
        "/quizzes/manage/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert "rat-nhieu.gift:10001: tệp có hơn 5.000 câu hỏi" in page_text(response)
    assert count(app, BankImport) == 0 and count(app, Bank) == 0


def test_a_large_preview_is_shown_a_page_at_a_time(app, trainer):
    text = "\n\n".join(f"::C{i:03d}:: Câu số {i} đúng không? {{T}}" for i in range(250))
    data = {"file": (io.BytesIO(text.encode()), "dai.gift"), "bank": "thu-nghiem"}
    preview = post(trainer, app, "/quizzes/manage/import", data)
    first = page_text(preview)
    assert "Câu 1–100 trên 250 câu hỏi của tệp" in first
    assert "Xác nhận nhập 250 câu hỏi" in first
    assert "Câu số 99 đúng" in first and "Câu số 100 đúng" not in first
    with app.app_context():
        token = db.session.scalar(select(BankImport.token))
    last = trainer.get(f"/quizzes/manage/import/{token}?page=3")
    assert last.status_code == 200
    assert "Câu 201–250 trên 250" in page_text(last) and "Câu số 249 đúng" in page_text(last)
    assert "Trang 3 / 3" in page_text(last)
    other = app.test_client()
    make_user(app, "giangvien2", roles=("trainer",))
    login(other, app, "giangvien2")
    assert other.get(f"/quizzes/manage/import/{token}").status_code == 404
    done = post(trainer, app, f"/quizzes/manage/import/{token}/confirm")
    assert done.status_code == 302 and count(app, BankItem) == 250
    assert trainer.get(f"/quizzes/manage/import/{token}").status_code == 404


def test_gift_names_and_tags_are_kept_and_shown(app, trainer):
    gift = (
        "// [tag:papi] [tag:chỉ số]\n"
        "::PAPI-1:: PAPI đo gì? {=Quản trị và hành chính công ~Năng lực cạnh tranh}\n\n"
        "::Câu SIPAS:: SIPAS đo sự hài lòng của người dân. {T}\n"
    )
    data = {"file": (io.BytesIO(gift.encode()), "papi.gift"), "bank": "papi"}
    preview = post(trainer, app, "/quizzes/manage/import", data)
    text = page_text(preview)
    assert "PAPI-1 · single" in text and "#papi · #chỉ số" in text and "Câu SIPAS" in text
    with app.app_context():
        token = db.session.scalar(select(BankImport.token))
    post(trainer, app, f"/quizzes/manage/import/{token}/confirm")
    with app.app_context():
        rows = db.session.execute(select(BankItem.key, BankItem.data)).all()
    assert sorted(key for key, _ in rows) == ["Câu SIPAS", "PAPI-1"]
    assert next(d for k, d in rows if k == "PAPI-1")["tags"] == ["papi", "chỉ số"]
    bank_page = page_text(trainer.get("/quizzes/manage/banks/papi"))
    assert "PAPI-1" in bank_page and "#chỉ số" in bank_page
    # The same name with a new wording updates that question instead of adding another.
    edited = gift.replace("PAPI đo gì?", "Chỉ số PAPI đo gì?")
    data = {"file": (io.BytesIO(edited.encode()), "papi.gift"), "bank": "papi"}
    again = post(trainer, app, "/quizzes/manage/import", data)
    assert "0 câu mới, 1 câu cập nhật" in page_text(again)
