"""GIFT text rules of the reader: escapes hidden while parsing, format tags and categories."""

from __future__ import annotations

import re

from ..questions import BLANKS
from ..questions.notation import FORMAT_TAG, GIFT_ESCAPE

# Control characters never survive into parsed text, so one can stand in for an escaped pair
# and keep every offset of the masked copy equal to the original's.
_HIDDEN = "\x01\x01"
_CATEGORY_ROOT = re.compile(r"^\$[a-z0-9]+\$/?")
CATEGORY_PREFIX = "$course$/top"


def mask(text: str) -> str:
    """Return text with every escape pair hidden, so structure can be searched by offset."""
    return GIFT_ESCAPE.sub(_HIDDEN, text)


def split_format(raw: str) -> tuple[str | None, str]:
    """Split a leading `[html]`-style tag off raw GIFT text; the tag is None when absent."""
    raw = raw.strip(" \t\n")
    match = FORMAT_TAG.match(raw)
    if match is None:
        return None, raw
    return match[1], raw[match.end() :]


def topic_from_category(path: str) -> str:
    """Turn a `$CATEGORY:` path such as `$course$/top/PAPI` into the topic `PAPI`."""
    path = _CATEGORY_ROOT.sub("", path.strip(BLANKS), count=1)
    if path == "top":
        return ""
    return path.removeprefix("top/").strip(BLANKS)


def category_for_topic(topic: str) -> str:
    """Return the `$CATEGORY:` path that reads back as topic."""
    return f"{CATEGORY_PREFIX}/{topic}" if topic else CATEGORY_PREFIX
