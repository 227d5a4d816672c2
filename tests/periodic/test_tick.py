"""`cchc-learn tick`: every registered job once, in order, and a broken one stops nothing."""

from __future__ import annotations

from cchc_learn.periodic import DELIVERY, register_job, registered_jobs


def test_tick_runs_the_quiz_sweep_and_the_outbox_and_prints_their_summaries(app, runner):
    names = [job.name for job in registered_jobs(app)]
    # The features' jobs first (quiz, qa, the plans' kept progress, the xAPI outbox), the
    # e-mail outbox last: what they write goes out in the same tick.
    assert names == ["quiz", "qa", "plans", "xapi", "notify"]
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(":", 1)[0] for line in lines] == names
    assert lines[0] == "quiz: đã đóng và chấm 0 lượt làm bài quá giờ"
    assert lines[-1] == "notify: chưa cấu hình máy chủ thư (MAIL_SERVER)"


def test_a_job_registered_later_still_runs_before_the_delivery_jobs(app, runner):
    ran = []
    register_job(app, "sau-cung", lambda: ran.append("sau-cung") or "gửi", order=DELIVERY)
    register_job(app, "tinh-nang", lambda: ran.append("tinh-nang") or "ghi")
    names = [job.name for job in registered_jobs(app)]
    assert names == ["quiz", "qa", "plans", "xapi", "tinh-nang", "notify", "sau-cung"]
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert ran == ["tinh-nang", "sau-cung"]
    assert [line.split(":", 1)[0] for line in result.output.splitlines()] == names


def test_a_failing_job_does_not_stop_the_others_and_fails_the_command(app, runner):
    ran = []

    def broken() -> str:
        ran.append("hong")
        raise RuntimeError("máy chủ báo lỗi")

    def after() -> str:
        ran.append("sau")
        return "xong"

    register_job(app, "hong", broken)
    register_job(app, "sau", after)
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 1
    assert ran == ["hong", "sau"]
    assert "hong: lỗi: RuntimeError: máy chủ báo lỗi" in result.stderr
    assert result.stdout.splitlines()[-2] == "sau: xong"
    assert result.stdout.splitlines()[-1].startswith("notify: ")
    assert "quiz: đã đóng và chấm 0 lượt" in result.stdout


def test_a_job_name_is_registered_once(app):
    register_job(app, "mot", lambda: "")
    try:
        register_job(app, "mot", lambda: "")
    except ValueError as exc:
        assert "registered twice" in str(exc)
    else:
        raise AssertionError("a second job of the same name was accepted")

