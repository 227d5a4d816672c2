"""What the generated officials study and do: materials, plans, classes, Q&A, quizzes, events.

Pure data drawn from the seed, except the Q&A clocks, which go through `qa.deadlines` (the
working-day calendar of the running app), so a generated question's due time is the one the
channel would have given it. Events are a stream (tens of millions do not fit in a list): each
official has a diligence that makes them read and finish more or less of the required
materials, and events fall on working days and office hours in Vietnam, fewer around Tết and
more before the year-end reports, never before the official joined or after they left.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..classes.outcome import attended_on, sessions_needed
from ..clock import LOCAL_TZ
from ..markup import render
from ..qa import deadlines
from ..qa.models import Question
from ..textnorm import number_key, slugify
from .scale_world import YEAR, Person, World

EVENTS_FROM = date(YEAR - 1, 1, 1)
EVENTS_UNTIL = date(YEAR, 11, 30)  # the last day with events; reports are made as of it
PLAN_STARTS, PLAN_ENDS = date(YEAR, 1, 1), date(YEAR, 12, 31)
SECOND_HALF = date(YEAR, 7, 1)
LESSONS_PER_MODULE = 6
MODULES = [
    ("cchc-tong-quan", "Tổng quan cải cách hành chính giai đoạn 2021–2030"),
    ("mot-cua-cap-xa", "Bộ phận Một cửa cấp xã sau sắp xếp"),
    ("chuyen-doi-so", "Chuyển đổi số trong cơ quan nhà nước"),
    ("chi-so-papi-sipas", "Các chỉ số PAPI, SIPAS và cách cải thiện"),
    ("van-thu-luu-tru", "Văn thư, lưu trữ điện tử"),
    ("ky-nang-giao-tiep", "Kỹ năng giao tiếp với người dân"),
]
DOCUMENTS = 120
REQUIRED_DOCUMENTS = ("76/NQ-CP", "4599/QĐ-UBND")
DOC_TYPES = [("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("CV", "Công văn"), ("HD", "Hướng dẫn"),
             ("BC", "Báo cáo"), ("CT", "Chỉ thị")]  # fmt: skip
QUIZZES = [("kiem-tra-cchc", "Kiểm tra kiến thức CCHC"), ("kiem-tra-mot-cua", "Kiểm tra Một cửa"),
           ("kiem-tra-papi", "Kiểm tra chỉ số PAPI, SIPAS")]  # fmt: skip
MAIN_PLAN = "cchc-toan-quoc-2026"
QA_STATES = [("accepted", 30), ("answered", 18), ("closed", 10), ("new", 6), ("assigned", 14),
             ("needs_info", 5), ("duplicate", 4), ("hidden", 2)]  # fmt: skip
QA_TOPICS = ["PAR-INDEX", "PCI", "PAPI", "SIPAS", "Một cửa", "TTHC", "Chính quyền số",
             "Công vụ", "Văn thư", "Đào tạo bồi dưỡng"]  # fmt: skip
QA_TITLES = [
    "Cách chấm điểm tiêu chí {t} năm {y}?",
    "Hồ sơ minh chứng cho chỉ số {t} cần những gì?",
    "Sau sắp xếp đơn vị, báo cáo {t} nộp ở đâu?",
    "Thời hạn nộp báo cáo {t} quý {q}?",
    "Xã mới sáp nhập tính điểm {t} thế nào?",
    "Ai là đầu mối {t} của đơn vị sau ngày 01/7/2025?",
]
QA_BODIES = [
    "Đơn vị tôi vừa **sáp nhập** ngày 01/7/2025, xin hỏi cách tổng hợp số liệu cho đúng.",
    "Xin hướng dẫn cụ thể các bước, và văn bản nào quy định?",
    "Tôi đã đọc Quyết định 4599/QĐ-UBND nhưng chưa rõ phần phụ lục.",
]
ANSWER = "Theo hướng dẫn hiện hành, đơn vị tổng hợp theo *đơn vị mới* kể từ ngày 01/7/2025."
# Month weights of activity: fewer in the Tết month, more before the year-end reports (the
# year before the plans' counts half as much: the service was newer).
MONTH_WEIGHT = {1: 0.9, 2: 0.5, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.1, 7: 0.9, 8: 0.9, 9: 1.1,
                10: 1.3, 11: 1.5, 12: 1.0}  # fmt: skip


@dataclass
class Activity:
    """Every row of the generated activity, as dicts per table (events come separately)."""

    tables: dict[str, list[dict]]
    diligence: list[float]  # by account id (index 0 unused)


def lesson_ids(module: int) -> list[int]:
    """The ids of a module's lessons (modules numbered from 0)."""
    first = module * LESSONS_PER_MODULE + 1
    return list(range(first, first + LESSONS_PER_MODULE))


def _content(now: datetime) -> dict[str, list[dict]]:
    modules, lessons, docs = [], [], []
    for m, (slug, title) in enumerate(MODULES):
        modules.append({"id": m + 1, "slug": slug, "title": title, "published": True,
                        "sort_order": m + 1, "summary": title, "created_at": now})  # fmt: skip
        for i, lesson_id in enumerate(lesson_ids(m), 1):
            lessons.append({"id": lesson_id, "module_id": m + 1, "slug": f"bai-{i}",
                            "position": i, "title": f"{title} — bài {i}", "published": True,
                            "body_md": f"Nội dung bài {i}.",
                            "body_html": f"<p>Nội dung bài {i}.</p>"})  # fmt: skip
    numbers = list(REQUIRED_DOCUMENTS) + [
        f"{100 + n}/{DOC_TYPES[n % len(DOC_TYPES)][0]}-UBND" for n in range(DOCUMENTS - 2)
    ]
    for n, number in enumerate(numbers, 1):
        kind = {"NQ": "Nghị quyết"}.get(number.split("/")[1].split("-")[0]) or next(
            (name for code, name in DOC_TYPES if f"/{code}-" in number), "Quyết định")
        docs.append({"id": n, "slug": slugify(number), "number": number,
                     "number_key": number_key(number), "doc_type": kind,
                     "issuer": "Chính phủ" if "NQ-CP" in number else "UBND tỉnh",
                     "issued": date(2021, 6, 1) + timedelta(days=11 * n),
                     "summary": f"Văn bản {number} về cải cách hành chính"})  # fmt: skip
    quizzes = [{"id": q + 1, "slug": slug, "title": title, "draws": [], "pass_mark": 50.0,
                "module_slug": MODULES[q][0]} for q, (slug, title) in enumerate(QUIZZES)]
    return {"module": modules, "lesson": lessons, "document": docs, "quiz": quizzes}


def _plans(world: World) -> list[dict]:
    codes = [p.code for p in world.provinces]
    first, second = codes[0], codes[1]
    third = codes[2] if len(codes) > 2 else codes[0]
    plan = {"starts": PLAN_STARTS, "ends": PLAN_ENDS, "audience_levels": [],
            "required_lessons": [], "required_documents": [], "quiz_slug": None,
            "target_accessed": 100.0, "target_trained": 85.0}  # fmt: skip
    rows = [
        {**plan, "slug": MAIN_PLAN, "title": f"Bồi dưỡng CCHC toàn quốc năm {YEAR}",
         "audience_units": codes, "required_modules": [MODULES[0][0]],
         "required_documents": list(REQUIRED_DOCUMENTS), "quiz_slug": QUIZZES[0][0]},
        {**plan, "slug": f"mot-cua-cap-xa-{YEAR}", "title": "Một cửa cấp xã sau sắp xếp",
         "audience_units": [first], "audience_levels": ["commune"],
         "required_modules": [MODULES[1][0]], "quiz_slug": QUIZZES[1][0],
         "target_trained": 90.0},
        {**plan, "slug": f"chuyen-doi-so-so-nganh-{YEAR}", "title": "Chuyển đổi số sở, ngành",
         "audience_units": [second], "audience_levels": ["department", "office"],
         "required_modules": [MODULES[2][0]], "target_trained": 80.0},
        {**plan, "slug": f"papi-sipas-nua-cuoi-{YEAR}", "title": "PAPI, SIPAS sáu tháng cuối năm",
         "starts": SECOND_HALF, "audience_units": [third],
         "required_modules": [MODULES[3][0]], "required_documents": [REQUIRED_DOCUMENTS[1]],
         "quiz_slug": QUIZZES[2][0]},
    ]  # fmt: skip
    for i, row in enumerate(rows, 1):
        row["id"] = i
        row["source_text"] = f"---\ntitle: {row['title']}\n---\n"
    return rows


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ).astimezone(UTC)


def _active(person: Person) -> tuple[date, date]:
    """The days the account could act: from joining (or the events' start) to leaving."""
    joined = max(person.memberships[0][1], EVENTS_FROM)
    left = min(person.deactivated_on or EVENTS_UNTIL, EVENTS_UNTIL)
    return joined, max(joined, left)


def _classes(rng: random.Random, world: World, diligence: list[float]) -> dict[str, list]:
    """Classes of the second province's departments (they serve its digital-change plan)."""
    prov = world.provinces[1]
    units = set(prov.departments + prov.offices)
    pool = [p for p in world.officials
            if p.province == prov.root and p.unit_on(date(YEAR, 9, 1)) in units]
    classes, sessions, participants, attendance = [], [], [], []
    count = max(2, len(world.officials) // 500)
    for c in range(1, count + 1):
        first = date(YEAR, 2, 2) + timedelta(days=rng.randrange(260))
        n_sessions, min_percent = rng.choice([(1, 100), (2, 100), (3, 80), (5, 80)])
        classes.append({"id": c, "title": f"Lớp bồi dưỡng chuyển đổi số — khóa {c}",
                        "format": rng.choice(["in_person", "online", "blended"]),
                        "place": "Hội trường Sở Nội vụ", "trainers": "Giảng viên Trường Chính trị",
                        "module_slugs": [MODULES[2][0]],
                        "plan_slugs": [f"chuyen-doi-so-so-nganh-{YEAR}"],
                        "min_percent": min_percent})  # fmt: skip
        days = []
        for s in range(n_sessions):
            day = first + timedelta(days=7 * s)
            sid = len(sessions) + 1
            sessions.append({"id": sid, "class_id": c, "starts_at": _utc(day, 8),
                             "ends_at": _utc(day, 11, 30), "topic": f"Buổi {s + 1}"})  # fmt: skip
            days.append((sid, day))
        needed = sessions_needed(min_percent, n_sessions)
        roster = rng.sample(pool, min(len(pool), rng.randint(15, 45)))
        for person in roster:
            present = []
            for sid, day in days:
                roll = rng.random() - 0.3 * diligence[person.id]
                status = ("present" if roll < 0.7 else "late" if roll < 0.8
                          else "excused" if roll < 0.88 else "absent")  # fmt: skip
                attendance.append({"id": len(attendance) + 1, "session_id": sid,
                                   "user_id": person.id, "status": status,
                                   "source": "grid", "recorded_at": _utc(day, 11, 45)})  # fmt: skip
                if status in ("present", "late"):
                    present.append(day)
            participants.append({"id": len(participants) + 1, "class_id": c,
                                 "user_id": person.id, "added_at": _utc(first, 7),
                                 "attended_on": attended_on(needed, present)})  # fmt: skip
    return {"training_class": classes, "class_session": sessions,
            "class_participant": participants, "class_attendance": attendance}  # fmt: skip


def _attempts(rng: random.Random, world: World, diligence: list[float]) -> list[dict]:
    rows: list[dict] = []
    first, second = world.provinces[0], world.provinces[2 % len(world.provinces)]
    communes = set(first.new_communes)
    for person in world.officials:
        d = diligence[person.id]
        joined, left = _active(person)
        quizzes = [1]
        if person.province == first.root and person.unit_on(date(YEAR, 9, 1)) in communes:
            quizzes.append(2)
        if person.province == second.root:
            quizzes.append(3)
        for quiz in quizzes:
            if rng.random() > 0.3 + 0.5 * d:
                continue
            lo = max(joined, SECOND_HALF if quiz == 3 else PLAN_STARTS)
            if lo > left:
                continue
            for number in range(1, 4):
                day = lo + timedelta(days=rng.randrange((left - lo).days + 1))
                started = _utc(day, 8 + rng.randrange(9), rng.randrange(60))
                score = float(min(10, max(0, round(rng.gauss(4 + 5 * d, 2)))))
                passed = score >= 5
                rows.append({"id": len(rows) + 1, "quiz_id": quiz, "user_id": person.id,
                             "number": number, "seed": rng.randrange(1 << 30),
                             "status": "submitted", "started_at": started,
                             "deadline_at": started + timedelta(minutes=30),
                             "submitted_at": started + timedelta(minutes=rng.randint(5, 29)),
                             "last_saved_at": started + timedelta(minutes=4),
                             "score": score, "max_score": 10.0, "pass_mark": 50.0,
                             "passed": passed})  # fmt: skip
                if passed:
                    break
                lo = min(day + timedelta(days=1), left)
    return rows


def _questions(rng: random.Random, world: World) -> dict[str, list]:
    officials = world.officials
    moderators: dict[int, list[int]] = {}
    for person in world.people:
        if "moderator" in person.roles:
            moderators.setdefault(person.province, []).append(person.id)
    bodies = [(md, render(md).html) for md in QA_BODIES]
    answer_html = render(ANSWER).html
    states = list(itertools.chain.from_iterable([s] * w for s, w in QA_STATES))
    questions, topics, posts, events = [], [], [], []
    end = datetime.combine(EVENTS_UNTIL, time(17), LOCAL_TZ).astimezone(UTC)
    for qid in range(1, max(20, len(officials) // 20) + 1):
        asker = rng.choice(officials)
        state = rng.choice(states)
        joined, left = _active(asker)
        recent = state in ("new", "assigned", "needs_info")
        lo = max(joined, EVENTS_UNTIL - timedelta(days=25)) if recent else max(joined, PLAN_STARTS)
        if lo > left:
            lo = left
        day = lo + timedelta(days=rng.randrange((left - lo).days + 1))
        asked = _utc(day, 7 + rng.randrange(10), rng.randrange(60))
        md, html = rng.choice(bodies)
        topic = rng.choice(QA_TOPICS)
        q = Question(asked_at=asked, state=state)
        deadlines.start(q, asked)
        row = {"id": qid, "title": rng.choice(QA_TITLES).format(t=topic, y=YEAR,
                                                                 q=1 + asked.month // 4),
               "body_md": md, "body_html": html, "asker_id": asker.id,
               "unit_id": asker.unit_on(day), "visibility": "private" if rng.random() < 0.1
               else "public", "show_name": rng.random() < 0.3, "channel": "web",
               "state": state, "asked_at": asked, "clock_started_at": q.clock_started_at,
               "due_at": q.due_at, "version": 1, "updated_at": asked}  # fmt: skip
        mods = moderators[asker.province]
        if state != "new":
            row["assignee_id"] = rng.choice(mods)
        events.append({"id": len(events) + 1, "question_id": qid, "actor_id": asker.id,
                       "action": "ask", "to_state": "new", "at": asked,
                       "detail": {"channel": "web", "due_at": q.due_at.isoformat()}})  # fmt: skip
        if state in ("accepted", "answered", "closed"):
            answered = min(asked + timedelta(hours=rng.choice([3, 20, 30, 50, 75, 120])), end)
            first = deadlines.first_answer(q, [], answered)
            row.update(first_answered_at=answered, last_answered_at=answered,
                       first_answer_on_time=first.on_time, first_answer_workdays=first.workdays,
                       clock_started_at=None, due_at=None, updated_at=answered)  # fmt: skip
            posts.append({"id": len(posts) + 1, "question_id": qid, "author_id": row["assignee_id"],
                          "kind": "answer", "body_md": ANSWER, "body_html": answer_html,
                          "accepted": state == "accepted", "created_at": answered})  # fmt: skip
            events.append({"id": len(events) + 1, "question_id": qid, "post_id": len(posts),
                           "actor_id": row["assignee_id"], "action": "answer",
                           "from_state": "assigned", "to_state": "answered",
                           "at": answered})  # fmt: skip
            if state == "accepted":
                row["accepted_at"] = min(answered + timedelta(days=1), end)
            elif state == "closed":
                row["closed_at"] = min(answered + timedelta(days=8), end)
        elif state == "needs_info":
            row.update(clock_started_at=None, due_at=None)
        elif state == "duplicate":
            row.update(duplicate_of_id=rng.randint(1, qid - 1) if qid > 1 else None,
                       clock_started_at=None, due_at=None, closed_at=asked + timedelta(hours=5))
        elif state == "hidden":
            row.update(hidden_reason="Nội dung không phù hợp", clock_started_at=None, due_at=None)
        questions.append(row)
        topics.append({"question_id": qid, "topic": topic})
    return {"qa_question": questions, "qa_question_topic": topics, "qa_post": posts,
            "qa_event": events}  # fmt: skip


def activity(world: World, seed: int, now: datetime) -> Activity:
    """Materials, plans, classes, Q&A and quiz attempts of the world."""
    rng = random.Random(seed + 1)
    diligence = [rng.random() for _ in range(len(world.people) + 1)]
    tables = _content(now)
    tables["plan"] = _plans(world)
    tables.update(_classes(rng, world, diligence))
    tables["quiz_attempt"] = _attempts(rng, world, diligence)
    tables.update(_questions(rng, world))
    return Activity(tables, diligence)


# --- Events -------------------------------------------------------------------------------


class _Days:
    """Event days with their weights (weekdays, Tết, year-end), for drawing in a range."""

    def __init__(self) -> None:
        self.days: list[date] = []
        self.cumulative: list[float] = []
        total, day = 0.0, EVENTS_FROM
        while day <= EVENTS_UNTIL:
            weight = (1.0, 1.0, 1.0, 1.0, 1.0, 0.15, 0.05)[day.weekday()] * MONTH_WEIGHT[
                day.month] * (1.0 if day.year == YEAR else 0.5)
            total += weight
            self.days.append(day)
            self.cumulative.append(total)
            day += timedelta(days=1)
        # The UTC text of each local hour, "YYYY-MM-DD HH", built once.
        self.hours = [[_utc(d, h).strftime("%Y-%m-%d %H") for h in range(24)] for d in self.days]

    def index(self, day: date) -> int:
        return (day - EVENTS_FROM).days


def _plan_steps(module: int) -> list[tuple[str, int, str]]:
    """What an official does to meet a plan, in order: read and finish each of the module's
    lessons, then (the main plan) read its two documents."""
    steps = []
    for lesson in lesson_ids(module):
        steps += [("lesson", lesson, "view"), ("lesson", lesson, "complete")]
    if module == 0:
        steps += [("document", 1, "view"), ("document", 2, "view")]
    return steps


def _second_plans(world: World) -> dict[int, tuple[int, date]]:
    """Officials in the audience of another plan: its module and its first day."""
    first, second = world.provinces[0], world.provinces[1]
    third = world.provinces[2] if len(world.provinces) > 2 else first
    communes, offices = set(first.new_communes), set(second.departments + second.offices)
    out = {}
    for person in world.officials:
        unit = person.unit_on(date(YEAR, 9, 1))
        if person.province == first.root and unit in communes:
            out[person.id] = (1, PLAN_STARTS)
        elif person.province == second.root and unit in offices:
            out[person.id] = (2, PLAN_STARTS)
        elif person.province == third.root:
            out[person.id] = (3, SECOND_HALF)
    return out


def events(world: World, diligence: list[float], count: int, seed: int
           ) -> Iterator[tuple[int, str, int, str, str]]:
    """count events: (user id, object type, object id, action, UTC time as 'YYYY-MM-DD HH:MM:SS').

    A diligent official acts more often (the chance of drawing them grows with diligence) and
    more of what they do in the plan's year is the main plan's next step (`_plan_steps`; once
    done, they come back to its lessons); of the rest, officials in another plan's audience
    work through its module, and everyone reads the other lessons and the documents.
    """
    rng = random.Random(seed + 2)
    days = _Days()
    cum = days.cumulative
    year_from = days.index(PLAN_STARTS)
    second = _second_plans(world)
    spans, weights, total = [], [], 0.0
    for person in world.officials:
        joined, left = _active(person)
        lo, hi = days.index(joined), days.index(left)
        module, starts = second.get(person.id, (None, PLAN_STARTS))
        spans.append((person.id, cum[lo - 1] if lo else 0.0, cum[hi], hi,
                      0.25 + 0.5 * diligence[person.id], module, days.index(starts)))  # fmt: skip
        total += 0.2 + diligence[person.id]
        weights.append(total)
    steps = _plan_steps(0)
    more = {m: _plan_steps(m) for m in (1, 2, 3)}
    done = bytearray(len(world.people) + 1)
    done_more = bytearray(len(world.people) + 1)
    required = lesson_ids(0)
    others = [i for m in range(1, len(MODULES)) for i in lesson_ids(m)]
    rand, choice, find = rng.random, rng.choice, bisect.bisect_right
    for _ in range(count):
        user, lo, hi, last, keen, module, starts = spans[
            min(find(weights, rand() * total), len(spans) - 1)]
        day = min(find(cum, lo + rand() * (hi - lo)), last)
        pick = rand()
        if day >= year_from and pick < keen:
            if done[user] < len(steps):
                kind, obj, action = steps[done[user]]
                done[user] += 1
            else:
                kind, obj, action = "lesson", choice(required), "view"
        elif module is not None and day >= starts and pick < keen + (1 - keen) * 0.7:
            if done_more[user] < len(more[module]):
                kind, obj, action = more[module][done_more[user]]
                done_more[user] += 1
            else:
                kind, obj, action = "lesson", choice(lesson_ids(module)), "view"
        elif pick < keen + (1 - keen) * 0.8:
            kind, action = "document", "view"
            obj = 1 + int(rand() * 2) if rand() < 0.2 else 3 + int(rand() * (DOCUMENTS - 2))
        elif pick < keen + (1 - keen) * 0.88:
            kind, obj, action = "lesson", choice(others), "complete"
        else:
            kind, obj, action = "lesson", choice(others), "view"
        r = rand()
        hour = 7 + int(r * 10) if r < 0.92 else 19 + int((r - 0.92) * 37.5)
        seconds = int(rand() * 3600)
        stamp = f"{days.hours[day][hour]}:{seconds // 60:02d}:{seconds % 60:02d}"
        yield user, kind, obj, action, stamp
