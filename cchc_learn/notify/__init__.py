"""Notifications: in-app notices and an e-mail outbox sent by `cchc-learn tick`."""

from flask import Flask

from .. import periodic


def init_app(app: Flask) -> None:
    """Register the models, the notices page, the header count, the mailer and the tick job."""
    from ..backup import hooks
    from . import gauges, models, restored, sending, views  # noqa: F401

    sending.init_app(app)
    gauges.register(app)
    app.register_blueprint(views.bp)
    app.add_template_global(views.unread_badge, "unread_notifications")
    # Last in every tick: mails the other jobs write (reminders, …) go out in the same tick.
    periodic.register_job(app, "notify", lambda: str(sending.send_due()),
                          order=periodic.DELIVERY)
    hooks.register(app, "Thư điện tử", restored.after_restore)
