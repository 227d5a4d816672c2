"""`cchc-learn xapi export`: every learning event in a window as xAPI statements, one a line."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..clock import LOCAL_TZ
from . import sources
from . import statements as st
from .statements import XapiError


def parse_day(value: str | None, label: str) -> date | None:
    """A YYYY-MM-DD date, or a Vietnamese XapiError."""
    if value is None or value == "":
        return None
    text = value.strip()
    if len(text) != 10 or not all(c.isdigit() or c == "-" for c in text):
        raise XapiError(f"Ngày {label} không hợp lệ: cần dạng NNNN-TT-NN (ví dụ 2026-01-31).")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise XapiError(f"Ngày {label} không có thật: {text}.") from None


def window(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """[start of since, end of until) in Vietnamese time, both optional."""
    first, last = parse_day(since, "bắt đầu (--since)"), parse_day(until, "kết thúc (--until)")
    if first and last and first > last:
        raise XapiError("Ngày bắt đầu (--since) sau ngày kết thúc (--until).")
    start = datetime.combine(first, time(), LOCAL_TZ) if first else None
    end = datetime.combine(last + timedelta(days=1), time(), LOCAL_TZ) if last else None
    return start, end


def export(path: str, since: str | None = None, until: str | None = None) -> int:
    """Write the statements of [since, until] to path (JSON Lines); returns how many.

    Written to a temporary file beside path and renamed at the end: on any error the target is
    left as it was and nothing half-written remains.
    """
    if not path or "\x00" in path:
        raise XapiError("Tên tệp kết quả (-o) không hợp lệ.")
    start, end = window(since, until)
    base, key = st.site_url(), st.actor_key()
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise XapiError(f"Không có thư mục {folder} để ghi tệp kết quả.")
    handle, temporary = tempfile.mkstemp(prefix=".xapi-", suffix=".part", dir=folder)
    count = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            for event in sources.events_between(start, end):
                out.write(json.dumps(st.build(event, base=base, key=key), ensure_ascii=False,
                                     separators=(",", ":")))
                out.write("\n")
                count += 1
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
