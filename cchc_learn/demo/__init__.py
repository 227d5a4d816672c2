"""Demo province, its accounts and Q&A questions, and the quickstart command."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the quickstart command and its demo steps."""
    from .. import quickstart
    from . import cli, qa_demo

    app.cli.add_command(cli.quickstart_command)
    app.cli.add_command(cli.demo_group)
    quickstart.register_step(app, "Tạo tỉnh mẫu và tài khoản mẫu", cli.create_accounts,
                             order=quickstart.ACCOUNTS)
    quickstart.register_step(app, "Nạp câu hỏi mẫu cho kênh hỏi đáp", qa_demo.quickstart_step,
                             order=quickstart.DEMO_DATA)
