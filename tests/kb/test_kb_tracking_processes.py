"""Access events written by several worker processes at once: none is lost."""

from __future__ import annotations

import multiprocessing

from helpers import make_user
from sqlalchemy import func, select
from test_kb_pages import sync, write_content

from cchc_learn.extensions import db
from cchc_learn.tracking.models import AccessEvent

VIEWS_PER_WORKER = 15
WORKERS = 3


def _worker(config: dict, username: str, password: str, queue) -> None:
    import re

    from itsdangerous import URLSafeTimedSerializer

    from cchc_learn import create_app

    app = create_app(config)
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["csrf_token"] = "t" * 40
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps("t" * 40)
    client.post("/auth/login", data={"username": username, "password": password,
                                      "csrf_token": token})
    ok = 0
    for _ in range(VIEWS_PER_WORKER):
        response = client.get("/kb/4599-qd-ubnd")
        ok += response.status_code == 200 and bool(re.search("4599/QĐ-UBND", response.text))
    queue.put(ok)


def test_views_from_several_processes_are_all_recorded(app):
    from helpers import PASSWORD

    write_content(app)
    sync(app)
    for i in range(WORKERS):
        make_user(app, f"hocvien{i}")
    keys = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR",
            "UPLOAD_DIR", "CONTENT_DIR", "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB")
    config = {key: app.config[key] for key in keys}
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(config, f"hocvien{i}", PASSWORD, queue))
             for i in range(WORKERS)]
    for p in procs:
        p.start()
    acknowledged = sum(queue.get(timeout=180) for _ in procs)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert acknowledged == WORKERS * VIEWS_PER_WORKER
    with app.app_context():
        recorded = db.session.scalar(select(func.count()).select_from(AccessEvent))
    assert recorded == acknowledged
