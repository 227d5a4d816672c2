"""Admin pages for the unit tree: list, create, edit, move."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..access import roles_required
from ..auth.models import User
from ..clock import local_today
from ..extensions import db
from ..org import service as org_service
from ..org.models import Membership, Unit
from .choices import unit_choices
from .forms import MoveUnitForm, UnitForm
from .views import bp


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _load_unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


@bp.route("/units")
@roles_required("admin")
def list_units():
    today = local_today()
    counts = dict(
        db.session.execute(
            select(Membership.unit_id, func.count(Membership.id))
            .where(
                Membership.valid_from <= today,
                (Membership.valid_to.is_(None)) | (Membership.valid_to >= today),
            )
            .group_by(Membership.unit_id)
        ).all()
    )
    nodes = org_service.flatten(org_service.tree())
    return render_template("admin/units.html", nodes=nodes, counts=counts)


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required("admin")
def create_unit():
    form = UnitForm()
    form.parent.choices = unit_choices(blank="(Không có — đơn vị gốc)")
    if request.method == "GET" and request.args.get("parent"):
        form.parent.data = request.args["parent"]
    error = None
    if form.validate_on_submit():
        try:
            parent = org_service.get_by_code(form.parent.data) if form.parent.data else None
            unit = org_service.create_unit(
                form.code.data,
                form.name.data,
                form.level.data,
                parent,
                valid_from=form.valid_from.data,
                actor=_actor(),
            )
        except org_service.OrgError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(f"Đã tạo đơn vị {unit.name}.", "success")
            return redirect(url_for("admin.list_units"))
    return render_template("admin/unit_form.html", form=form, error=error, unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_unit(unit_id: int):
    unit = _load_unit(unit_id)
    form = UnitForm(obj=unit)
    form.parent.choices = unit_choices(blank="(Không có — đơn vị gốc)")
    form.code.data = unit.code  # codes are stable identifiers
    form.parent.data = unit.parent.code if unit.parent else ""
    move = MoveUnitForm(prefix="move")
    move.parent.choices = form.parent.choices
    if request.method == "GET":
        move.parent.data = form.parent.data
    error = None
    if form.validate_on_submit():
        try:
            org_service.update_unit(
                unit, name=form.name.data, level=form.level.data, actor=_actor()
            )
        except org_service.OrgError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(f"Đã lưu đơn vị {unit.name}.", "success")
            return redirect(url_for("admin.list_units"))
    return render_template("admin/unit_form.html", form=form, move=move, error=error, unit=unit)


@bp.route("/units/<int:unit_id>/move", methods=["POST"])
@roles_required("admin")
def move_unit(unit_id: int):
    unit = _load_unit(unit_id)
    move = MoveUnitForm(prefix="move")
    move.parent.choices = unit_choices(blank="(Không có — đơn vị gốc)")
    if not move.validate_on_submit():
        problems = [error for errors in move.errors.values() for error in errors]
        flash(" ".join(["Không chuyển được đơn vị.", *problems]), "error")
        return redirect(url_for("admin.edit_unit", unit_id=unit.id))
    try:
        parent = org_service.get_by_code(move.parent.data) if move.parent.data else None
        org_service.move_unit(unit, parent, on=move.on.data, actor=_actor())
    except org_service.OrgError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(f"Đã chuyển đơn vị {unit.name}.", "success")
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))
