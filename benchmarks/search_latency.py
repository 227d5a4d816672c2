"""Search latency: the Whoosh engine against SQLite FTS5 on the same documents and queries.

Documents (10,998): the 5,424 Pháp điển articles of ../shared/corpus/phapdien twice, with
distinct keys, plus the 150 whole documents of ../shared/corpus/vanban-2025 with their
numbers, types, issuers and years. Queries (40 per kind, drawn reproducibly from the
retrieval-bench questions and the vanban numbers): one word, several words (three), a
quoted phrase (two to four words), several words without diacritics, a document number
(as written, folded, lower case), a short reference ("qđ 2519", "nghị định 118 năm 2025"), an
abbreviation from the search dictionary with two words, three words typed in Telex with the
input method off ("cair cachs hanhf"; FTS5 runs the words meant, as it cannot repair them).

Both sides produce the same page: the top 10 with a snippet, the total, and counts for kind,
type, issuer, year and topic. Whoosh runs through SearchIndex.search with its searcher kept
open (--no-cache turns off its cache of decoded postings). FTS5 uses tokenize "unicode61
remove_diacritics 2" with đ folded beforehand, every word quoted, words AND-ed; it runs a
ranked top-10 query, then a pass over the matches for the counts (the top-10 query alone is
shown too). Each query runs once to warm up, then --repeat times; the table shows p50/p95
per kind and the Whoosh/FTS5 ratio at p95.

    python benchmarks/search_latency.py [--repeat 3] [--procs 2] [--keep DIR] [--no-cache]
                                        [--without-features]
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_relevance import corpus_dir, load_articles, load_queries, read_jsonl  # noqa: E402

from cchc_learn.search.dictionary import load as load_dictionary  # noqa: E402
from cchc_learn.search.documents import IndexDocument  # noqa: E402
from cchc_learn.search.engine import SearchIndex  # noqa: E402

KINDS = (
    "one word",
    "several words",
    "phrase",
    "unaccented",
    "document number",
    "short reference",
    "abbreviation",
    "Telex leftovers",
)
PER_KIND = 40
TARGET_RATIO = 5.0
_WORD = re.compile(r"\w+")


def load_documents(corpus: Path) -> list[IndexDocument]:
    """Return Pháp điển twice (distinct keys) and the vanban-2025 documents."""
    articles = load_articles(corpus)
    copies = [replace(a, key=a.key + "-b", id=f"{a.id}-b") for a in articles]
    vanban = [
        IndexDocument(
            key=f"document:vb-{row['id']}",
            kind="document",
            id=row["id"],
            title=f"{row['loai']} {row['so_hieu']}",
            number=row["so_hieu"],
            summary=row["trich_yeu"],
            body=(corpus / "vanban-2025" / row["file"]).read_text(encoding="utf-8"),
            type=row["loai"],
            issuer=row["co_quan_ban_hanh"],
            year=row["ngay_ban_hanh"][:4],
            topics=tuple(row["tu_khoa_khop"]),
        )
        for row in read_jsonl(corpus / "vanban-2025" / "index.jsonl")
    ]
    return articles + copies + vanban


def make_queries(corpus: Path) -> dict[str, list[str]]:
    """Return PER_KIND queries of each kind, the same on every run."""
    rng = random.Random(7)
    bench = load_queries(corpus)
    accented = [_WORD.findall(q["text"]) for q in bench]
    folded = [_WORD.findall(q["text_khong_dau"]) for q in bench]

    def windows(texts: list[list[str]], size: int) -> list[str]:
        picked = []
        while len(picked) < PER_KIND:
            words = rng.choice(texts)
            if len(words) >= size:
                start = rng.randrange(len(words) - size + 1)
                picked.append(" ".join(words[start : start + size]))
        return picked

    singles = sorted({w.lower() for words in accented for w in words if w.isalpha()})
    numbers = [row["so_hieu"] for row in read_jsonl(corpus / "vanban-2025" / "index.jsonl")]
    forms = (str, lambda n: n.replace("Đ", "D").replace("đ", "d"), str.lower)
    queries = {
        "one word": rng.sample(singles, PER_KIND),
        "several words": windows(accented, 3),
        "phrase": [f'"{w}"' for w in windows(accented, rng.choice((2, 3, 4)))],
        "unaccented": windows(folded, 3),
        "document number": [forms[i % 3](n) for i, n in enumerate(rng.sample(numbers, PER_KIND))],
    }
    # The shapes the query features read draw from their own generator: the kinds above stay
    # the same queries as before these were added.
    rng = random.Random(11)
    rows = list(read_jsonl(corpus / "vanban-2025" / "index.jsonl"))
    references = []
    for row in rng.sample(rows, PER_KIND):
        serial = row["so_hieu"].split("/")[0].lstrip("0")
        code = row["so_hieu"].split("/")[-1].split("-")[0]
        typed = rng.choice((row["loai"].lower(), code.lower(), _unaccent(row["loai"].lower())))
        year = f" năm {row['ngay_ban_hanh'][:4]}" if rng.random() < 0.3 else ""
        references.append(f"{typed} {serial}{year}")
    dictionary = load_dictionary()
    shorts = [e.forms[0] for e in dictionary.entries if e.section == "abbreviations"]
    queries["short reference"] = references
    queries["abbreviation"] = [f"{rng.choice(shorts)} {w}" for w in windows(accented, 2)]
    meant = windows(accented, 3)
    queries["Telex leftovers"] = [" ".join(_telex(w) for w in q.split()) for q in meant]
    MEANT.update(zip(queries["Telex leftovers"], meant, strict=True))
    return queries


# What a Telex query meant: FTS5 cannot repair one (it finds nothing, at once), so its page
# for the words meant is the reference the engine's repaired search is held to.
MEANT: dict[str, str] = {}


_TELEX_QUALITY = {"\u0302": None, "\u0306": "w", "\u031b": "w"}
_TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def _telex(word: str) -> str:
    """Return the keys typed for a word in Telex (đ dd, â aa, ư uw, tone key at the end)."""
    keys, tone = [], ""
    for ch in unicodedata.normalize("NFD", word.lower().replace("đ", "dd")):
        if ch in _TELEX_TONES:
            tone = _TELEX_TONES[ch]
        elif ch in _TELEX_QUALITY:
            keys.append(keys[-1] if _TELEX_QUALITY[ch] is None else "w")
        else:
            keys.append(ch)
    return "".join(keys) + tone


def _unaccent(text: str) -> str:
    """Return text without diacritics (đ as d)."""
    text = unicodedata.normalize("NFD", _fold_d(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _fold_d(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


def build_fts5(path: Path, docs: list[IndexDocument]) -> sqlite3.Connection:
    """Create the FTS5 reference database on the same documents."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE VIRTUAL TABLE docs USING fts5(
            number, title, summary, body, tokenize = "unicode61 remove_diacritics 2");
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, key TEXT, kind TEXT, type TEXT,
                          issuer TEXT, year TEXT);
        CREATE TABLE topic(rowid INTEGER, value TEXT);
        CREATE INDEX topic_rowid ON topic(rowid);
        """
    )
    with db:
        for rowid, d in enumerate(docs, 1):
            db.execute(
                "INSERT INTO docs(rowid, number, title, summary, body) VALUES (?, ?, ?, ?, ?)",
                (rowid, *(_fold_d(t) for t in (d.number, d.title, d.summary, d.body))),
            )
            db.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                (rowid, d.key, d.kind, d.type, d.issuer, str(d.year or "")),
            )
            db.executemany("INSERT INTO topic VALUES (?, ?)", [(rowid, t) for t in d.topics])
    return db


def fts5_match(query: str) -> str:
    """Translate a query into FTS5 syntax: quoted words AND-ed, or one quoted phrase."""
    words = _WORD.findall(_fold_d(query))
    if query.startswith('"') or re.search(r"\d+[/-]", query):
        return '"' + " ".join(words) + '"'
    return " ".join(f'"{w}"' for w in words)


def fts5_page(db: sqlite3.Connection, query: str, full: bool = True) -> int:
    """Run the FTS5 page for a query; return the total (or the top-10 size).

    The page is the top 10 with snippets, then a pass over the matches for the total and the
    facet counts (kind, type, issuer, year from meta; one more for topics).
    """
    match = fts5_match(query)
    top = db.execute(
        "SELECT m.key, snippet(docs, 3, '<mark>', '</mark>', '…', 24) FROM docs "
        "JOIN meta m ON m.rowid = docs.rowid WHERE docs MATCH ? "
        "ORDER BY bm25(docs, 3.0, 1.0, 0.7, 1.0) LIMIT 10",
        (match,),
    ).fetchall()
    if not full:
        return len(top)
    rows = db.execute(
        "SELECT m.kind, m.type, m.issuer, m.year FROM docs "
        "JOIN meta m ON m.rowid = docs.rowid WHERE docs MATCH ?",
        (match,),
    ).fetchall()
    counts = [Counter(row[i] for row in rows) for i in range(4)]
    counts.append(
        Counter(
            value
            for (value,) in db.execute(
                "SELECT t.value FROM docs JOIN topic t ON t.rowid = docs.rowid WHERE docs MATCH ?",
                (match,),
            )
        )
    )
    return len(rows)


def timed(run: Callable[[str], object], queries: list[str], repeat: int) -> list[float]:
    """Return the milliseconds of each run after one warm-up pass."""
    for query in queries:
        run(query)
    samples = []
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    """Return the q-quantile of samples."""
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q * 100) - 1]


def size_mb(path: Path) -> float:
    """Return the size of a file or folder in MB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def main(argv: list[str] | None = None) -> int:
    """Build both indexes, time every kind of query, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--procs", type=int, default=2, help="Whoosh indexing processes")
    parser.add_argument("--keep", type=Path, help="build into (or reuse) this folder")
    parser.add_argument("--no-cache", action="store_true", help="no decoded-postings cache")
    parser.add_argument(
        "--without-features", action="store_true", help="the literal search (features=())"
    )
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    docs = load_documents(corpus)
    queries = make_queries(corpus)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        budget = 0 if args.no_cache else 1_000_000
        features = () if args.without_features else None
        index = SearchIndex(folder / "whoosh", posting_budget=budget, features=features)
        whoosh_build = None
        if not index.exists():
            started = time.perf_counter()
            index.rebuild(docs, procs=args.procs)
            whoosh_build = time.perf_counter() - started
        fts_path = folder / "fts5.sqlite"
        fts_path.unlink(missing_ok=True)
        started = time.perf_counter()
        db = build_fts5(fts_path, docs)
        fts_build = time.perf_counter() - started

        built = f"{whoosh_build:.0f} s" if whoosh_build is not None else "reused"
        print(f"{len(docs)} documents; {PER_KIND} queries per kind, {args.repeat} timed runs each")
        print(f"build: Whoosh {built} ({args.procs} processes), FTS5 {fts_build:.1f} s")
        print(f"size: Whoosh {size_mb(folder / 'whoosh'):.0f} MB, FTS5 {size_mb(fts_path):.0f} MB")
        print(
            "| kind | Whoosh p50 / p95 ms | FTS5 page p50 / p95 ms | FTS5 top-10 p50 / p95 ms "
            "| Whoosh / FTS5 page at p95 |"
        )
        print("|---|---|---|---|---|")
        worst = 0.0
        for kind in KINDS:
            batch = queries[kind]
            whoosh = timed(lambda q: index.search(q, per_page=10), batch, args.repeat)
            page = timed(lambda q: fts5_page(db, MEANT.get(q, q)), batch, args.repeat)
            top = timed(lambda q: fts5_page(db, MEANT.get(q, q), full=False), batch, args.repeat)
            ratio = pct(whoosh, 0.95) / pct(page, 0.95)
            worst = max(worst, ratio)
            print(
                f"| {kind} | {pct(whoosh, 0.5):.1f} / {pct(whoosh, 0.95):.1f} "
                f"| {pct(page, 0.5):.1f} / {pct(page, 0.95):.1f} "
                f"| {pct(top, 0.5):.1f} / {pct(top, 0.95):.1f} | {ratio:.1f}× |"
            )
        db.close()
        index.close()
    print(f"target: at most {TARGET_RATIO:g}× FTS5 at p95 on every kind; worst {worst:.1f}×")
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
