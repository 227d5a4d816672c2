"""Report pages: /reports/qa and its downloads."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from ..access import roles_required
from ..org import service as org_service
from ..sheets import XLSX_TYPE
from . import VIEWERS, qa_tables, tables
from .period import ReportError, read_period, read_unit
from .qa_figures import qa_report as build_qa_report

bp = Blueprint("qa_reports", __name__, url_prefix="/reports")


def _arg(name: str, limit: int = 40) -> str:
    return (request.args.get(name) or "").strip()[:limit]


def _inputs() -> dict[str, str]:
    return {"from": _arg("from"), "to": _arg("to"), "unit": _arg("unit")}


def _build(inputs: dict[str, str]):
    period = read_period(inputs["from"], inputs["to"])
    unit = read_unit(inputs["unit"])
    return build_qa_report(current_user._get_current_object(), period, unit)


def _page(inputs: dict[str, str], report=None, error: str | None = None):
    units = [(node.unit.id, node.unit.name, node.depth)
             for node in org_service.flatten(org_service.tree())]
    args = {k: v for k, v in {
        "from": report.period.first.isoformat() if report else inputs["from"],
        "to": report.period.last.isoformat() if report else inputs["to"],
        "unit": inputs["unit"]}.items() if v}
    return render_template("reports/qa.html", report=report, error=error, inputs=inputs,
                           units=units, args=args, tables=qa_tables.TABLES,
                           title=qa_tables.title(report) if report else None,
                           notes=qa_tables.notes(report) if report else []), (
        400 if error else 200)


@bp.route("/qa")
@roles_required(*VIEWERS)
def qa_report():
    inputs = _inputs()
    try:
        report = _build(inputs)
    except ReportError as exc:
        return _page(inputs, error=str(exc))
    return _page(inputs, report)


@bp.route("/qa/download")
@roles_required(*VIEWERS)
def qa_download():
    inputs = _inputs()
    fmt = "csv" if _arg("format", 10) == "csv" else "xlsx"
    which = _arg("table", 20) if _arg("table", 20) in qa_tables.TABLES else "units"
    try:
        report = _build(inputs)
    except ReportError as exc:
        return _page(inputs, error=str(exc))
    name = f"bao-cao-hoi-dap-{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}"
    if fmt == "csv":
        body = tables.to_csv(qa_tables.table(report, which))
        name, mimetype = f"{name}-{which}.csv", tables.CSV_TYPE
    else:
        body = tables.to_xlsx([qa_tables.table(report, t) for t in qa_tables.TABLES])
        name, mimetype = f"{name}.xlsx", XLSX_TYPE
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
