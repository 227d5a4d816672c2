"""Random sequences of start, autosave, submit, time passing and sweeps keep the attempt rules."""

from __future__ import annotations

import itertools

import pytest
from helpers import csrf_token, login, make_user, post
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from quizapp_support import answer_form, make_bank, make_quiz, rows
from sqlalchemy import func, select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.quiz.attempts import lifecycle as attempt_service
from cchc_learn.quiz.models import Attempt, AttemptChoice, AttemptItem, Quiz

ATTEMPTS_ALLOWED = 3
answers = st.fixed_dictionaries(
    {},
    optional={
        "q-single": st.sampled_from([None, 0, 1, 2]),
        "q-multi": st.lists(st.integers(0, 2), unique=True),
        "q-tf": st.sampled_from([None, True, False]),
        "q-short": st.sampled_from([None, "par-index", "PAR INDEX", "sai", "<b>x</b>"]),
        "q-num": st.sampled_from([None, "58", "58,0", "57", "năm tám"]),
        "q-match": st.permutations([0, 1, 2]).map(lambda p: dict(enumerate(p))),
    },
)


def _chosen(kind: str, response) -> int:
    if kind == "multiple":
        return len(response or [])
    if kind in ("single", "true_false"):
        return int(response is not None)
    return 0


def machine_for(app, clock, clients, user_ids):
    runs = itertools.count(1)

    class AttemptLifecycle(RuleBasedStateMachine):
        """Two officials and a quiz; every run starts on a fresh quiz, so from no attempt."""

        def __init__(self) -> None:
            super().__init__()
            self.slug = f"tinh-chat-{next(runs)}"
            make_quiz(app, self.slug, attempts=ATTEMPTS_ALLOWED, time_limit=10)
            self.clients, self.user_ids = clients, user_ids
            with app.app_context():
                self.quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == self.slug))
            self.closed: dict[int, tuple] = {}

        def _open(self, who: int) -> int | None:
            with app.app_context():
                return db.session.scalar(
                    select(Attempt.id).where(
                        Attempt.quiz_id == self.quiz_id,
                        Attempt.user_id == self.user_ids[who],
                        Attempt.status == "open",
                    )
                )

        @rule(who=st.integers(0, 1))
        def start(self, who: int) -> None:
            response = post(self.clients[who], app, f"/quizzes/{self.slug}/start")
            assert response.status_code == 302

        @rule(who=st.integers(0, 1), given=answers)
        def autosave(self, who: int, given: dict) -> None:
            attempt_id = self._open(who)
            if attempt_id is None:
                return
            client = self.clients[who]
            response = client.post(
                f"/quizzes/attempts/{attempt_id}/autosave",
                data=answer_form(rows(app, attempt_id), given),
                headers={"X-CSRFToken": csrf_token(client, app)},
            )
            assert response.status_code in (200, 409)

        @rule(who=st.integers(0, 1), given=answers, twice=st.booleans())
        def submit(self, who: int, given: dict, twice: bool) -> None:
            attempt_id = self._open(who)
            if attempt_id is None:
                return
            form = dict(answer_form(rows(app, attempt_id), given), action="submit")
            for _ in range(2 if twice else 1):
                response = post(self.clients[who], app, f"/quizzes/attempts/{attempt_id}", form)
                assert response.location == f"/quizzes/attempts/{attempt_id}/result"

        @rule(minutes=st.sampled_from([0, 1, 5, 9, 11, 30]), seconds=st.integers(0, 59))
        def advance_clock(self, minutes: int, seconds: int) -> None:
            clock.advance(minutes=minutes, seconds=seconds)

        @rule(by_page=st.booleans())
        def sweep(self, by_page: bool) -> None:
            if by_page:
                assert self.clients[0].get("/quizzes/").status_code == 200
                return
            with app.app_context():
                declare_write()
                attempt_service.sweep()
                db.session.commit()
                declare_write(False)

        @invariant()
        def attempts_follow_the_rules(self) -> None:
            with app.app_context():
                mine = db.session.scalars(
                    select(Attempt).where(Attempt.quiz_id == self.quiz_id)
                ).all()
                per_user: dict[int, list[Attempt]] = {}
                for attempt in mine:
                    per_user.setdefault(attempt.user_id, []).append(attempt)
                for own in per_user.values():
                    assert sum(a.status == "open" for a in own) <= 1
                    assert len(own) <= ATTEMPTS_ALLOWED
                    assert sorted(a.number for a in own) == list(range(1, len(own) + 1))
                for attempt in mine:
                    if attempt.status == "open":
                        assert attempt.score is None
                        continue
                    assert attempt.status in ("submitted", "expired")
                    assert 0 <= attempt.score <= attempt.max_score == 6.0
                    assert attempt.passed == (attempt.score / attempt.max_score >= 0.5)
                    graded = (attempt.score, attempt.submitted_at, attempt.status)
                    # Graded once: what a closed attempt says never changes afterwards.
                    assert self.closed.setdefault(attempt.id, graded) == graded
                    items = db.session.scalars(
                        select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
                    ).all()
                    assert sum(i.points for i in items) == pytest.approx(attempt.score)
                    assert all(0 <= i.points <= i.max_points for i in items)
                    expected = sum(_chosen(i.item["type"], i.response) for i in items)
                    choices = db.session.scalar(
                        select(func.count())
                        .select_from(AttemptChoice)
                        .join(AttemptItem)
                        .where(AttemptItem.attempt_id == attempt.id)
                    )
                    assert choices == expected  # every choice recorded exactly once

    return AttemptLifecycle


def test_the_attempt_lifecycle_keeps_its_rules_under_random_sequences(app, clock):
    make_bank(app)
    # Signed in once for every run: each sign-in counts against the per-address rate limit.
    clients, user_ids = [], []
    for who in range(2):
        user_ids.append(make_user(app, f"tinhchat{who}"))
        client = app.test_client()
        assert login(client, app, f"tinhchat{who}").status_code == 302
        clients.append(client)
    run_state_machine_as_test(
        machine_for(app, clock, clients, user_ids),
        settings=settings(
            max_examples=30,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
