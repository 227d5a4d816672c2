"""Migration 0008 fills the stored citations and replacement keys in for existing data."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.kb.models import Document, DocumentCitation, DocumentTopic

FILES = {
    "documents/61-2018-nd-cp.md": """---
number: 61/2018/NĐ-CP
type: Nghị định
issuer: Chính phủ
issued: 2018-04-23
status: replaced
replaced_by: 118/2025/NĐ-CP
topics: [Một cửa]
summary: Về thực hiện cơ chế một cửa, một cửa liên thông
---
Nội dung.
""",
    "documents/118-2025-nd-cp.md": """---
number: 118/2025/NĐ-CP
type: Nghị định
issuer: Chính phủ
issued: 2025-06-09
topics: [Một cửa]
summary: Về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông
---
Nội dung.
""",
    "modules/mot-cua/module.md": """---
title: Một cửa
summary: Cơ chế một cửa.
topics: [Một cửa]
order: 1
audience: [commune]
---
Chuyên đề.
""",
    "modules/mot-cua/01-co-che.md": """---
title: Cơ chế một cửa
minutes: 10
---
Trước đây theo [[61/2018/NĐ-CP]], nay theo [[118/2025/nđ-cp|Nghị định 118]].
""",
}


def snapshot(app) -> tuple[set, dict, int]:
    """The stored citations, each document's replacement key, and how many topic links."""
    with app.app_context():
        rows = set(db.session.execute(select(DocumentCitation.source_kind,
                                             DocumentCitation.number_key)).all())  # fmt: skip
        keys = dict(db.session.execute(select(Document.slug, Document.replaced_by_key)).all())
        topics = len(db.session.scalars(select(DocumentTopic.topic)).all())
        return rows, keys, topics


def test_downgrading_and_upgrading_again_refills_what_the_app_stored(app):
    root = Path(app.config["CONTENT_DIR"])
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    with app.app_context():
        declare_write()
        tree = load_tree(root)
        assert tree.problems == []
        sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
    stored = snapshot(app)
    assert stored == (
        {("lesson", "61/2018/nd-cp"), ("lesson", "118/2025/nd-cp")},
        {"61-2018-nd-cp": "118/2025/nd-cp", "118-2025-nd-cp": None},
        2,
    )
    with app.app_context():
        declare_write()
        try:
            downgrade(directory=app.config["MIGRATIONS_DIR"], revision="0007")
            assert "citation" not in inspect(db.engine).get_table_names()
        finally:
            upgrade(directory=app.config["MIGRATIONS_DIR"])
            db.engine.dispose()
        declare_write(False)
    assert snapshot(app) == stored
