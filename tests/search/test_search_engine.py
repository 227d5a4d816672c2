"""The index on disk: create, rebuild and swap, apply changes, busy writers, damage."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from search_engine_samples import CORPUS, build_index, keys, make_doc

from cchc_learn.search.documents import IndexDelete
from cchc_learn.search.engine import IndexBusy, IndexUnavailable, SearchIndex
from cchc_learn.search.generations import CURRENT_FILE, PREFIX


def generation_dirs(index_dir: Path) -> list[Path]:
    return sorted(index_dir.glob(PREFIX + "*"))


def live_dir(index_dir: Path) -> Path:
    return index_dir / (index_dir / CURRENT_FILE).read_text().strip()


def test_missing_index_is_reported(tmp_path):
    index = SearchIndex(tmp_path / "nowhere")
    assert not index.exists()
    with pytest.raises(IndexUnavailable) as caught:
        index.search("cải cách")
    assert "cchc-learn search reindex" in str(caught.value)
    status = index.status()
    assert status["healthy"] is False and status["error"] == "chưa có chỉ mục"
    with pytest.raises(IndexUnavailable):
        index.apply([make_doc("lesson:1")])


def test_create_makes_an_empty_index_once(tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.create()
    assert index.exists()
    assert index.search("cải cách").total == 0
    index.apply([make_doc("lesson:1", body="cải cách")])
    index.create()
    assert index.search("cải cách").total == 1
    status = index.status()
    assert status["healthy"] is True and status["doc_count"] == 1
    assert status["last_modified"].endswith("+00:00")


def test_rebuild_swaps_while_a_searcher_is_open(tmp_path):
    reader = build_index(tmp_path / "index")
    writer = SearchIndex(tmp_path / "index")
    assert keys(reader.search("4599/QĐ-UBND"))[0] == "document:1"
    replacement = [make_doc("lesson:9", title="Đề án 4599 thay thế", body="cải cách mới")]
    assert writer.rebuild(replacement) == 1
    # The open searcher is replaced, not refreshed: only the new generation answers.
    assert keys(reader.search("cải cách")) == ["lesson:9"]
    # The number is gone with the old generation; the text fallback finds the new lesson's 4599.
    assert keys(reader.search("4599/QĐ-UBND")) == ["lesson:9"]
    assert reader.status()["doc_count"] == 1
    writer.rebuild(CORPUS)
    writer.rebuild(CORPUS)
    # The live generation and the one before it stay; older ones are removed.
    assert len(generation_dirs(tmp_path / "index")) == 2
    assert keys(reader.search("4599/QĐ-UBND"))[0] == "document:1"


def test_a_failed_rebuild_leaves_the_live_index_alone(tmp_path):
    index = build_index(tmp_path / "index")
    before = live_dir(tmp_path / "index")

    def broken():
        yield make_doc("lesson:9", body="nửa chừng")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    assert live_dir(tmp_path / "index") == before
    assert "lesson:9" not in keys(index.search("nửa chừng"))
    assert keys(index.search("4599/QĐ-UBND"))[0] == "document:1"


def test_rebuild_into_a_chosen_directory(tmp_path):
    index = SearchIndex(tmp_path / "index")
    target = tmp_path / "index" / "gen-manual"
    index.rebuild(CORPUS[:2], target_dir=target)
    assert live_dir(tmp_path / "index") == target
    assert index.search("4599").total == 2
    with pytest.raises(ValueError):
        index.rebuild(CORPUS, target_dir=target)


def test_rebuild_keeps_the_first_of_duplicate_keys(tmp_path):
    docs = [make_doc("lesson:1", body="bản đầu"), make_doc("lesson:1", body="bản sau")]
    index = build_index(tmp_path / "index", docs)
    assert index.search("bản").total == 1
    assert index.search("đầu").total == 1


def test_apply_upserts_and_deletes_and_other_readers_see_it(tmp_path):
    writer = build_index(tmp_path / "index")
    reader = SearchIndex(tmp_path / "index")
    assert reader.search("4599/QĐ-UBND").total == 2
    done = writer.apply(
        [
            IndexDelete("document:3"),
            make_doc("document:1", number="4599/QĐ-UBND", title="Đề án sửa đổi", body="mới"),
            make_doc("document:1", number="4599/QĐ-UBND", title="Đề án sửa lần hai", body="mới"),
            IndexDelete("document:404"),
        ]
    )
    assert done == 4
    assert keys(reader.search("4599/QĐ-UBND")) == ["document:1"]
    assert reader.search("4599/QĐ-UBND").hits[0].title == "Đề án sửa lần hai"
    assert reader.search("sửa").total == 1
    assert writer.apply([]) == 0


def test_apply_reports_a_busy_index_after_the_timeout(tmp_path):
    build_index(tmp_path / "index")
    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def slow_ops():
        yield make_doc("lesson:8", body="đang ghi")
        holding.set()
        release.wait(10)

    def hold_lock():
        try:
            SearchIndex(tmp_path / "index").apply(slow_ops())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=hold_lock)
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(IndexBusy) as caught:
            SearchIndex(tmp_path / "index", writer_timeout=0.2).apply([make_doc("lesson:9")])
        assert "đang được một tiến trình khác ghi" in str(caught.value)
    finally:
        release.set()
        thread.join(10)
    assert errors == []
    index = SearchIndex(tmp_path / "index")
    assert index.search("đang ghi").total == 1
    index.apply([make_doc("lesson:9", body="sau khi chờ")])
    assert index.search("sau khi chờ").total == 1


def test_a_deleted_generation_is_reported(tmp_path):
    index = build_index(tmp_path / "index")
    live = live_dir(tmp_path / "index")
    for path in live.iterdir():
        path.unlink()
    live.rmdir()
    assert not index.exists()
    with pytest.raises(IndexUnavailable):
        index.search("cải cách")
    assert index.status()["healthy"] is False


@pytest.mark.parametrize("damage", ["toc", "segment"])
def test_a_corrupt_index_is_reported_then_rebuilt(tmp_path, damage):
    index = build_index(tmp_path / "index")
    fresh = SearchIndex(tmp_path / "index")
    live = live_dir(tmp_path / "index")
    pattern = "*.toc" if damage == "toc" else "*.seg"
    victims = sorted(live.glob(pattern))
    assert victims
    for victim in victims:
        size = victim.stat().st_size
        victim.write_bytes(b"\x00garbage" * max(1, size // 16))
    with pytest.raises(IndexUnavailable):
        fresh.search("cải cách hành chính")
    with pytest.raises(IndexUnavailable):
        index.search("cải cách hành chính")
    assert fresh.status()["healthy"] is False
    fresh.rebuild(CORPUS)
    assert keys(index.search("4599/QĐ-UBND"))[0] == "document:1"
    assert fresh.status()["healthy"] is True


def test_foreign_files_in_the_index_directory_are_left_alone(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "applied-change-id").write_text("41")
    (folder / ".writer.lock").write_text("")
    index = build_index(folder)
    index.rebuild(CORPUS)
    index.rebuild(CORPUS)
    assert (folder / "applied-change-id").read_text() == "41"
    assert (folder / ".writer.lock").exists()


def test_threads_share_one_index_while_it_changes(tmp_path):
    index = build_index(tmp_path / "index")
    writer = SearchIndex(tmp_path / "index")
    errors: list[BaseException] = []
    duplicates: list[list[str]] = []
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                found = keys(index.search("cải cách hành chính", per_page=50))
                if len(found) != len(set(found)):
                    duplicates.append(found)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    try:
        for round_ in range(8):
            writer.apply(
                [make_doc(f"lesson:{100 + round_}", body=f"cải cách hành chính lần {round_}")]
            )
            writer.apply([make_doc("lesson:1", body=f"cải cách hành chính bản {round_}")])
    finally:
        stop.set()
        for thread in readers:
            thread.join(10)
    assert errors == [] and duplicates == []
    found = keys(index.search("cải cách hành chính", per_page=50))
    assert {f"lesson:{100 + i}" for i in range(8)} <= set(found)
    assert found.count("lesson:1") == 1
