"""The life of a question: its states and the one table of what each action may do to them.

`new → assigned → answered → accepted | closed`, with side states `needs_info` (the clock
stops until the asker replies), `duplicate` (closed with a link to the original) and `hidden`
(abuse, with a reason). Every service changes a state only through `target()`, so an action
the table does not allow raises QaError with a Vietnamese message, whoever calls it.
"""

from __future__ import annotations

from .errors import QaError

STATE_LABELS = {
    "new": "Mới, chưa phân công",
    "assigned": "Đang giải đáp",
    "needs_info": "Chờ bổ sung thông tin",
    "answered": "Đã trả lời",
    "accepted": "Đã chấp nhận câu trả lời",
    "closed": "Đã đóng",
    "duplicate": "Trùng câu hỏi khác",
    "hidden": "Đã ẩn",
}
STATES = tuple(STATE_LABELS)

WAITING = ("new", "assigned")
"""States whose clock runs: a moderator owes the asker an answer."""
OPEN = ("new", "assigned", "needs_info")
"""States of a question not yet answered (the queue shows these by default)."""
ANSWERED = ("answered", "accepted", "closed")
"""States of a question that has its answer."""

# The state a waiting question returns to: whoever was assigned keeps it.
_BACK = "back to waiting"
_ALL_BUT_HIDDEN = ("new", "assigned", "needs_info", "answered", "accepted", "closed", "duplicate")

# action → {state it may start from: state it leads to (None: unchanged)}
TRANSITIONS: dict[str, dict[str, str | None]] = {
    "claim": {"new": "assigned", "assigned": "assigned"},
    "assign": {"new": "assigned", "assigned": "assigned", "needs_info": None},
    "answer": {"new": "answered", "assigned": "answered", "needs_info": "answered"},
    "request_info": {"new": "needs_info", "assigned": "needs_info"},
    "info_reply": {"needs_info": _BACK},
    "followup": {"answered": _BACK, "new": None, "assigned": None},
    "accept": {"answered": "accepted"},
    "accept_on_behalf": {"answered": "accepted"},
    "close": {"answered": "closed"},
    "duplicate": {s: "duplicate" for s in ("new", "assigned", "needs_info", "answered")},
    "hide": {s: "hidden" for s in _ALL_BUT_HIDDEN},
    "edit_by_asker": {"new": None, "assigned": None, "needs_info": None},
    "edit_question": {s: None for s in _ALL_BUT_HIDDEN},
    "edit_answer": {s: None for s in _ALL_BUT_HIDDEN},
    "promote": {s: None for s in ANSWERED},
    "unpromote": {s: None for s in STATES},
    "review_faq": {s: None for s in ANSWERED},
}

ACTION_LABELS = {
    "ask": "đặt câu hỏi",
    "record_offline": "ghi nhận câu hỏi nhận ngoài hệ thống",
    "claim": "nhận giải đáp câu hỏi",
    "assign": "phân công câu hỏi",
    "answer": "trả lời câu hỏi",
    "request_info": "đề nghị bổ sung thông tin",
    "info_reply": "bổ sung thông tin",
    "followup": "hỏi thêm",
    "accept": "chấp nhận câu trả lời",
    "accept_on_behalf": "chấp nhận câu trả lời thay người hỏi",
    "close": "đóng câu hỏi",
    "duplicate": "đóng câu hỏi vì trùng lặp",
    "hide": "ẩn câu hỏi",
    "edit_by_asker": "sửa câu hỏi",
    "edit_question": "sửa câu hỏi",
    "edit_answer": "sửa câu trả lời",
    "promote": "đưa câu hỏi vào mục Hỏi đáp thường gặp",
    "unpromote": "gỡ câu hỏi khỏi mục Hỏi đáp thường gặp",
    "review_faq": "xác nhận đã rà soát mục Hỏi đáp thường gặp",
    "faq_flagged": "đánh dấu cần rà soát",
}


def allowed(action: str, state: str) -> bool:
    """Whether action may be taken on a question in state."""
    return state in TRANSITIONS[action]


def target(action: str, state: str, *, assigned: bool) -> str:
    """The state action leads to from state; raise QaError when the table does not allow it.

    assigned: whether someone is assigned (a waiting question goes back to them).
    """
    moves = TRANSITIONS[action]
    if state not in moves:
        raise QaError(
            f"Không thể {ACTION_LABELS[action]}: câu hỏi đang ở trạng thái "
            f"“{STATE_LABELS.get(state, state)}”."
        )
    to = moves[state]
    if to is None:
        return state
    if to == _BACK:
        return "assigned" if assigned else "new"
    return to


def label(state: str) -> str:
    """The state in Vietnamese."""
    return STATE_LABELS.get(state, state)
