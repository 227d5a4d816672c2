"""Search through the app: change log, reindex, pages, API, CLI, a lost index, many writers."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import time
from pathlib import Path

import pytest
from helpers import login, make_user, page_text, post
from sqlalchemy import func, select

from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.search import generations, indexer
from cchc_learn.search.models import SearchChange

DOC = """---
number: {number}
type: {doc_type}
issuer: {issuer}
issued: {issued}
topics: [{topics}]
summary: {summary}
---
{body}
"""

CORPUS = {
    "4599-qd-ubnd": dict(
        number="4599/QĐ-UBND",
        doc_type="Quyết định",
        issuer="UBND tỉnh An Giang",
        issued="2022-12-30",
        topics="Đào tạo bồi dưỡng",
        summary="Phê duyệt Đề án tăng cường năng lực đội ngũ cải cách hành chính",
        body="Bồi dưỡng cán bộ làm công tác cải cách hành chính.",
    ),
    "4599-qd-ttg": dict(
        number="4599/QĐ-TTg",
        doc_type="Quyết định",
        issuer="Thủ tướng Chính phủ",
        issued="2021-05-01",
        topics="TTHC",
        summary="Một quyết định khác có cùng con số",
        body="Nội dung không liên quan đến bồi dưỡng.",
    ),
    "61-2018-nd-cp": dict(
        number="61/2018/NĐ-CP",
        doc_type="Nghị định",
        issuer="Chính phủ",
        issued="2018-04-23",
        topics="Một cửa, TTHC",
        summary="Về thực hiện cơ chế một cửa, một cửa liên thông",
        body="Bộ phận Một cửa tiếp nhận hồ sơ thủ tục hành chính.",
    ),
}


def write_docs(app, docs=CORPUS) -> None:
    folder = Path(app.config["CONTENT_DIR"]) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, fields in docs.items():
        (folder / f"{slug}.md").write_text(DOC.format(**fields), encoding="utf-8")


def sync_and_index(app) -> None:
    from cchc_learn.content.checks import load_tree, sync_tree

    write_docs(app)
    with app.app_context():
        declare_write()
        tree = load_tree(Path(app.config["CONTENT_DIR"]))
        assert tree.problems == []
        sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
        indexer.rebuild()


@pytest.fixture
def official(app, client):
    sync_and_index(app)
    make_user(app, "hocvien")
    login(client, app, "hocvien")
    return client


def test_unaccented_query_finds_accented_document(app, official):
    text = page_text(official.get("/search?q=cai cach hanh chinh"))
    assert "4599/QĐ-UBND" in text


@pytest.mark.parametrize("typed", ["4599/QĐ-UBND", "4599/QD-UBND", "4599/qd-ubnd"])
def test_document_number_finds_that_document_first(app, official, typed):
    data = official.get(f"/api/v1/search?q={typed}").get_json()
    assert data["results"][0]["number"] == "4599/QĐ-UBND"
    assert all(r["number"] != "4599/QĐ-TTg" for r in data["results"][:1])


def test_filters_and_facets(app, official):
    data = official.get("/api/v1/search?q=thu tuc hanh chinh&type=Nghị định").get_json()
    assert [r["number"] for r in data["results"]] == ["61/2018/NĐ-CP"]
    page = official.get("/search?q=quyết định")
    assert "Loại văn bản" in page_text(page)


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        '"',
        '""""',
        "((((",
        "]]]",
        "AND OR NOT",
        "title:abc",
        "*",
        "?x*~^2",
        "a" * 10_000,
        "\x00\x01\x1f",
        "Quye\u0302\u0301t đi\u0323nh",
        "<script>alert(1)</script>",
        "4599/",
        "/QĐ-",
        "%",
        "\\",
        "'; DROP TABLE document; --",
    ],
)
def test_any_input_gets_a_page(app, official, query):
    response = official.get("/search", query_string={"q": query, "page": "999999"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    api = official.get("/api/v1/search", query_string={"q": query, "year": "x" * 500})
    assert api.status_code == 200 and api.get_json()["total"] >= 0


def test_web_edit_reaches_the_index_through_the_change_log(app, client):
    sync_and_index(app)
    make_user(app, "giangvien", roles=["trainer"])
    login(client, app, "giangvien")
    response = post(
        client,
        app,
        "/kb/new",
        {
            "number": "15/KH-SNV",
            "doc_type": "Kế hoạch",
            "issuer": "Sở Nội vụ",
            "issued": "2026-02-01",
            "status": "in_force",
            "summary": "Kế hoạch kiểm tra xuồng máy",
            "body": "Nội dung về chim cánh cụt.",
            "topics": "",
            "replaced_by": "",
            "message": "",
        },
    )
    response.close()  # the server applies the change once the response has been sent
    with app.app_context():
        assert indexer.pending() is False  # applied right after the write
    data = client.get("/api/v1/search?q=chim canh cut").get_json()
    assert [r["number"] for r in data["results"]] == ["15/KH-SNV"]


def test_search_catches_up_with_changes_written_elsewhere(app, official):
    from cchc_learn.kb.models import Document
    from cchc_learn.search.models import log_change

    with app.app_context():
        declare_write()
        doc = db.session.scalar(select(Document).where(Document.slug == "61-2018-nd-cp"))
        doc.archived = True
        log_change("document", doc.id)
        db.session.commit()
    data = official.get("/api/v1/search?q=một cửa liên thông").get_json()
    assert "61/2018/NĐ-CP" not in [r.get("number") for r in data["results"]]


def test_lost_index_says_so_and_is_rebuilt(app, official):
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    page = official.get("/search?q=một cửa")
    assert "Chỉ mục tìm kiếm đang được xây dựng lại" in page_text(page)
    assert official.get("/kb/").status_code == 200
    for _ in range(100):
        data = official.get("/api/v1/search?q=một cửa").get_json()
        if data["total"]:
            break
        time.sleep(0.2)
    assert data["total"] >= 1
    health = official.get("/healthz").get_json()
    assert health["checks"]["search_index"]["ok"] is True


def _damage(index_dir: Path, how: str) -> int:
    """Spoil every file of the live index as a failing disk or a killed copy would."""
    live = generations.read_current(Path(index_dir))
    victims = [p for p in sorted(live.iterdir()) if p.suffix in (".toc", ".seg")]
    for victim in victims:
        data = victim.read_bytes()
        if how == "truncated":
            victim.write_bytes(data[: len(data) // 3])
        elif how == "empty":
            victim.write_bytes(b"")
        else:
            victim.write_bytes(b"\x00garbage\xff" * max(1, len(data) // 10))
    return len(victims)


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage"])
def test_a_damaged_index_degrades_then_is_rebuilt(app, official, how):
    sync_and_index(app)
    assert official.get("/api/v1/search?q=một cửa").get_json()["total"] >= 1
    assert _damage(app.config["SEARCH_INDEX_DIR"], how) >= 2
    page = official.get("/search?q=một cửa")
    assert page.status_code == 200
    assert "Chỉ mục tìm kiếm đang được xây dựng lại" in page_text(page)
    # A host whose pages work stays in rotation while its index is rebuilt: 200, never 503.
    health = official.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["checks"]["database"]["ok"] is True
    for _ in range(100):
        response = official.get("/api/v1/search?q=một cửa")
        assert response.status_code == 200
        if response.get_json()["total"]:
            break
        time.sleep(0.2)
    assert response.get_json()["total"] >= 1
    assert official.get("/healthz").get_json()["checks"]["search_index"]["ok"] is True


@pytest.mark.parametrize("pointer", [
    None,  # every file, the pointer too, overwritten in place with random bytes
    b"gen-\x00" + b"x" * 60,  # decodes, but names no path
])
def test_an_index_directory_overwritten_whole_degrades_then_is_rebuilt(app, official, pointer):
    import random

    index_dir = Path(app.config["SEARCH_INDEX_DIR"])
    assert official.get("/api/v1/search?q=một cửa").get_json()["total"] >= 1
    rng = random.Random(5)
    files = [p for p in sorted(index_dir.rglob("*")) if p.is_file() and p.suffix != ".lock"]
    for path in files:
        with open(path, "r+b") as fh:  # in place, as a failing disk spoils a file
            fh.write(rng.randbytes(max(path.stat().st_size, 64)))
    if pointer is not None:
        (index_dir / generations.CURRENT_FILE).write_bytes(pointer)
    assert len(files) >= 4
    page = official.get("/search?q=một cửa")
    assert page.status_code == 200
    assert "Chỉ mục tìm kiếm đang được xây dựng lại" in page_text(page)
    assert official.get("/healthz").status_code == 200
    for _ in range(100):
        response = official.get("/api/v1/search?q=một cửa")
        assert response.status_code == 200
        if response.get_json()["total"]:
            break
        time.sleep(0.2)
    assert "61/2018/NĐ-CP" in [r.get("number") for r in response.get_json()["results"]]
    assert generations.read_current(index_dir).is_dir()
    assert official.get("/healthz").get_json()["checks"]["search_index"]["ok"] is True


def test_anonymous_api_call_is_refused_in_json(app, client):
    response = client.get("/api/v1/search?q=x")
    assert response.status_code == 401 and response.get_json()["error"]["status"] == 401


def test_cli_query_json_and_stdin(app, runner):
    sync_and_index(app)
    result = runner.invoke(args=["search", "query", "4599/QD-UBND", "--json"])
    line = json.loads(result.output.strip().splitlines()[0])
    assert line["query"] == "4599/QD-UBND" and line["total"] >= 1
    first = line["results"][0]
    assert set(first) >= {"kind", "id", "title", "number", "url", "snippet", "score"}
    assert first["number"] == "4599/QĐ-UBND"
    result = runner.invoke(args=["search", "query", "--json"], input='mot cua\n"""\n')
    lines = [json.loads(x) for x in result.output.strip().splitlines()]
    assert [x["query"] for x in lines] == ["mot cua", '"""']


def _writer(config: dict, start: int) -> None:
    from datetime import date

    from cchc_learn import create_app
    from cchc_learn.auth.models import User
    from cchc_learn.kb import editing

    app = create_app(config)
    with app.app_context():
        for i in range(start, start + 5):
            declare_write()
            actor = db.session.scalar(select(User).where(User.username == "giangvien"))
            editing.save(
                None,
                editing.DocumentInput(
                    number=f"{i}/KH-SNV", doc_type="Kế hoạch", issuer="Sở Nội vụ",
                    issued=date(2026, 1, 1), status="in_force", replaced_by="", topics="",
                    summary=f"Kế hoạch số {i}", body=f"Văn bản thử nghiệm {i}",
                ),
                actor,
            )
            db.session.commit()
            indexer.catch_up()


def test_two_processes_writing_converge(app):
    sync_and_index(app)
    make_user(app, "giangvien", roles=["trainer"])
    ctx = multiprocessing.get_context("spawn")
    # The child builds the same app from plain settings (it cannot import conftest: several
    # test folders have one).
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR",
            "UPLOAD_DIR", "CONTENT_DIR", "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB")
    config = {key: app.config[key] for key in keys}
    procs = [ctx.Process(target=_writer, args=(config, start)) for start in (100, 200)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    with app.app_context():
        indexer.catch_up(wait=True)
        assert indexer.applied_id() == db.session.scalar(select(func.max(SearchChange.id)))
        result = indexer.get_index().search("thử nghiệm", per_page=50, visible_to={"public"})
        numbers = {h.number for h in result.hits}
    assert numbers == {f"{i}/KH-SNV" for i in [*range(100, 105), *range(200, 205)]}


def _plan_input(number: str, summary: str):
    from datetime import date

    from cchc_learn.kb import editing

    return editing.DocumentInput(
        number=number, doc_type="Kế hoạch", issuer="Sở Nội vụ", issued=date(2026, 1, 1),
        status="in_force", replaced_by="", topics="", summary=summary, body=summary,
    )


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_change_that_commits_after_a_later_one_is_still_indexed(app):
    """PostgreSQL hands out ids when rows are written, not when they commit.

    A transaction that noted its change first but committed last must still reach the index
    after another process has already applied the change that committed before it.
    """
    import threading

    from cchc_learn.auth.models import User
    from cchc_learn.kb import editing
    from cchc_learn.kb.models import Document
    from cchc_learn.search.models import log_change

    sync_and_index(app)
    make_user(app, "giangvien", roles=["trainer"])
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "giangvien"))
        doc_id = editing.save(None, _plan_input("300/KH-SNV", "Bản cũ"), actor).id
        db.session.commit()
        indexer.catch_up(wait=True)
    noted, go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def slow_editor() -> None:
        try:
            with app.app_context():
                doc = db.session.get(Document, doc_id)
                doc.summary = "Bản sửa chậm về phiếu khảo sát"
                log_change("document", doc.id)
                db.session.flush()
                noted.set()
                go.wait(30)
                db.session.commit()
        except BaseException as error:  # reported by the assertion below
            failures.append(error)
            noted.set()

    thread = threading.Thread(target=slow_editor)
    thread.start()
    assert noted.wait(30)
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "giangvien"))
        editing.save(None, _plan_input("301/KH-SNV", "Bản nhanh"), actor)
        db.session.commit()
        indexer.catch_up(wait=True)  # applies the quick change while the slow one is open
    go.set()
    thread.join(30)
    assert failures == []
    with app.app_context():
        indexer.catch_up(wait=True)
        result = indexer.get_index().search("phiếu khảo sát", per_page=10, visible_to={"public"})
        assert "300/KH-SNV" in {h.number for h in result.hits}


# Search as officials type it: short numbers, keyboard leftovers, hostile input.


@pytest.mark.parametrize(
    "typed", ["nđ 61/2018", "61/nđ-cp", "nghị định 61", "nghi dinh 61 nam 2018", "61 nghị định"]
)
def test_short_references_find_the_document_through_the_api(app, official, typed):
    data = official.get("/api/v1/search", query_string={"q": typed}).get_json()
    assert data["results"][0]["number"] == "61/2018/NĐ-CP"


def test_a_short_reference_page_puts_the_document_named_first(app, official):
    text = page_text(official.get("/search", query_string={"q": "qđ 4599 an giang"}))
    assert text.index("4599/QĐ-UBND") < text.index("4599/QĐ-TTg")


def test_a_telex_query_is_repaired_and_offered_on_the_page(app, official):
    typed = "cair cachs hanhf chinhs"
    text = page_text(official.get("/search", query_string={"q": typed}))
    assert "Có phải bạn muốn tìm: cải cách hành chính" in text
    assert "4599/QĐ-UBND" in text
    data = official.get("/api/v1/search", query_string={"q": typed}).get_json()
    assert (data["query"], data["suggestion"], data["repaired"]) == (
        typed, "cải cách hành chính", True
    )
    assert data["results"][0]["number"] == "4599/QĐ-UBND"


@pytest.mark.parametrize(
    "query",
    [
        " ".join(["CCHC TTHC DVC TTPVHCC HĐND UBND NĐ-CP QĐ TT CĐS BNV PAPI SIPAS"] * 200)[:10_000],
        "9" * 500,
        "nghị định " + "9" * 500,
        "qđ " + "0" * 500 + "/2025",
        "mo65t" * 2_000,
    ],
    ids=["abbreviations", "digits", "type-digits", "zeros", "vni"],
)
def test_hostile_typed_queries_get_a_page(app, official, query):
    response = official.get("/search", query_string={"q": query})
    assert response.status_code == 200
    api = official.get("/api/v1/search", query_string={"q": query})
    assert api.status_code == 200 and api.get_json()["total"] >= 0


def test_cli_reads_short_references_and_repairs_leftovers(app, runner):
    sync_and_index(app)
    result = runner.invoke(args=["search", "query", "nđ 61/2018", "--json"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.output.strip().splitlines()[0])
    assert line["results"][0]["number"] == "61/2018/NĐ-CP"
    typed = "cair cachs hanhf chinhs\n" + "9" * 500 + "\n" + "CCHC " * 2_000 + "\n"
    result = runner.invoke(args=["search", "query", "--json"], input=typed)
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.output.strip().splitlines()]
    assert lines[0]["suggestion"] == "cải cách hành chính" and lines[0]["repaired"] is True
    assert lines[0]["results"][0]["number"] == "4599/QĐ-UBND"
    assert len(lines) == 3 and all(x["total"] >= 0 for x in lines)
