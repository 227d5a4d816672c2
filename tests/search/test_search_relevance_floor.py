"""Ranking quality on 267 real legal questions must not fall below a plain BM25."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "search_relevance.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("search_relevance_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while the module runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = load_benchmark()


@pytest.fixture(scope="module")
def corpus() -> Path:
    try:
        return bench.corpus_dir()
    except FileNotFoundError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def index(corpus, tmp_path_factory):
    built = bench.build_index(tmp_path_factory.mktemp("relevance") / "index", corpus, procs=2)
    yield built
    built.close()


@pytest.mark.slow
@pytest.mark.parametrize("variant", bench.VARIANTS)
def test_recall_and_mrr_stay_above_plain_bm25(index, corpus, variant):
    queries = bench.load_queries(corpus)
    qrels = bench.load_qrels(corpus)
    assert len(queries) == 267 and set(qrels) == {q["qid"] for q in queries}
    scores = bench.evaluate(index, queries, qrels, variant)
    floor_recall, floor_mrr = bench.FLOORS[variant]
    assert scores.recall >= floor_recall, f"{variant}: Recall@10 {scores.recall:.3f}"
    assert scores.mrr >= floor_mrr, f"{variant}: MRR@10 {scores.mrr:.3f}"
