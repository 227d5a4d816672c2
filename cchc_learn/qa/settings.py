"""The Q&A channel's settings and their defaults (CCHC_QA_* in the environment)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

DEFAULTS: dict[str, Any] = {
    # Working days a moderator has for the first answer (and after each follow-up).
    "QA_ANSWER_DAYS": 3,
    # Share of that time after which a question is shown in colour and moderators reminded.
    "QA_NEAR_DUE_SHARE": 0.8,
    # Days after the last answer when a moderator may accept it for a silent asker.
    "QA_ACCEPT_ON_BEHALF_DAYS": 7,
    # Posting (asking, replying, answering) per account, not per address: a department
    # shares one NAT address.
    "QA_POST_RATE_LIMIT": "20 per minute; 300 per day",
    "QA_TOPICS": [
        "PAR-INDEX",
        "PCI",
        "PAPI",
        "SIPAS",
        "ICT-INDEX",
        "Một cửa",
        "TTHC",
        "Chính quyền số",
        "Công vụ",
        "Bộ máy",
        "Văn thư",
        "Phản ánh kiến nghị",
        "Đào tạo bồi dưỡng",
        "Khác",
    ],
}


def init_app(app: Flask) -> None:
    """Fill in the defaults the configuration leaves unset."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)


def setting(name: str) -> Any:
    """The current app's value of a Q&A setting."""
    return current_app.config.get(name, DEFAULTS[name])


def topics() -> list[str]:
    """The topics a question may have."""
    value = setting("QA_TOPICS")
    if isinstance(value, str):  # from the environment: comma separated
        value = [t.strip() for t in value.split(",")]
    return [t for t in value if t]
