"""xAPI 1.0.3 statements built from learning events: verbs, activity ids, the actor's pseudonym.

Every builder takes an `Event` (what happened, to whom, when, on what) and returns a statement
as a plain dict, ready for JSON. The shapes are described in docs/xapi.md.

- **Verbs** are ADL's (http://adlnet.gov/expapi/verbs/…) where one exists. Viewing a document
  or one of its files has no ADL verb: it uses `http://id.tincanapi.com/verb/viewed` from the
  xAPI vocabulary registry (registry.tincanapi.com), as does the `document` activity type.
- **Activity ids** are IRIs under SITE_URL that name the thing, not a version of it, and match
  the pages' addresses (`{SITE_URL}/modules/<module>/<lesson>`, `/kb/<document>`,
  `/kb/<document>/files/<id>`, `/quizzes/<quiz>`, `/qa/<question>`,
  `/classes/<class>/sessions/<session>`, `/reports/plans/<plan>`), so they stay stable.
- **The actor** is an `account` whose `homePage` is SITE_URL and whose `name` is
  HMAC-SHA256(XAPI_ACTOR_KEY, account id): stable, and it names no one to the store. Without
  XAPI_ACTOR_KEY the key is derived from SECRET_KEY; changing either changes every pseudonym.
- **The statement id** is a name-based UUID (uuid5) of the event's kind and source row id, so
  exporting or sending an event twice gives the store the same statement twice, which it keeps
  once.
- **Questions and answers** carry ids only, never their text.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app

from ..clock import LOCAL_TZ

VERSION = "1.0.3"
PLATFORM = "CCHC Learn"
LANGUAGE = "vi-VN"
NAMESPACE = uuid.UUID("0f6c7a52-3c8e-5b1e-9d2a-6a1f0c3b8e47")
"""The namespace of statement ids: changing it would make every statement new to the store."""

ADL = "http://adlnet.gov/expapi/verbs/"
TINCAN_VERB = "http://id.tincanapi.com/verb/"
VERBS = {
    "experienced": ADL + "experienced",
    "completed": ADL + "completed",
    "viewed": TINCAN_VERB + "viewed",  # no ADL verb; xAPI vocabulary registry
    "attempted": ADL + "attempted",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "asked": ADL + "asked",
    "answered": ADL + "answered",
    "attended": ADL + "attended",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "module": "http://adlnet.gov/expapi/activities/module",
    "document": "http://id.tincanapi.com/activitytype/document",  # xAPI vocabulary registry
    "file": "http://adlnet.gov/expapi/activities/file",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/question",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",  # a class session
    "course": "http://adlnet.gov/expapi/activities/course",  # a class
}
"""A plan has no activity type of its own in ADL's vocabulary: its definition names no type."""

# The kinds of event, as they name statement ids and outbox rows: never rename one.
LESSON_VIEW = "lesson-view"
LESSON_COMPLETE = "lesson-complete"
DOCUMENT_VIEW = "document-view"
ATTACHMENT_DOWNLOAD = "attachment-download"
QUIZ_ATTEMPT = "quiz-attempt"
QUIZ_RESULT = "quiz-result"
QUESTION_ASKED = "qa-question"
ANSWER_POSTED = "qa-answer"
CLASS_ATTENDED = "class-attended"
KINDS = (LESSON_VIEW, LESSON_COMPLETE, DOCUMENT_VIEW, ATTACHMENT_DOWNLOAD, QUIZ_ATTEMPT,
         QUIZ_RESULT, QUESTION_ASKED, ANSWER_POSTED, CLASS_ATTENDED)


class XapiError(Exception):
    """A Vietnamese message for the person running an export or configuring the store."""


@dataclass(frozen=True)
class Event:
    """One learning event, as read from its source table.

    `path` is the activity's address below SITE_URL; `parent` (path, type, name) the activity
    it belongs to (a lesson's module, a file's document, a session's class); `grouping` the
    activities it counts towards (the plans a class serves; type None: no type); `score`,
    `max_score` and `passed` only for a quiz result. `serving` carries a class's modules and
    plans from the source to `sources.with_plans`, which turns it into `grouping`.
    """

    kind: str
    source_id: int
    user_id: int
    at: datetime
    path: str
    activity_type: str
    name: str
    unit_code: str | None = None
    parent: tuple[str, str, str] | None = None
    score: float | None = None
    max_score: float | None = None
    passed: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    grouping: tuple[tuple[str, str | None, str], ...] = ()
    serving: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def site_url() -> str:
    """SITE_URL without its trailing slash; an absolute http(s) address is required."""
    base = (current_app.config.get("SITE_URL") or "").strip().rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise XapiError("Chưa cấu hình địa chỉ trang (SITE_URL, dạng https://…): "
                        "không tạo được định danh cho câu lệnh xAPI.")
    return base


def actor_key() -> bytes:
    """XAPI_ACTOR_KEY, or a key derived from SECRET_KEY when it is not set."""
    key = current_app.config.get("XAPI_ACTOR_KEY")
    if key:
        return key.encode() if isinstance(key, str) else bytes(key)
    secret = current_app.config.get("SECRET_KEY") or ""
    secret = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.new(secret, b"cchc-learn xapi actor", hashlib.sha256).digest()


def actor_name(user_id: int, key: bytes | None = None) -> str:
    """The pseudonym of an account: HMAC-SHA256 of its id, in hex."""
    return hmac.new(key or actor_key(), str(user_id).encode(), hashlib.sha256).hexdigest()


def statement_id(kind: str, source_id: int) -> str:
    """The statement's id: a uuid5 of the event's kind and source row."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{source_id}"))


def timestamp(at: datetime) -> str:
    """ISO 8601 with the Vietnamese offset (+07:00)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime given to an xAPI statement")
    return at.astimezone(LOCAL_TZ).isoformat(timespec="milliseconds")


def _activity(iri: str, kind: str | None, name: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": {LANGUAGE: name or iri}}
    if kind is not None:
        definition = {"type": ACTIVITY_TYPES[kind], **definition}
    return {"objectType": "Activity", "id": iri, "definition": definition}


_VERB_OF = {
    LESSON_VIEW: "experienced",
    LESSON_COMPLETE: "completed",
    DOCUMENT_VIEW: "viewed",
    ATTACHMENT_DOWNLOAD: "viewed",
    QUIZ_ATTEMPT: "attempted",
    QUESTION_ASKED: "asked",
    ANSWER_POSTED: "answered",
    CLASS_ATTENDED: "attended",
}
"""The verb of each kind but a quiz result's (passed or failed)."""


def build(event: Event, *, base: str | None = None, key: bytes | None = None) -> dict[str, Any]:
    """The statement of one event."""
    base = base or site_url()
    if event.kind == QUIZ_RESULT:
        if event.passed is None:
            raise ValueError("a quiz result without pass or fail")
        verb = "passed" if event.passed else "failed"
    else:
        verb = _VERB_OF[event.kind]
    extensions: dict[str, Any] = {}
    if event.unit_code:
        extensions[f"{base}/xapi/extensions/unit"] = event.unit_code
    for name, value in sorted(event.extra.items()):
        extensions[f"{base}/xapi/extensions/{name}"] = value
    context: dict[str, Any] = {"platform": PLATFORM, "language": LANGUAGE,
                               "extensions": extensions}
    activities: dict[str, list[dict[str, Any]]] = {}
    if event.parent:
        path, kind, name = event.parent
        activities["parent"] = [_activity(base + path, kind, name)]
    if event.grouping:
        activities["grouping"] = [_activity(base + path, kind, name)
                                  for path, kind, name in event.grouping]
    if activities:
        context["contextActivities"] = activities
    statement: dict[str, Any] = {
        "id": statement_id(event.kind, event.source_id),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": base, "name": actor_name(event.user_id, key)},
        },
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": _activity(base + event.path, event.activity_type, event.name),
        "context": context,
        "timestamp": timestamp(event.at),
        "version": VERSION,
    }
    if event.kind == QUIZ_RESULT:
        statement["result"] = {"success": bool(event.passed), "completion": True,
                               "score": _score(event.score, event.max_score)}
    elif event.kind == LESSON_COMPLETE:
        statement["result"] = {"completion": True}
    return statement


def _score(raw: float | None, maximum: float | None) -> dict[str, float]:
    score: dict[str, float] = {"raw": round(raw or 0.0, 4), "min": 0.0}
    if maximum is not None and maximum > 0:
        score["max"] = round(maximum, 4)
        score["scaled"] = round(max(-1.0, min(1.0, (raw or 0.0) / maximum)), 4)
    return score
