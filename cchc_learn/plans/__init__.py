"""Training plans (kế hoạch bồi dưỡng) and compliance reports; officials' own progress.

`counting` says what counts (the definitions the reports cite, classes that serve a plan
included); `report` places the counts on the unit tree of a date; `exports`, `charts`, the
pages, the API and `cchc-learn report` show them; `reached` keeps when each official reached a
plan's materials (refreshed by reports and every minute); `progress` is one official's view of
the same rule; `class_report` is /reports/classes (here because it needs the serving rule).
"""

from flask import Flask

from .. import dashboard, navigation


def init_app(app: Flask) -> None:
    """Register the models, pages, API, CLI, content kind, menu, home panels and demo step."""
    from ..classes.links import register_plan_source
    from ..content import kinds
    from ..periodic import register_job
    from ..quickstart import DEMO_DATA, register_step
    from . import (  # noqa: F401
        class_views,
        cli,
        content_kind,
        demo,
        me_views,
        models,
        progress,
        reached,
        views,
    )
    from .service import list_plans

    app.register_blueprint(views.bp)
    app.register_blueprint(class_views.bp)
    app.register_blueprint(views.api)
    app.register_blueprint(me_views.bp)
    app.cli.add_command(cli.report_cli)
    kinds.register(app, content_kind.PLANS)
    navigation.register(app, navigation.NavEntry("me.index", "Tiến độ của tôi", 5,
                                                 roles=("official",)))  # fmt: skip
    navigation.register(app, navigation.NavEntry("reports.index", "Báo cáo", 60,
                                                 roles=("admin", "focal")))  # fmt: skip
    for panel in (
        dashboard.Panel("official", "plans/panels/official.html", progress.official_panel,
                        ("official",), 10),
        dashboard.Panel("focal", "plans/panels/focal.html", progress.focal_panel, ("focal",), 20),
        dashboard.Panel("admin", "plans/panels/admin.html", progress.admin_panel, ("admin",), 30),
        dashboard.Panel("trainer", "plans/panels/trainer.html", progress.trainer_panel,
                        ("trainer",), 40),
    ):  # fmt: skip
        dashboard.register(app, panel)
    # Classes sit below plans: they list the plans they may serve through this source.
    register_plan_source(app, lambda: [(p.slug, p.title, p.starts, p.ends) for p in list_plans()])
    register_step(
        app, "Lịch sử học tập mô phỏng cho học viên mẫu", demo.simulate_history, order=DEMO_DATA
    )
    # Kept progress is refreshed every minute, so a report seldom has anything left to do.
    register_job(app, "plans", reached.refresh_all)
