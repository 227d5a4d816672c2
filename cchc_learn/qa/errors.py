"""The Q&A channel's own errors; their messages are for users, in Vietnamese."""

from __future__ import annotations


class QaError(ValueError):
    """A Q&A operation that cannot be done as asked (nothing was written)."""


class QaNotFound(QaError):
    """No such question (or post), or not one the caller may read: answered with 404."""

    def __init__(self, message: str = "Không tìm thấy câu hỏi.") -> None:
        super().__init__(message)


class QaForbidden(QaError):
    """The caller may read the question but not do this to it: answered with 403."""
