"""Recall@10, MRR@10 and nDCG@10 of the search engine on real Vietnamese legal queries.

Indexes the 5,424 Pháp điển articles of ../shared/corpus/phapdien (title = tieu_de, summary =
nguon, body = noi_dung, number = van_ban_goc, topic = de_muc unless --without-topics; topics
are searchable words like the summary) and runs the 267 queries of
../shared/corpus/retrieval-bench twice: as people typed them (text) and machine-folded
without diacritics (text_khong_dau). Floors are a plain syllable BM25 measured when the data
was collected; every query goes through SearchIndex.search, snippets and facets included.

    python benchmarks/search_relevance.py [--procs 2] [--index DIR] [--without-topics]

CCHC_SHARED_DIR points at the shared folder when it is not ../shared next to the checkout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cchc_learn.search.documents import IndexDocument  # noqa: E402
from cchc_learn.search.engine import SearchIndex  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
VARIANTS = ("text", "text_khong_dau")
# (Recall@10, MRR@10) of a plain BM25 over title + text, from the corpus README.
FLOORS = {"text": (0.861, 0.634), "text_khong_dau": (0.790, 0.578)}
TARGETS = {"text": 0.90, "text_khong_dau": 0.85}
CUTOFF = 10


def corpus_dir() -> Path:
    """Return the shared corpus folder, or raise with a message saying where it was sought."""
    shared = Path(os.environ.get("CCHC_SHARED_DIR") or REPO.parent / "shared")
    corpus = shared / "corpus"
    if not (corpus / "phapdien" / "articles.jsonl").is_file():
        raise FileNotFoundError(
            f"shared corpus not found at {corpus}: check out the shared data next to the "
            "repository as ../shared or point CCHC_SHARED_DIR at the shared folder"
        )
    return corpus


def read_jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def article_key(article_id: str) -> str:
    """Return the index key of a Pháp điển article."""
    return f"document:{article_id}"


def load_articles(corpus: Path, with_topics: bool = True) -> list[IndexDocument]:
    """Return the Pháp điển articles as index documents (the đề mục as topic if asked)."""
    return [
        IndexDocument(
            key=article_key(row["id"]),
            kind="document",
            id=row["id"],
            title=row["tieu_de"],
            number=row.get("van_ban_goc") or "",
            summary=row.get("nguon") or "",
            body=row.get("noi_dung") or "",
            topics=(row["de_muc"],) if with_topics else (),
            url=f"/kb/{row['id']}",
        )
        for row in read_jsonl(corpus / "phapdien" / "articles.jsonl")
    ]


def load_queries(corpus: Path) -> list[dict]:
    """Return the benchmark queries (qid, text, text_khong_dau, ...)."""
    return list(read_jsonl(corpus / "retrieval-bench" / "queries.jsonl"))


def load_qrels(corpus: Path) -> dict[str, set[str]]:
    """Return the relevant index keys of each query id."""
    relevant: dict[str, set[str]] = {}
    lines = (corpus / "retrieval-bench" / "qrels.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        qid, doc_id, grade = line.split("\t")
        if int(grade) > 0:
            relevant.setdefault(qid, set()).add(article_key(doc_id))
    return relevant


def build_index(
    directory: Path, corpus: Path, procs: int = 2, with_topics: bool = True
) -> SearchIndex:
    """Index every article into directory and return the index."""
    index = SearchIndex(directory)
    index.rebuild(load_articles(corpus, with_topics), procs=procs)
    return index


@dataclass(frozen=True)
class Scores:
    """Mean metrics over the queries of one variant."""

    recall: float
    mrr: float
    ndcg: float
    mean_ms: float


def evaluate(
    index: SearchIndex, queries: list[dict], qrels: dict[str, set[str]], variant: str
) -> Scores:
    """Run every query of one variant and average Recall@10, MRR@10 and nDCG@10."""
    recall = mrr = ndcg = 0.0
    started = time.perf_counter()
    for query in queries:
        relevant = qrels[query["qid"]]
        found = [hit.key for hit in index.search(query[variant], per_page=CUTOFF).hits]
        recall += len(relevant & set(found)) / len(relevant)
        ranks = [i for i, key in enumerate(found, 1) if key in relevant]
        mrr += 1.0 / ranks[0] if ranks else 0.0
        ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(relevant), CUTOFF) + 1))
        ndcg += sum(1 / math.log2(r + 1) for r in ranks) / ideal
    n = len(queries)
    elapsed = (time.perf_counter() - started) * 1000 / n
    return Scores(recall / n, mrr / n, ndcg / n, elapsed)


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the index, evaluate both variants and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--procs", type=int, default=2, help="indexing processes")
    parser.add_argument("--index", type=Path, help="reuse or keep the index in this folder")
    parser.add_argument(
        "--without-topics", action="store_true", help="leave the đề mục out of the index"
    )
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.index or Path(scratch) / "index"
        index = SearchIndex(folder)
        if not index.exists():
            started = time.perf_counter()
            index = build_index(folder, corpus, args.procs, not args.without_topics)
            print(f"indexed 5,424 articles in {time.perf_counter() - started:.0f} s")
        queries, qrels = load_queries(corpus), load_qrels(corpus)
        print(f"{len(queries)} queries, cut-off {CUTOFF}")
        print("| queries | Recall@10 | MRR@10 | nDCG@10 | floor R / MRR | aim R | ms/query |")
        print("|---|---|---|---|---|---|---|")
        below = False
        for variant in VARIANTS:
            s = evaluate(index, queries, qrels, variant)
            floor_r, floor_m = FLOORS[variant]
            below |= s.recall < floor_r or s.mrr < floor_m
            print(
                f"| {variant} | {s.recall:.3f} | {s.mrr:.3f} | {s.ndcg:.3f} | "
                f"{floor_r:.3f} / {floor_m:.3f} | {TARGETS[variant]:.2f} | {s.mean_ms:.0f} |"
            )
        index.close()
    return 1 if below else 0


if __name__ == "__main__":
    raise SystemExit(main())
