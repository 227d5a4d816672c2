"""The form every quiz page shares (each sub-package keeps its own forms next to its views)."""

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A bare POST protected by CSRF."""
