"""Errors the search engine raises; callers show the Vietnamese message or rebuild."""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of the search engine's own errors."""


class IndexUnavailable(SearchIndexError):
    """The index is missing, unreadable or of an older layout: it must be (re)built."""

    def __init__(self, directory: object, reason: str):
        self.directory = directory
        self.reason = reason
        super().__init__(
            f"Chỉ mục tìm kiếm tại {directory} không dùng được ({reason}); "
            "cần xây dựng lại bằng lệnh `cchc-learn search reindex`."
        )


class IndexBusy(SearchIndexError):
    """Another writer held the index lock for longer than the timeout."""

    def __init__(self, directory: object, timeout: float):
        self.directory = directory
        self.timeout = timeout
        super().__init__(
            f"Chỉ mục tìm kiếm tại {directory} đang được một tiến trình khác ghi; "
            f"đã chờ {timeout:g} giây mà chưa ghi được, hãy thử lại sau."
        )
