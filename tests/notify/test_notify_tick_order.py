"""A mail written by a feature's tick job goes out in the same tick (the outbox runs last)."""

from __future__ import annotations

from helpers import make_unit, make_user
from sqlalchemy import select

from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.notify.models import OutboxMail
from cchc_learn.qa import routing, service


def test_an_overdue_reminder_is_mailed_by_the_tick_that_wrote_it(app, runner, sink, clock):
    make_unit(app, "XA", "Xã Mỹ Hòa Hưng", "commune")
    asker = make_user(app, "hocvien", unit="XA")
    moderator = make_user(app, "giaidap", roles=("moderator",), unit="XA")
    with app.app_context():
        declare_write()
        db.session.get(User, moderator).email = "giaidap@sonoivu.example.gov.vn"
        db.session.commit()
        declare_write()
        routing.add_rule(moderator, "PCI", moderator)
        declare_write()
        service.ask(asker, "Cách tính chỉ số PCI thành phần?", "", ["PCI"])
        declare_write(False)
    # The mail about the new question leaves with the first tick.
    assert runner.invoke(args=["tick"]).exit_code == 0
    assert len(sink.messages) == 1
    clock.advance(days=7)
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "1 nhắc quá hạn" in result.output
    assert result.output.splitlines()[-1] == "notify: đã gửi 1 thư, 0 thư lỗi sẽ gửi lại sau"
    assert len(sink.messages) == 2
    assert sink.messages[-1]["Subject"].strip() == (
        "[CCHC Learn] Câu hỏi đã quá hạn trả lời: Cách tính chỉ số PCI thành phần?")
    with app.app_context():
        assert None not in db.session.scalars(select(OutboxMail.sent_at)).all()
