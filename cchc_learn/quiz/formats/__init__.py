"""Question-bank formats: our Markdown, Moodle GIFT and JSON, all to and from quiz items."""

from .bank import Bank
from .errors import Problem, QuestionFormatError
from .files import FORMATS, export_bank, format_for_path, parse_bank, read_bank
from .gift import parse_gift
from .gift_export import to_gift
from .jsonfmt import (
    dumps_items,
    item_to_json,
    items_from_json,
    items_to_json,
    loads_items,
    stored_item,
)
from .markdown import parse_markdown
from .markdown_export import to_markdown

__all__ = [
    "FORMATS",
    "Bank",
    "Problem",
    "QuestionFormatError",
    "dumps_items",
    "export_bank",
    "format_for_path",
    "item_to_json",
    "items_from_json",
    "items_to_json",
    "loads_items",
    "parse_bank",
    "parse_gift",
    "parse_markdown",
    "read_bank",
    "stored_item",
    "to_gift",
    "to_markdown",
]
