"""The admin blueprint, shared by the modules that hold its views."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
