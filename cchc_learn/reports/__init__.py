"""Reports for admins and moderators: figures computed by SQL aggregates, pages and downloads."""

from flask import Flask

from .. import navigation

VIEWERS = ("admin", "moderator")


def init_app(app: Flask) -> None:
    """Register the pages and the home page's card."""
    from . import views

    app.register_blueprint(views.bp)
    # The header's row is full for admins and moderators: the home page, the admin pages and
    # the queue link here.
    navigation.register(app, navigation.NavEntry("qa_reports.qa_report", "Báo cáo hỏi đáp", 80,
                                                 roles=VIEWERS, in_header=False))
