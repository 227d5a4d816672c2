"""The classes report as tables: the page's downloads (CSV per table, XLSX with both)."""

from __future__ import annotations

from ..reports.tables import Column, Table
from ..timefmt import vn_date, vn_datetime
from .class_report import ClassesReport, Figures

TABLES = {"units": "Theo đơn vị", "classes": "Theo lớp"}
TOTAL = "Tổng cộng"


def title(report: ClassesReport) -> str:
    """The report's title with its period."""
    return (f"Báo cáo lớp bồi dưỡng từ {vn_date(report.period.first)} đến "
            f"{vn_date(report.period.last)}")


def notes(report: ClassesReport) -> list[str]:
    """What the figures cover, under the title."""
    plan = (f"Các lớp phục vụ kế hoạch “{report.plan.title}” ({report.plan.slug})"
            if report.plan else "Mọi lớp bồi dưỡng")
    scope = (f"người thuộc {report.scope.name} ({report.scope.code}) và các đơn vị trực thuộc"
             if report.scope else "mọi đơn vị")
    out = [
        f"{plan}; {scope}; mỗi người tính ở đơn vị mình thuộc vào ngày "
        f"{vn_date(report.period.last)}.",
        "Lớp đã tổ chức: có ít nhất một buổi học trong kỳ. Lượt: mỗi người mỗi lớp đạt số buổi "
        "yêu cầu trong kỳ. Tỷ lệ chuyên cần: có mặt hoặc đến muộn trên mọi lượt người × buổi "
        "học đã diễn ra trong kỳ.",
    ]
    if report.plan:
        out.append(
            "Được bồi dưỡng qua lớp: đối tượng của kế hoạch vào ngày cuối kỳ đã tham dự một lớp "
            f"phục vụ kế hoạch từ {vn_date(report.plan.starts)} đến {vn_date(report.period.last)}."
        )
    out.append(f"Lập lúc {vn_datetime(report.generated_at)}.")
    return out


def _measures(report: ClassesReport) -> list[Column]:
    columns = [
        Column("Lớp đã tổ chức", "count"),
        Column("Lượt tham dự", "count"),
        Column("Số người", "count"),
        Column("Tỷ lệ chuyên cần (%)", "share"),
    ]
    if report.plan:
        columns.append(Column("Được bồi dưỡng qua lớp (người)", "count"))
    return columns


def _values(report: ClassesReport, f: Figures) -> list:
    values = [f.classes, f.participations, f.people, f.rate]
    return values + [f.trained] if report.plan else values


def table(report: ClassesReport, which: str) -> Table:
    """One of TABLES (units with a total line, or the classes)."""
    if which == "units":
        out = Table(f"{title(report)} — theo đơn vị", TABLES["units"],
                    [Column("Đơn vị"), Column("Mã đơn vị"), *_measures(report)], notes(report))
        for line in report.units:
            out.rows.append([line.name, line.code, *_values(report, line.figures)])
            out.depths.append(line.depth)
        out.rows.append([TOTAL, "", *_values(report, report.total)])
        out.depths.append(0)
        return out
    out = Table(f"{title(report)} — theo lớp", TABLES["classes"],
                [Column("Lớp"), Column("Hình thức"), Column("Buổi học trong kỳ", "count"),
                 Column("Buổi đầu"), Column("Buổi cuối"), *_measures(report)[1:]],
                notes(report))  # fmt: skip
    for line in report.classes:
        out.rows.append([line.title, line.format_label, line.sessions, vn_date(line.first),
                         vn_date(line.last), *_values(report, line.figures)[1:]])
    return out
