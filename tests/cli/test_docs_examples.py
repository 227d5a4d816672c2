"""Every example in docs/ runs against the demo data that `cchc-learn quickstart` loads.

Console transcripts (```console blocks: `$ cchc-learn …` lines, then what the command prints)
are run as written from a copy of the checkout's docs/, and must print exactly what the doc
shows; a command followed by `# thoát với mã N` must exit with N, every other one with 0.
The example files the docs show inline are the files in docs/examples/, byte for byte.
"""

from __future__ import annotations

import re
import shlex
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from helpers import csrf_token, login, page_text, post
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cchc_learn.auth.models import User
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document
from cchc_learn.markup.doclinks import normalize_doc_number
from cchc_learn.org.models import Unit

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
# Pages only moderators open (admins get 403).
MODERATOR_PAGES = ("/qa/queue", "/qa/record", "/qa/routing", "/qa/templates")
# Files on a server (docs/operations.md), not pages of the site.
SERVER_FILES = ("/etc/", "/srv/", "/var/", "/run/", "/usr/", "/tmp/", "/root/")
# The one document number the docs cite on purpose as missing from the demo knowledge base.
MISSING_ON_PURPOSE = {"30c/NQ-CP"}


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def fenced(text: str, lang: str) -> list[str]:
    """The bodies of the ```lang blocks of a Markdown text ("" for blocks without a language)."""
    blocks: list[str] = []
    fence, info, current = "", "", []
    for line in text.splitlines(keepends=True):
        if not fence:
            opening = re.match(r"(`{3,})(.*)$", line.rstrip("\n"))
            if opening:
                fence, info, current = opening.group(1), opening.group(2).strip(), []
        elif line.rstrip("\n") == fence:
            if info == lang:
                blocks.append("".join(current))
            fence = ""
        else:
            current.append(line)
    return blocks


@dataclass
class Step:
    """One command of a console transcript and what the doc says it prints."""

    command: str
    exit_code: int = 0
    output: list[str] = field(default_factory=list)


def transcript(text: str) -> list[Step]:
    """Every `$ cchc-learn …` line of the ```console blocks, in order, with its output."""
    steps: list[Step] = []
    for block in fenced(text, "console"):
        for line in block.splitlines():
            if line.startswith("$ "):
                command, _, comment = line[2:].partition("  #")
                code = re.search(r"thoát với mã (\d+)", comment)
                steps.append(Step(command.strip(), int(code.group(1)) if code else 0))
            else:
                steps[-1].output.append(line)
    return steps


def run_step(runner, step: Step, cwd: Path) -> None:
    """Run one transcript command in cwd and compare it with the doc."""
    args = shlex.split(step.command)
    assert args[0] == "cchc-learn", step.command
    target = None
    if ">" in args:
        args, target = args[: args.index(">")], args[args.index(">") + 1]
    result = runner.invoke(args=args[1:])
    assert result.exit_code == step.exit_code, f"$ {step.command}\n{result.output}"
    if target:
        (cwd / target).write_text(result.stdout, encoding="utf-8")
        printed = []
    else:
        printed = result.output.splitlines()
    assert printed == step.output, f"$ {step.command}"


def quickstart(runner, tmp_path: Path, monkeypatch, *, content: bool) -> dict[str, str]:
    """The demo (with the checkout's content/ when asked), run from a copy of docs/."""
    if content:
        shutil.copytree(REPO / "content", tmp_path / "content")
    else:
        (tmp_path / "content").mkdir(exist_ok=True)
    shutil.copytree(DOCS, tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["quickstart", "--no-serve"])
    assert result.exit_code == 0, result.output
    return dict(re.findall(r"^  (\S+)\s+(\S+)$", result.output, re.M))


def signed_in(app, username: str, password: str):
    client = app.test_client()
    assert login(client, app, username, password).status_code == 302
    return client


def upload(client, app, path: Path, kind: str):
    """Send a file through the admin import form, as a browser does."""
    fields = {"kind": kind, "csrf_token": csrf_token(client, app)}
    fields["file"] = FileStorage(path.open("rb"), filename=path.name)
    boundary, body = encode_multipart(fields)
    fields["file"].close()
    return client.post(
        "/admin/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def confirm(client, app, preview):
    match = re.search(r'action="(/admin/import/[^"]+/confirm)"', preview.get_data(as_text=True))
    assert match, page_text(preview)
    return post(client, app, match.group(1))


# --- the example files --------------------------------------------------------------------


def test_every_example_file_is_shown_and_linked_by_a_doc():
    texts = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    shown = {
        "import.md": fenced(texts["import.md"], "csv"),
        "classes-import.md": fenced(texts["classes-import.md"], "csv"),
        "question-format.md": fenced(texts["question-format.md"], "markdown")[:1],
        "quizzes.md": fenced(texts["quizzes.md"], "markdown")[:1],
    }
    examples = sorted(EXAMPLES.iterdir())
    assert [p.name for p in examples] == [
        "can-bo-loi.csv",
        "can-bo.csv",
        "chi-so-papi.md",
        "danh-sach-ky.csv",
        "danh-sach-lop.csv",
        "don-vi.csv",
        "kiem-tra-mau.md",
        "lop-cu.xlsx",
    ]
    for path in examples:
        linked = [n for n, t in texts.items() if f"](examples/{path.name})" in t]
        assert linked, f"no doc links to docs/examples/{path.name}"
        if path.suffix == ".xlsx":
            continue  # a workbook: its doc shows it as tables (tests/classes checks them)
        body = path.read_text(encoding="utf-8")
        inline = [n for n, blocks in shown.items() if body in blocks]
        # The error file is only run (its output is in the doc), not reproduced.
        assert inline or path.name == "can-bo-loi.csv", f"no doc shows {path.name} as it is"


# --- docs/import.md -----------------------------------------------------------------------


def test_the_import_commands_of_the_doc_run_on_the_demo(app, runner, tmp_path, monkeypatch):
    quickstart(runner, tmp_path, monkeypatch, content=False)
    steps = transcript(doc("import.md"))
    assert [s.command for s in steps] == [
        "cchc-learn units import docs/examples/don-vi.csv",
        "cchc-learn users import docs/examples/can-bo.csv --dry-run",
        "cchc-learn users import docs/examples/can-bo.csv --passwords-out mat-khau.csv",
        "cchc-learn users import docs/examples/can-bo.csv",
        "cchc-learn users import docs/examples/can-bo-loi.csv",
    ]
    for step in steps:
        run_step(runner, step, tmp_path)

    with app.app_context():
        units = {u.code: u for u in db.session.scalars(select(Unit))}
        assert units["AG-SNV-KSTTHC"].parent.code == "AG-SNV-PCCHC"
        assert units["AG-SNV-PCCHC"].parent.code == "AG-SNV"
        assert units["AG-X-MYHOA-MC"].parent.code == "AG-X-MYHOA"
    out = tmp_path / "mat-khau.csv"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["username", "password"]
    issued = dict(rows[1:])
    assert sorted(issued) == ["lequangcuong", "nguyenvana", "tranthibinh"]
    official = signed_in(app, "tranthibinh", issued["tranthibinh"])
    assert official.get("/").headers["Location"] == "/auth/password"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "tranthibinh"))
        assert user.role_names == {"official", "trainer"}
        # The rejected file wrote nothing: its new name does not exist.
        assert db.session.scalar(select(User).where(User.username == "vothihoa")) is None


def test_without_passwords_out_the_import_prints_each_password_once(
    app, runner, tmp_path, monkeypatch
):
    quickstart(runner, tmp_path, monkeypatch, content=False)
    result = runner.invoke(args=["users", "import", "docs/examples/can-bo.csv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "docs/examples/can-bo.csv: đã nhập 3 tài khoản tạo mới, 0 không đổi."
    assert lines[2] == "username,password"
    issued = dict(line.split(",") for line in lines[3:])
    assert sorted(issued) == ["lequangcuong", "nguyenvana", "tranthibinh"]
    assert signed_in(app, "nguyenvana", issued["nguyenvana"]).get("/").status_code == 302


def test_the_import_page_gives_the_numbers_the_doc_states(app, runner, tmp_path, monkeypatch):
    passwords = quickstart(runner, tmp_path, monkeypatch, content=False)
    text = " ".join(doc("import.md").split())
    admin = signed_in(app, "admin", passwords["admin"])
    expected = [
        (
            "don-vi.csv",
            "units",
            "3 tạo mới, 1 không đổi, 0 dòng lỗi",
            "Đã tạo mới 3 đơn vị; 1 dòng không đổi.",
        ),
        (
            "can-bo.csv",
            "accounts",
            "3 tạo mới, 0 không đổi, 0 dòng lỗi",
            "Đã tạo mới 3 tài khoản; 0 dòng không đổi.",
        ),
    ]
    for name, kind, previewed, done in expected:
        assert f"`docs/examples/{name}` cho" in text and previewed in text and done in text
        preview = upload(admin, app, EXAMPLES / name, kind)
        assert preview.status_code == 200
        assert previewed in page_text(preview)
        result = confirm(admin, app, preview)
        assert done in page_text(result)
    passwords_shown = re.findall(r'<code class="secret">([A-Za-z0-9]+)</code>', result.text)
    assert len(passwords_shown) == 3


# --- docs/search.md -----------------------------------------------------------------------


def number_table(text: str) -> list[tuple[list[str], str, list[str]]]:
    """(queries, the number found first, numbers it is not confused with) per table row."""
    section = text[text.index("### Số ký hiệu văn bản") : text.index("Cách viết tự nhiên")]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        queries = re.findall(r"`([^`]+)`", cells[0])
        first = re.search(r"(?:Quyết định|Nghị quyết) (\S+)\)?$", cells[1])
        others = [re.sub(r"\s*\(.*\)$", "", o).strip() for o in cells[2].split(",") if o.strip()]
        rows.append((queries, first.group(1).rstrip(")"), others))
    return rows


def short_reference_table(text: str) -> list[tuple[list[str], str]]:
    """(queries, the number found first) per row of the short-number table."""
    section = text[text.index("### Số ký hiệu gõ tắt") : text.index("Cách đọc:")]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        first = re.search(r"\d+/[^\s()]+", cells[1]).group(0)
        rows.append((re.findall(r"`([^`]+)`", cells[0]), first))
    return rows


def hits(answer: dict) -> list[tuple[str, int]]:
    return [(hit["kind"], hit["id"]) for hit in answer["results"]]


def test_the_search_examples_find_what_the_doc_says(app, runner, tmp_path, monkeypatch):
    passwords = quickstart(runner, tmp_path, monkeypatch, content=True)
    official = signed_in(app, "hocvien", passwords["hocvien"])
    text = doc("search.md")

    def api(query: str) -> dict:
        response = official.get("/api/v1/search", query_string={"q": query})
        assert response.status_code == 200
        return response.get_json()

    def search(query: str) -> dict:
        assert f"`{query}`" in text, f"the doc does not show {query!r}"
        return api(query)

    rows = number_table(text)
    assert len(rows) == 5
    for queries, first, others in rows:
        for query in queries:
            answer = search(query)
            numbers = [hit.get("number") for hit in answer["results"]]
            assert numbers and numbers[0] == first, (query, numbers)
            for other in others:
                assert other not in numbers, (query, other)

    rows = short_reference_table(text)
    assert len(rows) == 7
    for queries, first in rows:
        for query in queries:
            numbers = [hit.get("number") for hit in search(query)["results"]]
            assert numbers and numbers[0] == first, (query, numbers)
    # Keyboard leftovers, a wrong mark, abbreviations and paraphrases.
    leftovers = [("cair cachs hanhf chinhs", "cải cách hành chính"), ("mo65t cu73a", "một cửa")]
    for typed, meant in leftovers:
        answer = search(typed)
        assert (answer["suggestion"], answer["repaired"]) == (meant, True)
        assert hits(answer) == hits(api(meant)) != []
    page = official.get("/search", query_string={"q": "cair cachs hanhf chinhs"})
    assert "Có phải bạn muốn tìm: cải cách hành chính" in page_text(page)
    assert set(hits(search("dề án"))) == set(hits(api("đề án"))) != set()
    assert "chi-so-hai-long-sipas" in search("SIPAS")["results"][0]["url"]
    assert "chi-so-papi" in api("người dân đánh giá chính quyền")["results"][0]["url"]

    # Without diacritics, old and new tone placement, quoted phrases: the same documents.
    assert search("cai cach hanh chinh")["total"] >= search("cải cách hành chính")["total"] > 0
    snippets = [re.sub(r"<[^>]+>", "", h["snippet"]).lower() for h in search("dang ky")["results"]]
    assert any("đăng ký" in s for s in snippets), snippets
    for old, new in [("hoá", "hóa"), ("thuỷ", "thủy"), ("uỷ ban", "ủy ban")]:
        assert hits(search(old)) == hits(search(new)) != []
    phrase = search('"hành chính công"')
    assert 0 < phrase["total"] == search('"hanh chinh cong"')["total"]
    assert phrase["total"] < api("hành chính công")["total"]
    assert search('"một cửa" hồ sơ')["total"] > 0
    long = "Hồ sơ nộp tại Bộ phận Một cửa cấp xã bao lâu thì được trả kết quả?"
    assert long in text  # shown as a sentence, not in backticks
    assert api(long)["total"] > 0
    # Facet values are words too; a typo gets "did you mean".
    assert "PAPI" in search("PAPI")["results"][0]["title"]
    lai_chau = search("tỉnh Lai Châu")
    assert "UBND tỉnh Lai Châu" in [value for value, _ in lai_chau["facets"]["issuer"]]
    assert search("cai cachh")["suggestion"] == "cai cach"
    assert search("quyêt định")["suggestion"] == "quyết định"
    page = official.get("/search", query_string={"q": "cai cachh"})
    assert "Có phải bạn muốn tìm: cai cach" in page_text(page)

    # The shell commands the doc names.
    rebuilt = runner.invoke(args=["search", "reindex"])
    assert rebuilt.exit_code == 0 and "Đã xây dựng lại chỉ mục" in rebuilt.output
    queried = runner.invoke(args=["search", "query", "4599/QD-UBND", "--json"])
    assert queried.exit_code == 0, queried.output
    assert '"number": "4599/QĐ-UBND"' in queried.output.splitlines()[0]


# --- knowledge base, lessons, Markdown ----------------------------------------------------


EXCERPT = re.compile(
    r"`(content/[^`]+\.md)`[^\n]*\n(?:[^\n]*\n)?\n```markdown\n(.*?)^```$", re.S | re.M
)


def excerpts_of_demo_files() -> list[tuple[str, Path, str]]:
    """Each ```markdown block introduced as (part of) a file of content/, with that file."""
    found = []
    for name in ("knowledge-base.md", "lessons.md"):
        text = doc(name)
        for match in EXCERPT.finditer(text):
            found.append((name, REPO / match.group(1), match.group(2)))
    return found


def test_file_examples_are_excerpts_of_the_demo_content():
    excerpts = excerpts_of_demo_files()
    assert [(n, p.relative_to(REPO).as_posix()) for n, p, _ in excerpts] == [
        ("knowledge-base.md", "content/documents/4599-qd-ubnd.md"),
        ("lessons.md", "content/modules/mot-cua-lien-thong/module.md"),
        ("lessons.md", "content/modules/mot-cua-lien-thong/03-huong-dan-va-tiep-nhan-ho-so.md"),
    ]
    for name, path, block in excerpts:
        lines = path.read_text(encoding="utf-8").splitlines()
        position = 0
        for line in block.splitlines():
            if line == "…":
                continue
            assert line in lines[position:], f"{name}: {line!r} is not in {path.name}"
            position = lines.index(line, position) + 1
    tree = fenced(doc("lessons.md"), "")[0]
    folder = REPO / "content/modules/mot-cua-lien-thong"
    for listed in re.findall(r"^\s+(\S+\.(?:md|svg))", tree, re.M):
        assert list(folder.rglob(listed)), listed


def test_urls_links_and_messages_in_the_docs_match_the_demo(app, runner, tmp_path, monkeypatch):
    passwords = quickstart(runner, tmp_path, monkeypatch, content=True)
    texts = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    admin = signed_in(app, "admin", passwords["admin"])
    trainer = signed_in(app, "giangvien", passwords["giangvien"])
    moderator = signed_in(app, "giaidap", passwords["giaidap"])

    # Every page address the docs give (without a placeholder) opens for the role it is for.
    urls = set()
    for text in texts.values():
        urls |= {u for u in re.findall(r"`(/[^`\s]*)`", text) if re.match(r"/[a-z]", u)}
    # The example quiz's page exists once the doc's steps are followed (the quiz test does).
    urls = {u for u in urls if "<" not in u and not u.startswith(SERVER_FILES)}
    urls -= {"/quizzes/kiem-tra-mau"}
    assert {
        "/modules/mot-cua-lien-thong/huong-dan-va-tiep-nhan-ho-so",
        "/kb/4599-qd-ubnd",
        "/quizzes/kiem-tra-tong-hop",
    } <= urls
    assert {"/qa/queue", "/reports/qa"} <= urls
    for url in sorted(urls):
        client = trainer if url.startswith(("/authoring", "/quizzes/manage")) else admin
        if url.startswith(MODERATOR_PAGES):
            client = moderator
        response = client.get(url)
        assert response.status_code == 200, url

    # Every [[number]] the docs cite is in the demo knowledge base, but the broken example.
    with app.app_context():
        numbers = {normalize_doc_number(n) for n in db.session.scalars(select(Document.number))}
    cited = set()
    for text in texts.values():
        for raw in re.findall(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]", text):
            if re.search(r"\d", raw):
                cited.add(normalize_doc_number(raw))
    assert cited - numbers == MISSING_ON_PURPOSE
    assert "61/2018/NĐ-CP" in cited and "30c/NQ-CP" not in numbers

    # The read-only note the lessons doc quotes.
    note = page_text(trainer.get("/authoring/modules/mot-cua-lien-thong/"))
    assert (
        "Nội dung này được quản lý bằng tệp content/modules/mot-cua-lien-thong/module.md "
        "(và các tệp bài học cùng thư mục)" in note
    )
    assert "Nội dung này được quản lý bằng tệp content/modules/mot-cua-lien-thong/module.md" in (
        " ".join(texts["lessons.md"].split())
    )


def test_content_check_prints_the_errors_the_lessons_doc_shows(app, runner, tmp_path, monkeypatch):
    # `content check` reads files only: the demo's content/ is enough, no quickstart needed.
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(args=["content", "check"]).exit_code == 0
    # The mistakes the doc describes, made on a copy of the demo module.
    module = tmp_path / "content/modules/mot-cua-lien-thong"
    text = (module / "module.md").read_text(encoding="utf-8")
    (module / "module.md").write_text(text.replace("order: 3\n", "order: 3\nauthor: Sở Nội vụ\n"))
    lesson = module / "03-huong-dan-va-tiep-nhan-ho-so.md"
    lines = lesson.read_text(encoding="utf-8").replace("minutes: 11", "minutes: mười một")
    lines = lines.split("\n")
    lines.insert(30, "![Sơ đồ](assets/so-do.png)")
    lines.insert(40, "Xem [[30c/NQ-CP]].")
    lesson.write_text("\n".join(lines), encoding="utf-8")
    duplicate = module / "07-huong-dan-va-tiep-nhan-ho-so.md"
    shutil.copy(module / "01-co-che-mot-cua-la-gi.md", duplicate)

    result = runner.invoke(args=["content", "check"])
    assert result.exit_code != 0
    shown = fenced(doc("lessons.md"), "")[1].splitlines()
    assert shown and all(line.startswith("content/modules/mot-cua-lien-thong/") for line in shown)
    assert result.output.splitlines() == shown


# --- docs/qa.md ---------------------------------------------------------------------------


def test_the_qa_doc_matches_the_demo(app, runner, tmp_path, monkeypatch):
    from cchc_learn.qa import routing, similar
    from cchc_learn.qa.models import Faq, Question
    from cchc_learn.qa.settings import DEFAULTS

    passwords = quickstart(runner, tmp_path, monkeypatch, content=True)
    text = doc("qa.md")
    flat = " ".join(text.split())
    with app.app_context():
        questions = {q.title: q for q in db.session.scalars(select(Question))}
        faq_count = db.session.scalar(select(db.func.count()).select_from(Faq))
        rules = {}
        for rule in routing.rules():
            rules.setdefault(rule.username, []).append(rule.topic)
        official = db.session.scalar(select(User).where(User.username == "cb001"))
        suggested = [s.title for s in similar.similar("ai là cán bộ làm công tác CCHC", official)]
        db.session.expunge_all()
    assert f"{len(questions)} câu hỏi" in flat and f"{faq_count} mục hỏi đáp thường gặp" in flat

    # Every demo question the doc names exists, in the state the doc gives it.
    named = [t for t in re.findall(r"“([^”]+\?)”", flat) if len(t.split()) > 5]
    assert len(named) >= 7
    for title in named:
        assert title in questions, title
    state = {title: questions[title].state for title in named}
    moderator = signed_in(app, "giaidap", passwords["giaidap"])
    queue = page_text(moderator.get("/qa/queue"))
    for title in ("Xã mới sau sắp xếp tự đánh giá chỉ số CCHC năm 2025 theo số liệu của xã cũ "
                  "nào?", "Phòng nào của Sở Nội vụ tham mưu chấm điểm chỉ số CCHC các sở, xã?"):
        row = queue[queue.index(title):][:400]
        assert "Quá hạn" in row, row
    assert state["Hệ thống học tập có ứng dụng riêng trên điện thoại không?"] == "new"
    assert state["Thủ tục đăng ký khai sinh có nằm trong danh mục tiếp nhận không phụ thuộc "
                 "địa giới không?"] == "needs_info"
    duplicate = questions["Nghị định 61/2018 còn hiệu lực không, Bộ phận Một cửa xã áp dụng "
                          "văn bản nào?"]
    assert duplicate.state == "duplicate"
    assert "118/2025" in questions_by_id(questions)[duplicate.duplicate_of_id].title
    assert questions["Bước tiếp nhận hồ sơ trong quy trình nội bộ thường được bao nhiêu giờ?"
                     ].channel == "phone"
    assert 'Ai được xem là "cán bộ làm công tác CCHC" theo Đề án 4599?' in suggested

    # The routing table and the settings table say what the demo and the defaults are.
    found = re.findall(r"^\| [^|]+ \(`(\w+)`\) \| ([^|]+) \|$", text, re.M)
    table = {user: sorted(t.strip() for t in topics.split(",")) for user, topics in found}
    assert table == {user: sorted(topics) for user, topics in rules.items()}
    for name, value in DEFAULTS.items():
        if name != "QA_TOPICS":
            assert f"| `{name}` | `{value}` |" in text, name
    assert ", ".join(DEFAULTS["QA_TOPICS"]) in text
    cron = [line for line in fenced(text, "sh")[0].splitlines() if line.startswith("* * * * *")]
    assert cron and cron[0] in (REPO / "README.md").read_text(encoding="utf-8")

    # The report's download the doc shows.
    csv_file = moderator.get("/reports/qa/download?format=csv&table=moderators")
    assert csv_file.status_code == 200 and csv_file.get_data().startswith(b"\xef\xbb\xbf")
    assert "Lê Thị Ngọc Hân" in csv_file.get_data().decode("utf-8-sig")


def questions_by_id(questions: dict) -> dict:
    return {q.id: q for q in questions.values()}


# --- quizzes and question banks -----------------------------------------------------------


def test_the_quiz_examples_run_on_the_demo(app, runner, tmp_path, monkeypatch):
    passwords = quickstart(runner, tmp_path, monkeypatch, content=True)
    steps = transcript(doc("quizzes.md"))
    assert steps[0].command.startswith("cchc-learn quiz import docs/examples/chi-so-papi.md")
    for step in steps:
        run_step(runner, step, tmp_path)

    # The example quiz, copied into content/quizzes/ and synced as the doc says.
    shutil.copy(EXAMPLES / "kiem-tra-mau.md", tmp_path / "content/quizzes/kiem-tra-mau.md")
    synced = runner.invoke(args=["content", "sync"])
    assert synced.exit_code == 0, synced.output
    assert "Bài kiểm tra: thêm 1" in synced.output and "Bài kiểm tra: thêm 1" in doc("quizzes.md")
    official = signed_in(app, "hocvien", passwords["hocvien"])
    quiz = official.get("/quizzes/kiem-tra-mau")
    assert quiz.status_code == 200
    assert "Kiểm tra nhanh — tổng quan cải cách hành chính và chỉ số PAPI" in page_text(quiz)

    # Every question example of the question format reads as a bank of its own.
    examples = fenced(doc("question-format.md"), "markdown")
    assert len(examples) >= 10
    for number, block in enumerate(examples, start=1):
        named = re.search(r"^bank: (\S+)$", block, re.M)
        bank = named.group(1) if named else f"vi-du-{number}"
        path = tmp_path / f"vi-du-{number}.md"
        path.write_text(block, encoding="utf-8")
        result = runner.invoke(args=["quiz", "import", str(path), "--bank", bank])
        assert result.exit_code == 0, f"example {number}:\n{block}\n{result.output}"
        counts = re.search(r"thêm (\d+), cập nhật (\d+), không đổi (\d+) câu hỏi\.$", result.output)
        assert counts and sum(map(int, counts.groups())) == block.count("\n## ") + (
            block.startswith("## ")
        ), result.output


def test_docs_name_no_cli_command_that_does_not_exist(runner):
    for path in sorted(DOCS.glob("*.md")):
        for command in re.findall(r"cchc-learn ([a-z]+(?: [a-z-]+)?)", doc(path.name)):
            words = command.split()
            result = runner.invoke(args=[*words, "--help"])
            if result.exit_code != 0:  # a one-word command followed by an ordinary word
                result = runner.invoke(args=[words[0], "--help"])
            assert result.exit_code == 0, f"{path.name}: cchc-learn {command}"
