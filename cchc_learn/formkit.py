"""Small pieces every feature's forms share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from .numbers import vi_count
from .textnorm import SLUG_MAX_LENGTH, SLUG_RE, SLUG_RULE

try:
    from wtforms import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    SelectChoice = None


def choice_list(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    """Select choices from (value, label) pairs, in the form this WTForms takes without warning."""
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


# The quoted file name in a multipart part's Content-Disposition, read as the browser sent it.
# Werkzeug ≥ 3.1.9 reads backslashes there as escapes, so "C:\dir\x.csv" reaches
# FileStorage.filename as "C:dirx.csv"; browsers send backslashes literally and write a quote
# as %22 (HTML's multipart rules), so the raw value keeps the path separators.
_RAW_FILENAME = re.compile(r'(?:^|;)[ \t]*filename[ \t]*=[ \t]*"(.*?)"[ \t]*(?:;|$)', re.I)
UPLOAD_FALLBACK_NAME = "tep-tai-len"


def upload_name(upload: Any) -> str:
    """The name of an uploaded file as a person should see it: its last path component only.

    Whatever the browser sent (``C:\\Users\\…\\x.csv``, ``/home/…/x.csv`` or a bare name), only
    the part after the last slash or backslash is kept, without control, format (bidi) or
    private-use characters, NFC-normalised and at most 255 characters. Shown to people and
    written in logs; never used as a path.
    """
    raw = None
    headers = getattr(upload, "headers", None)
    disposition = headers.get("Content-Disposition") if headers is not None else None
    if disposition and "filename*" not in disposition.lower():
        match = _RAW_FILENAME.search(disposition)
        if match:
            raw = match.group(1).replace("%22", '"').replace('\\"', '"')
    if raw is None:
        raw = getattr(upload, "filename", None) or ""
    return tidy_file_name(raw)


def tidy_file_name(raw: str) -> str:
    """The last component of a client-side path, fit to show (see :func:`upload_name`)."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = unicodedata.normalize("NFC", name).strip()
    return name[:255] or UPLOAD_FALLBACK_NAME


# Date pickers send ISO dates; browsers without one let people type dd/mm/yyyy.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class ActionForm(FlaskForm):
    """A bare POST (restore, lock, reset, confirm…) protected by CSRF."""


class CheckboxList(SelectMultipleField):
    """Several checkboxes for one multi-valued field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def text_field(
    label: str,
    max_length: int,
    *,
    required: str | None = None,
    name: str | None = None,
    area: bool = False,
) -> Field:
    """A text field with Vietnamese messages (WTForms ships none).

    `required` is the message for an empty field (None: the field is optional); the length
    message names the field `name` (default: the label): "Họ và tên: tối đa 200 ký tự."
    """
    too_long = f"{name or label}: tối đa {vi_count(max_length)} ký tự."
    length = Length(max=max_length, message=too_long)
    validators = [DataRequired(required) if required else Optional(), length]
    return (TextAreaField if area else StringField)(label, validators=validators)


def slug_field(label: str, *, required: str | None = None) -> Field:
    """A slug field: the one slug rule (`textnorm.SLUG_RE`), worded as every form words it."""
    too_long = f"{label}: tối đa {SLUG_MAX_LENGTH} ký tự."
    return StringField(
        label,
        validators=[
            DataRequired(required) if required else Optional(),
            Length(max=SLUG_MAX_LENGTH, message=too_long),
            Regexp(SLUG_RE, message=f"{label}: {SLUG_RULE}."),
        ],
    )


def whole_number_field(
    label: str,
    low: int,
    high: int,
    *,
    required: str,
    name: str,
    unit: str = "",
    default: int | None = None,
) -> Field:
    """A required whole number from low to high, with Vietnamese messages naming it `name`.

    `unit` (e.g. "phút") follows the range: "Thời lượng: từ 1 đến 600 phút."
    """
    in_unit = f" {unit}" if unit else ""
    of_unit = f" (số {unit})" if unit else ""
    return IntegerField(
        label,
        default=default,
        validators=[
            InputRequired(required),
            NumberRange(low, high, message=f"{name}: từ {low} đến {high}{in_unit}."),
        ],
        invalid_value_message=f"{name} phải là một số nguyên{of_unit}.",
    )
