"""`cchc-learn quiz import|export`: all or nothing, every error as file:line, round trips."""

from __future__ import annotations

import json

from quizapp_support import BANK_MD, KEYS
from sqlalchemy import func, select

from cchc_learn.extensions import db
from cchc_learn.quiz.formats import parse_gift, parse_markdown
from cchc_learn.quiz.models import Bank, BankItem

GIFT = """// Ngân hàng GIFT nhỏ
::g1:: Một cửa là gì? {=Cơ chế tiếp nhận tập trung ~Một phòng ban}

::g2:: PAR-INDEX đo cải cách hành chính. {T}

::g3:: Năm nào có Đề án 4599? {#2022}
"""

BROKEN = """---
bank: hong
---
## Câu không có đáp án đúng
- [ ] Một
- [ ] Hai

## Câu tốt
- [x] Có
- [ ] Không

## Câu có trọng số sai
- [150%] Quá
- [ ] Thiếu
"""


def counts(app) -> tuple[int, int]:
    with app.app_context():
        banks = db.session.scalar(select(func.count()).select_from(Bank))
        items = db.session.scalar(select(func.count()).select_from(BankItem))
        return banks, items


def test_import_then_export_in_every_format(app, runner, tmp_path):
    source = tmp_path / "thu-nghiem.md"
    source.write_text(BANK_MD, encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(source), "--bank", "thu-nghiem"])
    assert result.exit_code == 0, result.output
    assert "Ngân hàng thu-nghiem: thêm 6, cập nhật 0, không đổi 0 câu hỏi." in result.output
    exported = runner.invoke(args=["quiz", "export", "thu-nghiem", "--format", "json"])
    data = json.loads(exported.output)
    assert [entry["id"] for entry in data] == list(KEYS)
    assert data[0]["type"] == "single" and data[0]["options"][1] == {
        "text": "Hà Nội",
        "weight": 100.0,
        "feedback": "Đúng vậy.",
    }
    assert data[4]["answers"] == [{"min": 58.0, "max": 58.0, "weight": 100.0, "feedback": ""}]
    markdown = runner.invoke(args=["quiz", "export", "thu-nghiem", "--format", "md"]).output
    original = parse_markdown(BANK_MD, "a.md").items
    again = parse_markdown(markdown, "b.md")
    assert again.slug == "thu-nghiem" and again.items == original
    gift = runner.invoke(args=["quiz", "export", "thu-nghiem", "--format", "gift"]).output
    assert [item.stem for item in parse_gift(gift, "c.gift").items] == [i.stem for i in original]


def test_importing_the_same_file_again_changes_nothing_and_an_edit_is_a_new_version(
    app, runner, tmp_path
):
    source = tmp_path / "bank.md"
    source.write_text(BANK_MD, encoding="utf-8")
    runner.invoke(args=["quiz", "import", str(source), "--bank", "thu-nghiem"])
    again = runner.invoke(args=["quiz", "import", str(source), "--bank", "thu-nghiem"])
    assert "thêm 0, cập nhật 0, không đổi 6" in again.output
    source.write_text(BANK_MD.replace("Hà Nội là thủ đô.", "Hà Nội là thủ đô từ 1010."), "utf-8")
    edited = runner.invoke(args=["quiz", "import", str(source), "--bank", "thu-nghiem"])
    assert "thêm 0, cập nhật 1, không đổi 5" in edited.output
    with app.app_context():
        row = db.session.scalar(select(BankItem).where(BankItem.key == "q-single"))
        assert row.version == 2 and "1010" in row.rendered["explanation"]


def test_gift_import_by_suffix(app, runner, tmp_path):
    source = tmp_path / "moodle.gift"
    source.write_text(GIFT, encoding="utf-8")
    result = runner.invoke(
        args=["quiz", "import", str(source), "--bank", "moodle", "--title", "Từ Moodle"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "moodle"))
        assert bank.title == "Từ Moodle" and bank.source_path is None
        # A GIFT question without an id is keyed by its name (the title).
        assert [r.key for r in bank.items] == ["g1", "g2", "g3"]
        assert [(r.title, r.type) for r in bank.items] == [
            ("g1", "single"),
            ("g2", "true_false"),
            ("g3", "numerical"),
        ]


def test_a_file_with_errors_prints_every_one_and_writes_nothing(app, runner, tmp_path):
    source = tmp_path / "hong.md"
    source.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(source), "--bank", "hong"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{source}:4: câu hỏi không có đáp án đúng" in lines
    assert any(line.startswith(f"{source}:12: ") and "150%" in line for line in lines)
    assert counts(app) == (0, 0)


def test_semantic_errors_are_all_listed_too(app, runner, tmp_path):
    text = BANK_MD.replace("ref=lesson:mot-cua/gioi-thieu", "ref=sach:abc").replace(
        "{id=q-short}", "{id=q-short ref=doc:999/QĐ-KHONG}"
    )
    source = tmp_path / "thu-nghiem.md"
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(source), "--bank", "khac"])
    assert result.exit_code == 1
    output = result.output
    assert f"{source}:1: tệp ghi bank: thu-nghiem nhưng đang nhập vào ngân hàng khac" in output
    assert f"{source}:22: tham chiếu 'sach:abc' phải có dạng doc:SỐ-KÝ-HIỆU" in output
    assert f"{source}:26: tham chiếu doc:999/QĐ-KHONG không trỏ tới văn bản nào" in output
    assert counts(app) == (0, 0)


def test_unreadable_and_unknown_files_fail_cleanly(app, runner, tmp_path):
    latin = tmp_path / "latin.md"
    latin.write_bytes("## Câu hỏi\n= có\n".encode("utf-16"))
    result = runner.invoke(args=["quiz", "import", str(latin), "--bank", "x"])
    assert result.exit_code == 1 and "UTF-8" in result.output
    other = tmp_path / "bank.docx"
    other.write_bytes(b"PK\x03\x04")
    result = runner.invoke(args=["quiz", "import", str(other), "--bank", "x"])
    assert result.exit_code == 1 and "không nhận ra định dạng tệp" in result.output
    missing = runner.invoke(args=["quiz", "import", str(tmp_path / "khong.md"), "--bank", "x"])
    assert missing.exit_code == 1 and "không tìm thấy tệp" in missing.output
    bad_slug = tmp_path / "ok.md"
    bad_slug.write_text(BANK_MD.replace("bank: thu-nghiem\n", ""), encoding="utf-8")
    result = runner.invoke(args=["quiz", "import", str(bad_slug), "--bank", "Có Dấu"])
    assert result.exit_code == 1 and "mã ngân hàng 'Có Dấu'" in result.output
    unknown = runner.invoke(args=["quiz", "export", "khong-co", "--format", "gift"])
    assert unknown.exit_code == 1 and "không có ngân hàng câu hỏi 'khong-co'" in unknown.output
    assert counts(app) == (0, 0)
