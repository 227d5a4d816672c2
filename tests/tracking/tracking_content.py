"""A document and a module of one lesson citing it, synced the way `content sync` does."""

from __future__ import annotations

from pathlib import Path

from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db

DOCUMENT_URL = "/kb/4599-qd-ubnd"
LESSON_URL = "/modules/tong-quan/de-an"
FILES = {
    "documents/4599-qd-ubnd.md": """---
number: 4599/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh An Giang
issued: 2022-12-30
topics: [Đào tạo bồi dưỡng]
summary: Phê duyệt Đề án tăng cường năng lực đội ngũ làm công tác CCHC
---
## Mục tiêu

100 % cán bộ được tiếp cận tài liệu.
""",
    "modules/tong-quan/module.md": """---
title: Tổng quan cải cách hành chính
summary: Đề án 4599.
topics: [CCHC]
order: 1
audience: [province]
---
Chuyên đề.
""",
    "modules/tong-quan/01-de-an.md": """---
title: Đề án tăng cường năng lực
minutes: 20
---
## Mục tiêu

Xem [[4599/QĐ-UBND]].
""",
}


def load_sample(app) -> None:
    """Write the files into the app's content folder and sync them in one transaction."""
    root = Path(app.config["CONTENT_DIR"])
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with app.app_context():
        declare_write()
        tree = load_tree(root)
        assert tree.problems == []
        sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
        declare_write(False)
