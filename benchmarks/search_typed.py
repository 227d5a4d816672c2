"""Search as officials type it: hit@1, hit@5 and MRR@10 per category, before and after.

The data is the repository's own content (content/: the documents and lessons quickstart
loads), synced into a throw-away SQLite database and indexed through the registered
providers, as the application does. The queries are benchmarks/search_typed_queries.yaml:
short document numbers, abbreviations, keyboard leftovers, questions in plain words and
ordinary queries, each with the document number(s) or lesson(s) that answer it.

Three searches run every query:
- after: SearchIndex with its query features (references, dictionary, repair, spelling, kinds);
- before: the same index with features=() — the literal search as it was before them;
- FTS5: SQLite FTS5 (unicode61 remove_diacritics 2, đ folded beforehand) over the same
  documents, every word quoted and OR-ed, ranked by bm25 with the engine's field weights.

    python benchmarks/search_typed.py [--keep DIR] [--show]

--show prints every query with the rank of its first right answer in each search.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cchc_learn.search.documents import IndexDocument  # noqa: E402
from cchc_learn.search.engine import SearchIndex  # noqa: E402

QUERIES = Path(__file__).with_name("search_typed_queries.yaml")
CATEGORIES = ("reference", "abbreviation", "typing", "question", "ordinary")
CUTOFF = 10
SECRET = "benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    """One evaluation query and what answers it."""

    id: str
    category: str
    text: str
    expected: tuple[str, ...]


def load_queries(path: Path = QUERIES) -> list[Query]:
    """Return the evaluation queries; raise ValueError on a malformed entry."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for row in rows:
        if row["category"] not in CATEGORIES or not row["expected"]:
            raise ValueError(f"bad query entry: {row}")
        queries.append(Query(row["id"], row["category"], row["query"], tuple(row["expected"])))
    return queries


def build(work: Path) -> list[IndexDocument]:
    """Sync content/ into a SQLite database in work, build the index; return its documents."""
    from flask_migrate import upgrade

    from cchc_learn import create_app
    from cchc_learn.content.checks import load_tree, sync_tree
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.search import indexer
    from cchc_learn.search.providers import providers

    app = create_app({
        "SECRET_KEY": SECRET,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'app.sqlite'}",
        "SEARCH_INDEX_DIR": str(work / "index"),
        "UPLOAD_DIR": str(work / "uploads"),
        "CONTENT_DIR": str(REPO / "content"),
    })
    with app.app_context():
        declare_write()
        upgrade(directory=app.config["MIGRATIONS_DIR"])
        tree = load_tree(REPO / "content")
        if tree.problems:
            raise RuntimeError(f"content has problems: {tree.problems[:3]}")
        sync_tree(tree, upload_dir=work / "uploads")
        db.session.commit()
        indexer.rebuild()
        docs: list[IndexDocument] = []
        for provider in providers().values():
            if provider.expand is not None:
                continue
            ids = list(provider.all_ids())
            loaded = provider.load(ids)
            docs.extend(doc for doc in (loaded.get(i) for i in ids) if doc is not None)
        db.session.remove()
        db.engine.dispose()
    return docs


def answer_key(kind: str, number: str, url: str) -> list[str]:
    """Return the names an expected answer may use for a hit: its number or its lesson path."""
    if kind == "document":
        return [number]
    return [url.removeprefix("/modules/")]


def _fold_d(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


def build_fts5(path: Path, docs: list[IndexDocument]) -> sqlite3.Connection:
    """Create the FTS5 reference on the same documents (number, title, summary, body)."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(number, title, summary, body, "
        'tokenize = "unicode61 remove_diacritics 2")'
    )
    db.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, kind TEXT, number TEXT, url TEXT)")
    with db:
        for rowid, d in enumerate(docs, 1):
            summary = " ".join([d.summary, d.type, d.issuer, *d.topics])
            db.execute(
                "INSERT INTO docs(rowid, number, title, summary, body) VALUES (?, ?, ?, ?, ?)",
                (rowid, *(_fold_d(t) for t in (d.number, d.title, summary, d.body))),
            )
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)", (rowid, d.kind, d.number, d.url))
    return db


def fts5_search(db: sqlite3.Connection, text: str) -> list[list[str]]:
    """Return the answer keys of the FTS5 top 10 for a folded OR query."""
    words = list(dict.fromkeys(_WORD.findall(_fold_d(text).lower())))[:32]
    if not words:
        return []
    match = " OR ".join(f'"{w}"' for w in words)
    rows = db.execute(
        "SELECT m.kind, m.number, m.url FROM docs JOIN meta m ON m.rowid = docs.rowid "
        "WHERE docs MATCH ? ORDER BY bm25(docs, 3.0, 1.0, 0.7, 1.0) LIMIT ?",
        (match, CUTOFF),
    ).fetchall()
    return [answer_key(*row) for row in rows]


def engine_search(index: SearchIndex) -> Callable[[str], list[list[str]]]:
    """Return a function giving the answer keys of the engine's top 10."""

    def run(text: str) -> list[list[str]]:
        hits = index.search(text, per_page=CUTOFF).hits
        return [answer_key(h.kind, h.number, h.url) for h in hits]

    return run


def first_rank(found: list[list[str]], expected: tuple[str, ...]) -> int | None:
    """Return the 1-based rank of the first right answer, or None."""
    for rank, names in enumerate(found, 1):
        if any(name in expected for name in names):
            return rank
    return None


def evaluate(queries: list[Query], run: Callable[[str], list[list[str]]]) -> dict[str, list]:
    """Return, per category (and "all"), the rank of each query's first right answer."""
    ranks: dict[str, list] = {c: [] for c in (*CATEGORIES, "all")}
    for query in queries:
        rank = first_rank(run(query.text), query.expected)
        ranks[query.category].append(rank)
        ranks["all"].append(rank)
    return ranks


def summary(ranks: list) -> tuple[float, float, float]:
    """Return hit@1, hit@5 and MRR@10 of a list of ranks."""
    n = len(ranks) or 1
    hit1 = sum(1 for r in ranks if r == 1) / n
    hit5 = sum(1 for r in ranks if r is not None and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r is not None and r <= CUTOFF) / n
    return hit1, hit5, mrr


def check_expected(queries: list[Query], docs: list[IndexDocument]) -> list[str]:
    """Return the expected answers that name nothing in the content (typos in the set)."""
    known = {name for d in docs for name in answer_key(d.kind, d.number, d.url)}
    return [f"{q.id}: {e}" for q in queries for e in q.expected if e not in known]


def main(argv: list[str] | None = None) -> int:
    """Build the index from content/, run the three searches, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build into this (new or empty) folder")
    parser.add_argument("--show", action="store_true", help="print every query's ranks")
    args = parser.parse_args(argv)
    queries = load_queries()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        docs = build(work)
        print(f"{len(docs)} documents and lessons indexed in {time.perf_counter() - started:.0f} s")
        unknown = check_expected(queries, docs)
        if unknown:
            print("expected answers not in the content:", *unknown, sep="\n  ")
            return 1
        after = SearchIndex(work / "index")
        before = SearchIndex(work / "index", features=())
        fts = build_fts5(work / "fts5.sqlite", docs)
        systems = {
            "before": engine_search(before),
            "after": engine_search(after),
            "FTS5 OR": lambda text: fts5_search(fts, text),
        }
        results = {name: evaluate(queries, run) for name, run in systems.items()}
        if args.show:
            for i, query in enumerate(queries):
                ranks = " ".join(f"{name}={results[name]['all'][i]}" for name in systems)
                print(f"{query.id:<6} {query.category:<12} {ranks:<34} {query.text}")
        counts = {c: sum(1 for q in queries if q.category == c) for c in CATEGORIES}
        print(f"{len(queries)} queries; hit@1 / hit@5 / MRR@10")
        print("| category | queries | " + " | ".join(systems) + " |")
        print("|---|---|" + "---|" * len(systems))
        for category in (*CATEGORIES, "all"):
            n = counts.get(category, len(queries))
            cells = [
                "{:.2f} / {:.2f} / {:.2f}".format(*summary(results[name][category]))
                for name in systems
            ]
            print(f"| {category} | {n} | " + " | ".join(cells) + " |")
        fts.close()
        before.close()
        after.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
