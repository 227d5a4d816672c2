"""/reports/classes and its downloads (admins: every unit; focal points: their subtree)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from ..access import roles_required
from ..reports import tables
from ..sheets import XLSX_TYPE
from . import class_tables, service
from .class_report import NotVisible, ReportError, classes_report, default_period, unit_choices

bp = Blueprint("class_reports", __name__, url_prefix="/reports")
READERS = ("admin", "focal")


def _arg(name: str, limit: int = 40) -> str:
    return (request.args.get(name) or "").strip()[:limit]


def _inputs() -> dict[str, str]:
    return {"from": _arg("from"), "to": _arg("to"), "plan": _arg("plan", 101),
            "unit": _arg("unit")}  # fmt: skip


def _reader() -> dict:
    if current_user.has_role("admin"):
        return {"within": None, "restricted": False}
    return {"within": service.focal_unit(current_user.id), "restricted": True}


def _build(inputs: dict[str, str], reader: dict):
    """The report asked for; 404 for a unit the reader may not see."""
    try:
        return classes_report(inputs["from"], inputs["to"], inputs["plan"], inputs["unit"],
                              **reader), None  # fmt: skip
    except NotVisible:
        abort(404)
    except ReportError as exc:
        return None, str(exc)


def _page(inputs: dict[str, str], reader: dict, report=None, error: str | None = None):
    first, last = default_period()
    args = {k: v for k, v in {
        "from": report.period.first.isoformat() if report else inputs["from"],
        "to": report.period.last.isoformat() if report else inputs["to"],
        "plan": inputs["plan"], "unit": inputs["unit"]}.items() if v}
    return render_template(
        "plans/classes_report.html", report=report, error=error, inputs=inputs, args=args,
        plans=service.list_plans(), units=unit_choices(**reader),
        restricted=reader["restricted"], focal_unit=reader["within"],
        default_first=first, default_last=last,
        title=class_tables.title(report) if report else None,
        notes=class_tables.notes(report) if report else [],
    ), (400 if error else 200)


@bp.route("/classes")
@roles_required(*READERS)
def classes_report_page():
    inputs, reader = _inputs(), _reader()
    report, error = _build(inputs, reader)
    return _page(inputs, reader, report, error)


@bp.route("/classes/download")
@roles_required(*READERS)
def classes_download():
    inputs, reader = _inputs(), _reader()
    fmt = "csv" if _arg("format", 10) == "csv" else "xlsx"
    which = _arg("table", 20) if _arg("table", 20) in class_tables.TABLES else "units"
    report, error = _build(inputs, reader)
    if report is None:
        return _page(inputs, reader, error=error)
    name = f"bao-cao-lop-{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}"
    if fmt == "csv":
        body = tables.to_csv(class_tables.table(report, which))
        name, mimetype = f"{name}-{which}.csv", tables.CSV_TYPE
    else:
        body = tables.to_xlsx([class_tables.table(report, t) for t in class_tables.TABLES])
        name, mimetype = f"{name}.xlsx", XLSX_TYPE
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
