"""What a restore means for the e-mail outbox: restored unsent e-mails are not sent again.

A backup is taken while the outbox is being sent: an e-mail unsent in the backup was almost
always sent a minute later, before the restore. Sending it again would repeat old notices, so
such rows are closed with a reason an administrator can read (their notices stay in the app).
"""

from __future__ import annotations

from sqlalchemy import update

from ..database import transactional
from ..extensions import db
from .models import OutboxMail
from .sending import MAX_ATTEMPTS

REASON = ("Không gửi: thư chưa gửi trong bản sao lưu đã phục hồi (có thể đã được gửi trước khi "
          "phục hồi); thông báo vẫn có trong ứng dụng.")


@transactional
def after_restore(_before: object = None) -> str:
    """Close the unsent e-mails of the backup."""
    closed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.attempts < MAX_ATTEMPTS)
        .values(attempts=MAX_ATTEMPTS, claimed_at=None, claimed_by=None, last_error=REASON)
        .execution_options(synchronize_session=False)
    ).rowcount
    return f"{closed} thư chưa gửi trong bản sao lưu sẽ không được gửi lại."
