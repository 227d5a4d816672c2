"""Periodic work: features register jobs, and `cchc-learn tick` runs them all, once a minute.

One command run by cron or a systemd timer, not a scheduler inside the web workers (which would
run each job once per worker). Every job must be idempotent and safe when two hosts tick at the
same moment: it claims its rows atomically, or does nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .database import declare_write
from .extensions import db

_EXTENSION = "cchc_periodic"


FEATURES = 0
"""The order of a feature's job: features' jobs run in the order they were registered."""
DELIVERY = 100
"""The order of a job that delivers what the features' jobs wrote (the e-mail outbox)."""


@dataclass(frozen=True)
class Job:
    """A named periodic job; it returns a one-line summary of what it did."""

    name: str
    run: Callable[[], str]
    order: int = FEATURES


def register_job(app: Flask, name: str, fn: Callable[[], str], *, order: int = FEATURES) -> None:
    """Add a job to `cchc-learn tick`: by order, then after those registered before it.

    A job that sends what other jobs write (order=DELIVERY) thus runs after them in the same
    tick, wherever the packages' init_app calls stand.
    """
    jobs: list[Job] = app.extensions.setdefault(_EXTENSION, [])
    if any(job.name == name for job in jobs):
        raise ValueError(f"periodic job {name!r} is registered twice")
    jobs.append(Job(name, fn, order))


def registered_jobs(app: Flask) -> list[Job]:
    """The jobs in the order they run."""
    return sorted(app.extensions.get(_EXTENSION, []), key=lambda job: job.order)


@click.command("tick")
@with_appcontext
def tick_command() -> None:
    """Run every periodic job once (cron or a systemd timer, every minute)."""
    failed = []
    for job in registered_jobs(current_app):
        declare_write()
        try:
            summary = job.run()
        except Exception as exc:  # one broken job must not starve the others
            db.session.rollback()
            current_app.logger.exception("periodic job %s failed", job.name)
            click.echo(f"{job.name}: lỗi: {type(exc).__name__}: {exc}", err=True)
            failed.append(job.name)
        else:
            click.echo(f"{job.name}: {summary}")
        finally:
            # The next job starts its own transaction (on SQLite: nothing held between jobs).
            db.session.rollback()
            declare_write(False)
    if failed:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Add `cchc-learn tick`."""
    app.cli.add_command(tick_command)
