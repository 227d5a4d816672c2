"""Admin pages for the unit tree: list, create, edit, move."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles_required
from ..auth.models import User
from ..extensions import db
from ..org import accounts
from ..org import service as org_service
from ..org.models import Unit
from .blueprint import bp
from .choices import unit_choices
from .forms import MoveUnitForm, UnitForm


def _actor() -> User:
    return db.session.get(User, current_user.id)


def _load_unit(unit_id: int) -> Unit:
    return db.get_or_404(Unit, unit_id)


@bp.route("/units")
@roles_required("admin")
def list_units():
    counts = org_service.member_counts()
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
            unit = accounts.create_unit(
                form.code.data,
                form.name.data,
                form.level.data,
                parent_code=form.parent.data,
                valid_from=form.valid_from.data,
                actor=_actor(),
            )
        except org_service.OrgError as exc:
            error = str(exc)
        else:
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
            accounts.update_unit(unit, name=form.name.data, level=form.level.data, actor=_actor())
        except org_service.OrgError as exc:
            error = str(exc)
        else:
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
        accounts.move_unit(unit, move.parent.data, on=move.on.data, actor=_actor())
    except org_service.OrgError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Đã chuyển đơn vị {unit.name}.", "success")
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))
