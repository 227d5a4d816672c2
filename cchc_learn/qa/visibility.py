"""Who may read a question, what of its thread they see, and how its asker is named.

- Moderators read every question, hidden ones too, and always see who asked.
- The asker reads their own questions, whatever their state.
- Any other signed-in account reads a public question that is not hidden, and an FAQ entry
  (a private question promoted to the FAQ shows its question and answers only, never who
  asked). To everyone else a question does not exist: 404, and absent from search.
"""

from __future__ import annotations

from typing import Any

from ..access import has_any_role
from .models import Post, Question

MODERATORS = ("moderator",)
ANONYMOUS_ASKER = "Một cán bộ"


def is_moderator(user: Any) -> bool:
    """Whether the account moderates the Q&A channel."""
    return has_any_role(user, MODERATORS)


def is_asker(question: Question, user: Any) -> bool:
    """Whether the account asked the question."""
    return bool(getattr(user, "is_authenticated", False)) and question.asker_id == user.id


def open_to_everyone(question: Question) -> bool:
    """Whether every signed-in account may read the question."""
    if question.state == "hidden":
        return False
    return question.visibility == "public" or question.faq is not None


def can_read(question: Question, user: Any) -> bool:
    """Whether the account may read the question at all."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_moderator(user) or is_asker(question, user) or open_to_everyone(question)


def searchable(question: Question) -> bool:
    """Whether search and suggestions may show the question to every signed-in account."""
    if not open_to_everyone(question) or question.state == "duplicate":
        return False
    return question.faq is not None or question.state in ("answered", "accepted", "closed")


def posts_for(question: Question, user: Any) -> list[Post]:
    """The posts of the thread the account sees."""
    if is_moderator(user) or is_asker(question, user) or question.visibility == "public":
        return list(question.posts)
    return [p for p in question.posts if p.kind == "answer"]


def asker_name(question: Question, user: Any) -> str:
    """How the asker is named to this account."""
    if is_moderator(user) or is_asker(question, user):
        return question.asker.full_name
    if question.visibility == "public" and question.show_name:
        return question.asker.full_name
    return ANONYMOUS_ASKER
