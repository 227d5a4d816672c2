"""The Whoosh schema of the search index and the names of its fields."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from cchc_learn.search.analysis import DUAL, PAIRS, PLAIN, VietnameseTokenizer

# Fields searched for words. An accented query word matches only itself there, an
# unaccented one matches every accented variant too. They store frequencies, not positions:
# reading positions costs several times more per posting; phrases and numbers use PAIRS_FIELD.
WORD_FIELDS = ("number", "title", "summary", "body")
# Words written without any diacritic, from all word fields: an unaccented query word found
# here is an exact match and outscores one found only in folded form.
PLAIN_FIELD = "plain"
# Adjacent word pairs (folded) from all word fields: phrases and the proximity bonus look
# pairs up here instead of checking positions.
PAIRS_FIELD = "pairs"
NUMBER_FIELD = "number"
# Facets and filters; "topic" holds several values per item.
FACET_FIELDS = ("kind", "type", "issuer", "year", "topic")
AUDIENCE_FIELD = "audience"


def _unscored_text(tokenizer: VietnameseTokenizer) -> TEXT:
    """Return a frequency-only text field that keeps no per-document lengths.

    Writing lengths costs a lookup per posting; these fields are normalised by the
    lengths of the word fields instead.
    """
    fieldtype = TEXT(analyzer=tokenizer, phrase=False)
    fieldtype.scorable = False
    return fieldtype


def build_schema() -> Schema:
    """Return the schema every index generation is created with."""
    fields = {
        "key": ID(stored=True, unique=True),
        "kind": ID(stored=True),
        "item_id": STORED(),
        "url": STORED(),
        "updated": STORED(),
        "type": ID(stored=True),
        "issuer": ID(stored=True),
        "year": ID(stored=True),
        "topic": KEYWORD(stored=True, commas=True, scorable=False),
        AUDIENCE_FIELD: KEYWORD(commas=True, scorable=False),
        NUMBER_FIELD: TEXT(analyzer=VietnameseTokenizer(DUAL), stored=True, phrase=False),
        PLAIN_FIELD: _unscored_text(VietnameseTokenizer(PLAIN)),
        PAIRS_FIELD: _unscored_text(VietnameseTokenizer(PAIRS)),
    }
    for name in WORD_FIELDS[1:]:
        fields[name] = TEXT(analyzer=VietnameseTokenizer(DUAL), stored=True, phrase=False)
    return Schema(**fields)
