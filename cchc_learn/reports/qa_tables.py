"""The Q&A report as tables for the page's downloads."""

from __future__ import annotations

from ..timefmt import vn_date, vn_datetime
from .qa_figures import QaReport, Row
from .tables import Column, Table

MEASURES = [
    Column("Câu hỏi đã nhận", "count"),
    Column("Đã trả lời", "count"),
    Column("Trả lời đúng hạn", "count"),
    Column("Tỷ lệ trả lời đúng hạn (%)", "share"),
    Column("Trung vị thời gian trả lời lần đầu (ngày làm việc)", "days"),
    Column("Phân vị 90 thời gian trả lời lần đầu (ngày làm việc)", "days"),
    Column("Đang tồn đọng", "count"),
    Column("Quá hạn hiện tại", "count"),
]
TABLES = {"units": "Theo đơn vị của người hỏi", "moderators": "Theo người giải đáp"}
TOTAL = "Tổng cộng"


def title(report: QaReport) -> str:
    """The report's title with its period."""
    return (f"Báo cáo kênh hỏi đáp từ {vn_date(report.period.first)} đến "
            f"{vn_date(report.period.last)}")


def notes(report: QaReport) -> list[str]:
    """What the figures cover, under the title."""
    scope = (f"Câu hỏi được phân công cho {report.scope}" if report.scope
             else "Toàn bộ câu hỏi (trừ câu hỏi đã ẩn)")
    if report.unit is not None:
        scope += f"; người hỏi thuộc {report.unit.name} và các đơn vị trực thuộc"
    return [
        f"Phạm vi: {scope}.",
        f"Lập lúc {vn_datetime(report.generated_at)}; tồn đọng và quá hạn tính tại thời điểm "
        "này; tỷ lệ đúng hạn tính trên số câu hỏi đã trả lời.",
    ]


def _values(row: Row) -> list:
    f = row.figures
    return [row.label, f.asked, f.answered, f.on_time, f.on_time_share, f.median, f.p90,
            f.backlog, f.overdue]


def table(report: QaReport, which: str) -> Table:
    """One of TABLES, with a total line."""
    first = Column("Đơn vị" if which == "units" else "Người giải đáp")
    rows = report.units if which == "units" else report.moderators
    out = Table(f"{title(report)} — {TABLES[which].lower()}", TABLES[which], [first, *MEASURES],
                notes(report))
    for row in rows:
        out.rows.append(_values(row))
        out.depths.append(row.depth)
    out.rows.append(_values(Row(TOTAL, report.total)))
    out.depths.append(0)
    return out
