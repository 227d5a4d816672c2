"""Suggestions while a question is typed: `/api/v1/qa/similar?q=` next to `/api/v1/search?q=`.

The data is what `cchc-learn quickstart` makes (the 165 real documents, the lessons, the demo
province and its 41 demo questions) plus 10,000 generated questions on the same subjects —
9,200 answered in public (1,000 of them in the FAQ), 400 answered in private and 400 still
waiting (these two never reach the index) — written straight into the tables, then the search
index rebuilt. An official signed in through the real form sends every query to both
endpoints through Werkzeug's test client (in process, no network).

Queries (the same on every run), 40 of each kind:
- a full title, as an official would write it (generated with another seed: not a copy);
- a title naming a document (`Quyết định 4599`, `118/2025/NĐ-CP`…);
- the first three or four words of a title, as the page asks while the title is typed.

One warm-up pass, then timed passes until `--repeat` passes or `--seconds` are used up (the
run stops by itself). The table shows p50/p95 in ms per kind and endpoint, and the ratio at
p95; the machine's load average is printed before and after.

    python benchmarks/qa_similar.py [--keep DIR] [--questions 10000] [--repeat 5] [--seconds 120]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Benchmark-mat-khau-2026"
OFFICIAL = "bench_official"
KINDS = ("full title", "title naming a document", "first words (typing)")
PER_KIND = 40

SUBJECTS = [
    "Bộ phận Một cửa cấp xã", "Trung tâm Phục vụ hành chính công tỉnh", "công chức đầu mối CCHC",
    "UBND xã", "Sở Nội vụ", "văn thư cơ quan", "người đứng đầu cơ quan", "công chức Tư pháp – "
    "Hộ tịch", "phòng chuyên môn của sở", "cán bộ kiêm nhiệm CCHC", "Văn phòng UBND tỉnh",
    "đơn vị sự nghiệp công lập", "Ban Quản lý khu kinh tế", "công chức Văn phòng – Thống kê",
]
ACTIONS = [
    "tiếp nhận hồ sơ trực tuyến", "xin lỗi người dân khi hồ sơ trễ hạn", "số hóa hồ sơ giấy",
    "công bố danh mục thủ tục hành chính", "tự chấm điểm chỉ số cải cách hành chính",
    "chuẩn bị tài liệu kiểm chứng", "xử lý phản ánh, kiến nghị", "ký số văn bản đi",
    "lập kế hoạch cải cách hành chính năm", "báo cáo tỷ lệ hồ sơ đúng hạn",
    "đo mức độ hài lòng của người dân", "tiếp nhận hồ sơ không phụ thuộc địa giới hành chính",
    "rà soát, đơn giản hóa thủ tục", "cập nhật hồ sơ lên hệ thống thông tin giải quyết TTHC",
    "trả kết quả qua bưu chính", "thu phí, lệ phí trực tuyến", "đăng ký văn bản đến",
    "lập danh sách người làm công tác CCHC", "bồi dưỡng người mới nhận việc",
    "yêu cầu bổ sung hồ sơ", "từ chối tiếp nhận hồ sơ", "đánh giá, xếp loại công chức",
    "công khai kết quả giải quyết", "chuyển hồ sơ liên thông giữa các cơ quan",
]
FRAMES = [
    "{s} có phải {a} không?", "Thời hạn để {s} {a} là bao lâu?", "{s} {a} theo văn bản nào?",
    "Hướng dẫn {a} cho {s}", "Khi {a}, {s} cần lưu ý gì?", "Ai chịu trách nhiệm {a} tại {s}?",
    "Việc {a} năm {y} có gì mới?", "{s} có được {a} qua điện thoại không?",
    "Cách {a} đúng quy định?", "Trường hợp nào {s} không phải {a}?",
]
DOCUMENTS = [
    ("4599/QĐ-UBND", "Quyết định 4599"), ("118/2025/NĐ-CP", "Nghị định 118"),
    ("61/2018/NĐ-CP", "Nghị định 61"), ("03/2025/TT-VPCP", "Thông tư 03/2025"),
    ("63/2010/NĐ-CP", "Nghị định 63/2010"), ("20/2008/NĐ-CP", "Nghị định 20"),
    ("766/QĐ-TTg", "Quyết định 766"), ("30/2020/NĐ-CP", "Nghị định 30/2020"),
    ("42/2022/NĐ-CP", "Nghị định 42/2022"), ("76/NQ-CP", "Nghị quyết 76"),
]
TOPICS = ["PAR-INDEX", "SIPAS", "Một cửa", "TTHC", "Chính quyền số", "Công vụ", "Văn thư",
          "Phản ánh kiến nghị", "Đào tạo bồi dưỡng"]


def title(rng: random.Random, *, document: bool = False) -> str:
    """A question title on the reform's subjects (naming a document when asked)."""
    text = rng.choice(FRAMES).format(s=rng.choice(SUBJECTS), a=rng.choice(ACTIONS),
                                     y=rng.choice((2025, 2026)))
    text = text[0].upper() + text[1:]
    if document or rng.random() < 0.2:
        number, name = rng.choice(DOCUMENTS)
        text = text.rstrip("?") + f" theo {rng.choice((number, name))}?"
    return text


def answer(rng: random.Random) -> str:
    """A short Markdown answer citing a document."""
    number, _ = rng.choice(DOCUMENTS)
    return (f"Chào anh/chị,\n\nTheo [[{number}]], {rng.choice(SUBJECTS)} thực hiện việc "
            f"{rng.choice(ACTIONS)} trong thời hạn quy định và cập nhật lên hệ thống.\n\n"
            f"Lưu ý thêm về {rng.choice(ACTIONS)}.\n\nTrân trọng.")


def settings(work: Path) -> dict[str, str]:
    """The app's settings for a work folder, as CCHC_ environment variables."""
    return {
        "CCHC_SECRET_KEY": "benchmark-secret-key-" + "x" * 32,
        "CCHC_SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite'}",
        "CCHC_SEARCH_INDEX_DIR": str(work / "search-index"),
        "CCHC_UPLOAD_DIR": str(work / "uploads"),
        "CCHC_LOGIN_RATE_LIMIT": "100000 per minute",
        "CCHC_RATELIMIT_ENABLED": "false",
    }


def create():
    """The application, configured from the environment."""
    from cchc_learn import create_app

    return create_app()


def generate(app, count: int) -> float:
    """Write `count` questions with their answers straight into the tables; rebuild the index.

    Returns the seconds the index rebuild took.
    """
    from sqlalchemy import insert, select

    from cchc_learn.auth import service as auth_service
    from cchc_learn.auth.models import User
    from cchc_learn.database import declare_write
    from cchc_learn.extensions import db
    from cchc_learn.qa.models import Faq, Post, Question, QuestionTopic
    from cchc_learn.search import indexer

    rng = random.Random(4599)
    now = datetime.now(UTC)
    with app.app_context():
        declare_write()
        askers = list(db.session.scalars(select(User.id).where(User.username.like("cb%"))))
        moderator = auth_service.get_by_username("giaidap").id
        first = (db.session.scalar(select(db.func.max(Question.id))) or 0) + 1
        questions, topics, posts, faqs = [], [], [], []
        for i in range(count):
            qid = first + i
            asked = now - timedelta(days=rng.uniform(1, 700))
            kind = "faq" if i % 10 == 0 else "private" if i % 25 == 1 else (
                "open" if i % 25 == 2 else "public")
            answered = asked + timedelta(hours=rng.uniform(2, 90))
            questions.append({
                "id": qid, "title": title(rng), "body_md": "", "body_html": "",
                "asker_id": rng.choice(askers), "visibility": "private" if kind == "private"
                else "public", "show_name": False, "channel": "web",
                "state": "assigned" if kind == "open" else "accepted",
                "assignee_id": moderator, "asked_at": asked, "version": 1, "updated_at": asked,
                "first_answered_at": None if kind == "open" else answered,
                "last_answered_at": None if kind == "open" else answered,
                "due_at": asked + timedelta(days=4) if kind == "open" else None,
            })
            topics.append({"question_id": qid, "topic": rng.choice(TOPICS)})
            if kind != "open":
                body = answer(rng)
                posts.append({"question_id": qid, "author_id": moderator, "kind": "answer",
                              "body_md": body, "body_html": f"<p>{body}</p>", "accepted": True,
                              "created_at": answered})
            if kind == "faq":
                faqs.append({"question_id": qid, "valid_as_of": answered.date(),
                             "promoted_by_id": moderator, "promoted_at": answered})
        for model, rows in ((Question, questions), (QuestionTopic, topics), (Post, posts),
                            (Faq, faqs)):
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(model.__table__), rows[start:start + 2000])
        if auth_service.get_by_username(OFFICIAL) is None:
            auth_service.create_user(OFFICIAL, "Công chức đo tải", roles=["official"],
                                     password=PASSWORD)  # fmt: skip
        db.session.commit()
        declare_write(False)
        started = time.perf_counter()
        indexer.rebuild()
        return time.perf_counter() - started


def prepare(work: Path, count: int) -> float | None:
    """Quickstart into `work` and the generated questions, once; the rebuild's seconds."""
    os.environ.update(settings(work))
    marker = work / "prepared"
    if marker.exists():
        return None
    print("quickstart (about half a minute)…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "cchc_learn", "quickstart", "--no-serve"],
        env=os.environ, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )  # fmt: skip
    print(f"{count:,} generated questions and the index rebuild…", flush=True)
    seconds = generate(create(), count)
    marker.touch()
    return seconds


def queries() -> dict[str, list[str]]:
    """PER_KIND queries of each kind, the same on every run (another seed than the data)."""
    rng = random.Random(2030)
    full = [title(rng) for _ in range(PER_KIND)]
    numbered = [title(rng, document=True) for _ in range(PER_KIND)]
    typing = [" ".join(title(rng).split()[: rng.choice((3, 4))]) for _ in range(PER_KIND)]
    return {KINDS[0]: full, KINDS[1]: numbered, KINDS[2]: typing}


def signed_in_client(app):
    """A test client signed in as the benchmark official through the real form."""
    client = app.test_client()
    form = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"username": OFFICIAL, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    assert client.post("/auth/login", data=data).status_code == 302, "sign-in failed"
    return client


def timed(client, path: str, batch: list[str], repeat: int, deadline: float) -> list[float]:
    """Milliseconds per request after a warm-up pass; stops at `repeat` passes or the deadline."""
    def get(text: str) -> None:
        response = client.get(path, query_string={"q": text})
        assert response.status_code == 200, (path, text, response.status_code)
        response.get_json()

    for text in batch:
        get(text)
    samples: list[float] = []
    for _ in range(repeat):
        for text in batch:
            started = time.perf_counter()
            get(text)
            samples.append((time.perf_counter() - started) * 1000)
        if time.monotonic() > deadline:
            break
    return samples


def pct(samples: list[float], q: float) -> float:
    """The q-quantile of samples."""
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q * 100) - 1]


def counts(app) -> tuple[int, int]:
    """(questions in the database, questions in the index)."""
    from sqlalchemy import func, select

    from cchc_learn.extensions import db
    from cchc_learn.qa.models import Question
    from cchc_learn.qa.search_provider import all_ids

    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Question))
        return total, len(list(all_ids()))


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages."""
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    """Prepare the data, time both endpoints per kind, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="prepare into (or reuse) this folder")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=120.0,
                        help="time budget for all the timed passes together")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        built = prepare(work, args.questions)
        app = create()
        client = signed_in_client(app)
        in_db, indexed = counts(app)
        print(f"questions: {in_db:,} in the database, {indexed:,} in the index; index rebuild "
              f"{'reused' if built is None else f'{built:.0f} s'}")
        print(f"load average before: {load_average()} ({os.cpu_count()} cores)")
        budget = args.seconds / (len(KINDS) * 2)
        rows = []
        for kind, batch in queries().items():
            similar = timed(client, "/api/v1/qa/similar", batch, args.repeat,
                            time.monotonic() + budget)
            search = timed(client, "/api/v1/search", batch, args.repeat,
                           time.monotonic() + budget)
            rows.append((kind, similar, search))
        print(f"load average after: {load_average()}")
        print(f"{PER_KIND} queries per kind, one warm-up pass, then up to {args.repeat} timed "
              "passes")
        print("| kind | /api/v1/qa/similar p50 / p95 ms | /api/v1/search p50 / p95 ms "
              "| similar / search at p95 | timed requests |")
        print("|---|---|---|---|---|")
        for kind, similar, search in rows:
            print(f"| {kind} | {pct(similar, 0.5):.1f} / {pct(similar, 0.95):.1f} "
                  f"| {pct(search, 0.5):.1f} / {pct(search, 0.95):.1f} "
                  f"| {pct(similar, 0.95) / pct(search, 0.95):.2f}× "
                  f"| {len(similar)} + {len(search)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
