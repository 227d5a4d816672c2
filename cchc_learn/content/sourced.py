"""What every object that a content file or the browser writes keeps: its source and version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..coltypes import UTCDateTime


class FileSourced:
    """Mixin for a model kept as a file under content/ or written in the browser: where it comes
    from, a digest of what it says, its version, whether it is archived, and its times."""

    source_path: Mapped[str | None] = mapped_column(String(300))  # set when file-sourced
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def from_file(self) -> bool:
        """Whether it is maintained as a file under content/."""
        return self.source_path is not None


def edit_the_file(what: str, source_path: str | None) -> str:
    """Why a file-sourced thing (what: "Văn bản", "Ngân hàng") cannot change in the browser."""
    return (
        f"{what} này được quản lý bằng tệp content/{source_path}; hãy sửa tệp đó rồi "
        "chạy cchc-learn content sync."
    )
