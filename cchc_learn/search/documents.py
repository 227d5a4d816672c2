"""What callers hand to the index: upserts and deletes, and how an upsert becomes fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cchc_learn.search.analysis import index_terms, normalize_text
from cchc_learn.search.schema import AUDIENCE_FIELD, NUMBER_FIELD, PAIRS_FIELD, PLAIN_FIELD

# Everyone may see an item carrying this audience token.
PUBLIC = "public"


@dataclass(frozen=True)
class IndexDocument:
    """An item to add or replace in the index, identified by key (e.g. "document:42").

    audience holds the tokens of who may see the item (e.g. "public", "role:moderator",
    "user:7"); a search restricted by visible_to finds it only if the two share a token.
    """

    key: str
    kind: str
    id: int | str
    title: str
    number: str = ""
    summary: str = ""
    body: str = ""
    type: str = ""
    issuer: str = ""
    year: int | str | None = None
    topics: tuple[str, ...] = ()
    url: str = ""
    audience: tuple[str, ...] = (PUBLIC,)
    updated: datetime | None = None


@dataclass(frozen=True)
class IndexDelete:
    """Remove the item with this key from the index (nothing happens if it is absent)."""

    key: str


IndexOp = IndexDocument | IndexDelete


def clean_values(values: Iterable[str]) -> list[str]:
    """Return the distinct non-empty values, NFC, trimmed and with single spaces."""
    seen: dict[str, None] = {}
    for value in values:
        text = " ".join(normalize_text(str(value)).split())
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _one_value(value: str) -> str:
    """Clean a single facet value like clean_values does ("" when empty)."""
    cleaned = clean_values([value])
    return cleaned[0] if cleaned else ""


def document_fields(doc: IndexDocument) -> dict[str, Any]:
    """Return the keyword arguments for Writer.add_document/update_document."""
    if not doc.key:
        raise ValueError("an indexed item needs a key")
    texts = {
        NUMBER_FIELD: normalize_text(doc.number),
        "title": normalize_text(doc.title),
        "summary": normalize_text(doc.summary),
        "body": normalize_text(doc.body),
    }
    fields: dict[str, Any] = {
        "key": doc.key,
        "kind": doc.kind,
        "item_id": doc.id,
        "url": doc.url,
        "updated": doc.updated.isoformat() if doc.updated else None,
        "type": _one_value(doc.type),
        "issuer": _one_value(doc.issuer),
        "year": _one_value("" if doc.year is None else str(doc.year)),
    }
    topics = clean_values(doc.topics)
    fields["topic"] = topics
    fields["_stored_topic"] = topics
    fields[AUDIENCE_FIELD] = clean_values(doc.audience)
    all_plain: list[str] = []
    all_pairs: list[str] = []
    for name, text in texts.items():
        # Pre-analysed token lists bypass the field analyzers: one pass over each text
        # yields all three forms instead of three separate tokenisations.
        dual, plain, pairs = index_terms(text)
        if name == "summary":
            # Type, issuer and topics are searchable words too, weighted like the summary.
            for value in (fields["type"], fields["issuer"], *topics):
                more = index_terms(value)
                dual += more[0]
                plain += more[1]
                pairs += more[2]
        fields[name] = dual
        fields["_stored_" + name] = text
        all_plain.extend(plain)
        all_pairs.extend(pairs)
    fields[PLAIN_FIELD] = all_plain
    fields[PAIRS_FIELD] = all_pairs
    # A stored value stays even when empty: it keeps the token list from being stored instead.
    return {
        name: value
        for name, value in fields.items()
        if name.startswith("_stored_") or value not in ("", None, [])
    }
