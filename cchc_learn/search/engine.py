"""The search engine seam: build, change and query the index; nothing here knows Flask.

    index = SearchIndex(Path("instance/search"))
    index.rebuild(all_documents)              # a new generation, swapped in atomically
    index.apply([IndexDocument(...), IndexDelete("document:7")])
    results = index.search("cai cach hanh chinh", filters={"year": ["2025"]})

One SearchIndex per process: it keeps one searcher open and reuses it (opening one costs
tens of milliseconds) until another writer commits, then opens a new one.
"""

from __future__ import annotations

import gc
import heapq
import pickle
import struct
import threading
import warnings
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError

from cchc_learn.search import expansion, facets, generations
from cchc_learn.search.documents import IndexDelete, IndexDocument, IndexOp, document_fields
from cchc_learn.search.errors import IndexBusy, IndexUnavailable
from cchc_learn.search.expansion import QueryFeature
from cchc_learn.search.features import DEFAULT_FEATURES
from cchc_learn.search.highlight import make_snippet
from cchc_learn.search.query import MAX_QUERY_CHARS, MAX_WORDS, QueryPlan, plan_query
from cchc_learn.search.results import SearchHit, SearchResults
from cchc_learn.search.schema import build_schema
from cchc_learn.search.scoring import rank
from cchc_learn.search.snapshot import IndexSnapshot
from cchc_learn.search.suggest import suggest
from cchc_learn.search.weights import DEFAULT_WEIGHTS, Weights

__all__ = [
    "IndexBusy",
    "IndexDelete",
    "IndexDocument",
    "IndexOp",
    "IndexUnavailable",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
]

MAX_PER_PAGE = 100
# Deeper pages are never read by people; the bound keeps the top-k selection small.
MAX_RESULTS_DEPTH = 10_000
# Fewer hits than this make it worth offering a corrected query.
SUGGEST_BELOW = 3
NO_WORDS = "Không có từ nào để tìm trong nội dung đã nhập: hãy gõ một từ, một cụm từ hoặc số hiệu."
TOO_LONG = (
    f"Nội dung tìm kiếm quá dài: chỉ {MAX_QUERY_CHARS} ký tự và {MAX_WORDS} từ đầu tiên được dùng."
)
_EXPECTED_FIELDS = frozenset(build_schema().names())
# Opening reads the table of contents, then the segments it names: a concurrent merge can
# remove one in between, so opening is tried again this many times in all.
_OPEN_TRIES = 4
# What a damaged (truncated, emptied, overwritten) segment raises when its data is read:
# Whoosh decodes raw bytes with struct, zlib, pickle and its own varints.
_READ_ERRORS = (
    OSError,
    EOFError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    ValueError,
    TypeError,
    IndexError,
    whoosh_index.IndexError,
)


class SearchIndex:
    """A Whoosh index in a directory of generations (see generations.py)."""

    def __init__(
        self,
        index_dir: Path,
        *,
        writer_timeout: float = 10.0,
        weights: Weights = DEFAULT_WEIGHTS,
        posting_budget: int = 1_000_000,
        features: Sequence[QueryFeature] | None = None,
    ):
        """features: the query features to run (None: all of them; () for the literal search)."""
        self.index_dir = Path(index_dir)
        self.features = DEFAULT_FEATURES if features is None else tuple(features)
        self.writer_timeout = writer_timeout
        self.weights = weights
        self.posting_budget = posting_budget
        self._lock = threading.RLock()
        self._snapshot: IndexSnapshot | None = None

    # Lifecycle

    def exists(self) -> bool:
        """Return True when a live generation with a Whoosh index is in place."""
        current = generations.read_current(self.index_dir)
        if current is None:
            return False
        with _abandoned_files_closed() as failures:
            try:
                return whoosh_index.exists_in(str(current))
            except Exception as exc:  # noqa: BLE001 - an unreadable TOC is no usable index
                failures.append(repr(exc))
                return False

    def create(self) -> None:
        """Create an empty index unless one exists."""
        if not self.exists():
            self.rebuild(())

    def close(self) -> None:
        """Close the open searcher (a later search opens a new one)."""
        with self._lock:
            if self._snapshot is not None:
                self._snapshot.close()
                self._snapshot = None

    def rebuild(
        self,
        all_docs: Iterable[IndexDocument],
        *,
        target_dir: Path | None = None,
        procs: int = 1,
    ) -> int:
        """Build a new generation from all_docs, swap it in atomically; return its size.

        target_dir, when given, must not exist yet or be empty; by default a new directory
        inside index_dir is used. procs > 1 indexes with that many processes (fork-safe
        callers only, e.g. the command line). A key seen twice keeps its first document.
        Readers keep the old generation until the swap; changes applied to it during the
        build are not carried over (apply them again afterwards).
        """
        target = Path(target_dir) if target_dir else generations.new_generation_dir(self.index_dir)
        if target.exists() and any(target.iterdir()):
            raise ValueError(f"{target} is not empty: a rebuild writes into a new directory")
        target.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(target), build_schema())
        options: dict[str, Any] = {"limitmb": 256}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
        writer = ix.writer(**options)
        seen: set[str] = set()
        try:
            for doc in all_docs:
                if doc.key in seen:
                    continue
                seen.add(doc.key)
                writer.add_document(**document_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        generations.point_to(self.index_dir, target)
        generations.remove_old(self.index_dir, target)
        return len(seen)

    def apply(self, ops: Iterable[IndexOp]) -> int:
        """Upsert and delete items in the live generation in one commit; return the count.

        Raises IndexBusy when another writer holds the lock past writer_timeout and
        IndexUnavailable when there is no usable index.
        """
        directory = self._live_dir()
        with _abandoned_files_closed() as failures:
            try:
                ix = whoosh_index.open_dir(str(directory))
            except Exception as exc:  # noqa: BLE001 - any failure to open means "rebuild"
                reason = f"không mở được: {exc!r}"
                failures.append(reason)
                ix = None
        if ix is None:
            raise IndexUnavailable(directory, reason)
        try:
            writer = ix.writer(timeout=self.writer_timeout, delay=0.05)
        except LockError as exc:
            raise IndexBusy(directory, self.writer_timeout) from exc
        try:
            # Whoosh replaces only committed documents: within one batch the last op per key
            # must be the only one written.
            latest: dict[str, IndexOp] = {}
            done = 0
            for op in ops:
                latest.pop(op.key, None)
                latest[op.key] = op
                done += 1
            for op in latest.values():
                if isinstance(op, IndexDelete):
                    writer.delete_by_term("key", op.key)
                else:
                    writer.update_document(**document_fields(op))
        except BaseException:
            writer.cancel()
            raise
        if done:
            # Merging small segments is the default and cheap; optimize never runs here.
            writer.commit()
        else:
            writer.cancel()
        return done

    # Reading

    def status(self) -> dict[str, Any]:
        """Return health facts for /healthz: healthy, doc_count, last_modified, generation."""
        info: dict[str, Any] = {
            "healthy": False,
            "doc_count": None,
            "last_modified": None,
            "generation": None,
            "error": None,
        }
        try:
            with self._lock:
                snapshot = self._open_snapshot()
                info["doc_count"] = snapshot.doc_count
                info["generation"] = snapshot.directory.name
                modified = snapshot.index.last_modified()
            info["last_modified"] = datetime.fromtimestamp(modified, UTC).isoformat()
            info["healthy"] = True
        except IndexUnavailable as exc:
            info["error"] = exc.reason
        return info

    def search(
        self,
        text: str | None,
        *,
        filters: Mapping[str, Iterable[str]] | None = None,
        kinds: Iterable[str] | None = None,
        page: int = 1,
        per_page: int = 10,
        visible_to: Collection[str] | None = None,
    ) -> SearchResults:
        """Search for what a user typed; never raises for any text.

        visible_to: the searcher's audience tokens; None means no restriction (the shell).
        Raises IndexUnavailable when the index is missing or unreadable.
        """
        plan = plan_query(text)
        per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
        page = min(max(int(page), 1), max(1, MAX_RESULTS_DEPTH // per_page))
        results = SearchResults(query=plan.text, page=page, per_page=per_page)
        if plan.truncated:
            results.error = TOO_LONG
        if plan.empty:
            if plan.text:
                results.error = NO_WORDS
            return results
        chosen = facets.clean_filters(filters, kinds)
        with self._lock:
            snapshot = self._open_snapshot()
            try:
                self._fill(results, snapshot, plan, chosen, visible_to)
            except _READ_ERRORS as exc:
                # A damaged segment shows up only when its postings are read.
                self._drop_snapshot()
                raise IndexUnavailable(snapshot.directory, f"lỗi khi đọc: {exc!r}") from exc
        return results

    def _fill(
        self,
        results: SearchResults,
        snapshot: IndexSnapshot,
        plan: QueryPlan,
        chosen: dict[str, list[str]],
        visible_to: Collection[str] | None,
    ) -> None:
        """Rank, filter, count facets, cut the page and make its snippets."""
        plan, additions = expansion.prepare(snapshot, plan, self.features)
        scores = rank(snapshot, plan, self.weights, additions if self.features else None)
        base = set(scores)
        visible = facets.visible_docs(snapshot, visible_to)
        if visible is not None:
            base &= visible
        allowed = facets.allowed_by(snapshot, chosen)
        results.facets = facets.count(snapshot, base, allowed)
        matching = base
        for docs in allowed.values():
            matching = matching & docs
        results.total = len(matching)
        expansion.reorder(snapshot, plan, additions, scores, matching, self.features)
        depth = results.page * results.per_page
        top = heapq.nsmallest(depth, matching, key=lambda doc: (-scores[doc], doc))
        words = plan.highlight_words()
        for doc in top[depth - results.per_page :]:
            stored = snapshot.searcher.stored_fields(doc)
            results.hits.append(_hit(stored, scores[doc], words))
        # Unknown words are dropped silently when other words still match, so they are
        # worth a correction even when there are hits.
        results.repaired = additions.repaired is not None
        results.suggestion = additions.repaired or suggest(
            snapshot, plan, few_hits=results.total < SUGGEST_BELOW
        )

    def _live_dir(self) -> Path:
        """Return the live generation directory or raise IndexUnavailable."""
        current = generations.read_current(self.index_dir)
        if current is None:
            raise IndexUnavailable(self.index_dir, "chưa có chỉ mục")
        try:
            found = current.is_dir()
        except OSError as exc:  # unreadable: the same as gone, for a search
            raise IndexUnavailable(current, f"không đọc được thư mục chỉ mục: {exc!r}") from exc
        if not found:
            raise IndexUnavailable(current, "thư mục chỉ mục không còn")
        return current

    def _open_snapshot(self) -> IndexSnapshot:
        """Return the open snapshot, or a new one if the index changed (never refresh())."""
        directory = self._live_dir()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.directory == directory:
            try:
                if snapshot.up_to_date():
                    return snapshot
            except Exception:  # noqa: BLE001 - an unreadable TOC is handled by reopening
                pass
        self._drop_snapshot()
        with _abandoned_files_closed() as failures:
            for attempt in range(_OPEN_TRIES):
                try:
                    ix = whoosh_index.open_dir(str(directory))
                    missing = _EXPECTED_FIELDS - set(ix.schema.names())
                    reason = "cấu trúc chỉ mục đã cũ" if missing else ""
                    snapshot = (
                        None if missing else IndexSnapshot(ix, directory, self.posting_budget)
                    )
                except FileNotFoundError as exc:
                    # Another writer merged segments between reading the table of contents
                    # and opening them: the next read sees its new table of contents.
                    reason = f"không mở được: {exc!r}"
                    failures.append(reason)
                    snapshot = None
                    if attempt + 1 < _OPEN_TRIES:
                        continue
                except Exception as exc:  # noqa: BLE001 - any failure to open means "rebuild"
                    reason = f"không mở được: {exc!r}"
                    failures.append(reason)
                    snapshot = None
                break
        if snapshot is None:
            raise IndexUnavailable(directory, reason)
        self._snapshot = snapshot
        return snapshot

    def _drop_snapshot(self) -> None:
        """Close and forget the open snapshot."""
        if self._snapshot is not None:
            try:
                self._snapshot.close()
            except Exception:  # noqa: BLE001 - closing a broken searcher may fail too
                pass
            self._snapshot = None


@contextmanager
def _abandoned_files_closed() -> Iterator[list[str]]:
    """Close, without warnings, the files Whoosh leaves open when a damaged index fails.

    Whoosh retries opening a damaged segment several times and drops an open file each time;
    they are collected here instead of raising ResourceWarnings at some later moment.
    """
    failures: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        yield failures
        if failures:
            gc.collect()


def _hit(stored: dict[str, Any], score: float, words: set[str]) -> SearchHit:
    """Turn a document's stored fields into a hit with its snippet."""
    summary = stored.get("summary") or ""
    body = stored.get("body") or ""
    topics = stored.get("topic") or ()
    return SearchHit(
        key=stored["key"],
        kind=stored.get("kind", ""),
        id=stored.get("item_id", ""),
        title=stored.get("title") or "",
        number=stored.get("number") or "",
        url=stored.get("url") or "",
        snippet=make_snippet((summary, body), words),
        score=round(float(score), 6),
        type=stored.get("type") or "",
        issuer=stored.get("issuer") or "",
        year=stored.get("year") or "",
        topics=tuple(topics) if not isinstance(topics, str) else (topics,),
    )
