"""The virtual people of `load.py`: a browser over http.client, their journeys, the ledger.

Each virtual person keeps one keep-alive connection, signs in through the real form and then
follows journeys picked at random in the proportions of a campaign's last days (most people
study and read, some search, take the quiz, look at their progress, a few ask). Moderators
answer from their queue, admins open the compliance report and download it. Every write the
server acknowledged (a page that was shown, a redirect after a form) goes into the ledger with
what identifies it; `load.py` checks the ledger against the database afterwards.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
QUESTION_LINK = re.compile(r'href="/qa/(\d+)"')
ATTEMPT_PATH = re.compile(r"/quizzes/attempts/(\d+)$")
DEGRADED = "Chỉ mục tìm kiếm đang được xây dựng lại"
"""What the search page says while its index is missing or damaged (search/service.py)."""

SEARCHES = [
    "một cửa liên thông", "cai cach hanh chinh", "4599/QĐ-UBND", "76/NQ-CP", "PAR INDEX",
    "chỉ số hài lòng SIPAS", "thủ tục hành chính", "dich vu cong truc tuyen", "chính quyền số",
    "tiếp nhận hồ sơ", "kiểm soát thủ tục hành chính", "PAPI cấp xã", "văn thư lưu trữ",
    "bộ phận một cửa cấp xã", "đánh giá cán bộ công chức", "số hóa hồ sơ", "qđ 4599",
    "nghị định 61/2018", "phản ánh kiến nghị", "trung tâm phục vụ hành chính công",
]
QUESTIONS = [
    "Hồ sơ nộp trực tuyến có cần nộp thêm bản giấy không?",
    "Cách tính thời hạn giải quyết khi hồ sơ phải bổ sung?",
    "Bộ phận một cửa cấp xã có được từ chối tiếp nhận hồ sơ?",
    "Chỉ số SIPAS được khảo sát vào thời điểm nào trong năm?",
    "Số hóa kết quả giải quyết thủ tục hành chính làm thế nào?",
    "Công chức chưa hoàn thành bài học thì báo cáo tính ra sao?",
]
TOPICS = ["Một cửa", "TTHC", "SIPAS", "Chính quyền số", "Đào tạo bồi dưỡng", "PAR-INDEX"]

OFFICIAL_JOURNEYS = {"study": 35, "document": 20, "search": 15, "quiz": 12, "me": 12, "ask": 6}


@dataclass
class Site:
    """What the virtual people know of the site: where to go (read from the database)."""

    port: int
    lessons: list[str]
    """Lesson paths, "module/lesson"."""
    documents: list[str]
    """Document slugs."""
    quizzes: list[str]
    plan: str
    password: str


class Stats:
    """Latency and outcome of every request, per step; also the request budget."""

    def __init__(self, budget: int | None, stop: threading.Event) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, Counter] = defaultdict(Counter)
        self.degraded = 0
        self.budget = budget
        self.sent = 0
        self.stop = stop

    def take(self) -> bool:
        """Reserve one request of the budget; False once the run is over."""
        with self.lock:
            if self.stop.is_set():
                return False
            if self.budget is not None and self.sent >= self.budget:
                self.stop.set()
                return False
            self.sent += 1
            return True

    def add(self, step: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.samples[step].append(seconds)
            kind = "none" if status is None else f"{status // 100}xx"
            self.status[step][kind] += 1

    def total(self, kind: str | None = None) -> int:
        with self.lock:
            if kind is None:
                return sum(len(v) for v in self.samples.values())
            return sum(c[kind] for c in self.status.values())

    def all_samples(self) -> list[float]:
        with self.lock:
            return [s for v in self.samples.values() for s in v]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of seconds, in milliseconds."""
    if not samples:
        return 0.0, 0.0
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


@dataclass
class Ledger:
    """Every write the server acknowledged, with what identifies it in the database."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    views: Counter = field(default_factory=Counter)
    """(username, "lesson" | "document", "module/lesson" | slug) → pages shown."""
    completions: set = field(default_factory=set)
    """(username, "module/lesson") confirmed as completed."""
    autosaves: dict = field(default_factory=dict)
    """attempt id → (username, positions answered)."""
    submits: dict = field(default_factory=dict)
    """attempt id → username."""
    questions: dict = field(default_factory=dict)
    """question id → (username, title)."""
    answers: list = field(default_factory=list)
    """(question id, username, marker in the body)."""

    def note(self, what: str, key, value=None) -> None:
        with self.lock:
            if what == "view":
                self.views[key] += 1
            elif what == "completion":
                self.completions.add(key)
            elif what == "answer":
                self.answers.append(key)
            else:
                getattr(self, what)[key] = value


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        """The redirect's path (with its query), or ''."""
        target = urlsplit(self.headers.get("Location") or "")
        return target.path + (f"?{target.query}" if target.query else "")


class Browser:
    """One person's connection and cookies; times every request it sends."""

    def __init__(self, site: Site, stats: Stats) -> None:
        self.site, self.stats = site, stats
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.token = ""

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, step: str, method: str, path: str, form=None,
             headers: dict[str, str] | None = None) -> Response | None:
        """One request; None when the run is over or the server gave no answer."""
        if not self.stats.take():
            return None
        body = urlencode(form) if form is not None else None
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=120)
            self.conn.request(method, path, body=body, headers=sent)
            answer = self.conn.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException):
            # No answer: the request is not acknowledged, whatever the server did with it.
            self.close()
            self.stats.add(step, time.perf_counter() - start, None)
            return None
        self.stats.add(step, time.perf_counter() - start, answer.status)
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        response = Response(answer.status, answer.headers, data)
        found = TOKEN.search(response.text) if b"csrf_token" in data else None
        if found:
            self.token = found.group(1)
        return response

    def get(self, step: str, path: str) -> Response | None:
        return self.send(step, "GET", path)

    def post(self, step: str, path: str, form: list | dict, **kw) -> Response | None:
        fields = list(form.items()) if isinstance(form, dict) else list(form)
        return self.send(step, "POST", path, [("csrf_token", self.token), *fields], **kw)


class QuizForm(HTMLParser):
    """The answer fields of an attempt page: each name with its kind and possible values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, tuple[str, list[str]]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and re.fullmatch(r"q\d+", name):
            kind = a.get("type", "text")
            self.fields.setdefault(name, (kind, []))[1].append(a.get("value") or "")
        elif tag == "textarea" and re.fullmatch(r"q\d+", name):
            self.fields[name] = ("textarea", [])
        elif tag == "select" and re.fullmatch(r"q\d+-.+", name):
            self._select = name
            self.fields[name] = ("select", [])
        elif tag == "option" and self._select and a.get("value"):
            self.fields[self._select][1].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def answers(self, rng: random.Random) -> tuple[list[tuple[str, str]], set[int]]:
        """A filled-in answer for every question, and the positions answered."""
        chosen, positions = [], set()
        for name, (kind, values) in self.fields.items():
            if kind in ("radio", "checkbox", "select") and values:
                value = rng.choice(values)
            elif kind in ("text", "textarea"):
                value = rng.choice(["1", "2025", "một cửa", "Không"])
            else:
                continue
            chosen.append((name, value))
            positions.add(int(re.match(r"q(\d+)", name).group(1)))
        return chosen, positions


class Person(threading.Thread):
    """A virtual person: signs in, then follows journeys until the run is over."""

    def __init__(self, username: str, role: str, site: Site, stats: Stats, ledger: Ledger,
                 think: float, ramp: float, seed: int) -> None:
        super().__init__(daemon=True, name=username)
        self.username, self.role, self.site = username, role, site
        self.stats, self.ledger = stats, ledger
        self.think, self.ramp = think, ramp
        self.rng = random.Random(seed)
        self.browser = Browser(site, stats)
        self.used_up: set[str] = set()
        self.signed_in = False
        self.arrived = threading.Event()
        """Set once the person has signed in (or given up): the run's clock starts after."""

    def pause(self, factor: float = 1.0) -> None:
        self.stats.stop.wait(self.think * factor * self.rng.uniform(0.5, 1.5))

    def run(self) -> None:
        self.stats.stop.wait(self.rng.uniform(0, self.ramp))
        try:
            for _ in range(3):
                if self.stats.stop.is_set() or self.sign_in():
                    break
                self.pause(2)
            self.arrived.set()
            while self.signed_in and not self.stats.stop.is_set():
                if self.role == "admin":
                    self.report()
                    self.pause(4)
                elif self.role == "moderator":
                    self.moderate()
                    self.pause(3)
                else:
                    journeys = list(OFFICIAL_JOURNEYS)
                    weights = list(OFFICIAL_JOURNEYS.values())
                    getattr(self, self.rng.choices(journeys, weights)[0])()
                    self.pause()
        finally:
            self.arrived.set()
            self.browser.close()

    # --- journeys ------------------------------------------------------------------------

    def sign_in(self) -> bool:
        b = self.browser
        if b.get("sign-in form", "/auth/login") is None:
            return False
        answer = b.post("sign in", "/auth/login",
                        {"username": self.username, "password": self.site.password, "next": ""})
        # Refused or failed: the step's 4xx/5xx say so, and the person tries again.
        self.signed_in = answer is not None and answer.status == 302
        return self.signed_in

    def view(self, step: str, path: str, kind: str, key: str) -> Response | None:
        """A lesson or document page; shown means its view was recorded."""
        answer = self.browser.get(step, path)
        if answer is not None and answer.status == 200:
            self.ledger.note("view", (self.username, kind, key))
        return answer

    def study(self) -> None:
        b = self.browser
        lesson = self.rng.choice(self.site.lessons)
        module = lesson.split("/", 1)[0]
        if b.get("module list", "/modules/") is None:
            return
        if b.get("module page", f"/modules/{module}/") is None:
            return
        page = self.view("lesson page", f"/modules/{lesson}", "lesson", lesson)
        if page is None or page.status != 200:
            return
        self.pause(0.5)
        done = b.post("complete lesson", f"/modules/{lesson}/complete", {})
        if done is not None and done.status == 302:
            self.ledger.note("completion", (self.username, lesson))
            self.view("lesson page", done.location.split("#")[0], "lesson", lesson)

    def document(self) -> None:
        slug = self.rng.choice(self.site.documents)
        self.view("document page", f"/kb/{quote(slug)}", "document", slug)

    def search(self) -> None:
        query = self.rng.choice(SEARCHES)
        answer = self.browser.get("search", "/search?" + urlencode({"q": query}))
        if answer is not None and DEGRADED in answer.text:
            with self.stats.lock:
                self.stats.degraded += 1

    def me(self) -> None:
        self.browser.get("my progress", "/me")

    def quiz(self) -> None:
        b = self.browser
        left = [q for q in self.site.quizzes if q not in self.used_up]
        if not left:
            return self.me()
        slug = self.rng.choice(left)
        if b.get("quiz page", f"/quizzes/{slug}") is None:
            return
        started = b.post("quiz start", f"/quizzes/{slug}/start", {})
        if started is None or started.status != 302:
            return
        found = ATTEMPT_PATH.search(started.location)
        if not found:
            self.used_up.add(slug)  # every attempt used: the quiz page says so
            return
        attempt = int(found.group(1))
        page = b.get("quiz attempt page", started.location)
        if page is None or page.status != 200:
            return
        form = QuizForm()
        form.feed(page.text)
        answers, positions = form.answers(self.rng)
        self.pause(0.5)
        saved = b.post("quiz autosave", f"/quizzes/attempts/{attempt}/autosave", answers,
                       headers={"X-CSRFToken": b.token, "Accept": "application/json"})
        if saved is not None and saved.status == 200 and json.loads(saved.body).get("saved"):
            self.ledger.note("autosaves", attempt, (self.username, positions))
        self.pause(0.5)
        sent = b.post("quiz submit", f"/quizzes/attempts/{attempt}",
                      [*answers, ("action", "submit")])
        if sent is not None and sent.status == 302 and sent.location.endswith("/result"):
            self.ledger.note("submits", attempt, self.username)
            b.get("quiz result", sent.location)

    def ask(self) -> None:
        b = self.browser
        if b.get("ask form", "/qa/ask") is None:
            return
        title = f"{self.rng.choice(QUESTIONS)} (mã {uuid.uuid4().hex[:8]})"
        form = [("title", title), ("body", "Xin hướng dẫn cụ thể, có trích dẫn văn bản."),
                ("topics", self.rng.choice(TOPICS)), ("visibility", "public")]
        asked = b.post("ask question", "/qa/ask", form)
        if asked is not None and asked.status == 302:
            found = re.search(r"/qa/(\d+)$", asked.location)
            if found:
                self.ledger.note("questions", int(found.group(1)), (self.username, title))
                b.get("question page", asked.location)

    def moderate(self) -> None:
        b = self.browser
        queue = b.get("moderator queue", "/qa/queue")
        if queue is None or queue.status != 200:
            return
        waiting = list(dict.fromkeys(int(i) for i in QUESTION_LINK.findall(queue.text)))
        if not waiting:
            return
        question = self.rng.choice(waiting[:20])
        page = b.get("question page", f"/qa/{question}")
        if page is None or page.status != 200:
            return
        self.pause(0.5)
        marker = uuid.uuid4().hex[:12]
        body = (f"Theo Quyết định [[4599/QĐ-UBND]], đề nghị anh/chị thực hiện như hướng dẫn "
                f"tại bài học của chuyên đề. (Mã trả lời {marker})")
        answered = b.post("answer question", f"/qa/{question}/answer", {"body": body,
                                                                       "template": ""})
        if answered is not None and answered.status == 302:
            self.ledger.note("answer", (question, self.username, marker))
            b.get("question page", answered.location)

    def report(self) -> None:
        b = self.browser
        plan = self.site.plan
        page = b.get("compliance report", f"/reports/plans/{plan}")
        if page is None or page.status != 200:
            return
        self.pause(0.5)
        fmt = self.rng.choice(["csv", "xlsx"])
        b.get(f"report export {fmt}", f"/reports/plans/{plan}/export?format={fmt}")
