"""A small content tree of documents and modules for the lesson tests, and ways to load it."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from cchc_learn.content.checks import load_tree, sync_tree
from cchc_learn.database import declare_write
from cchc_learn.extensions import db

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/></svg>'
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

DOCUMENTS = {
    "4599-qd-ubnd.md": """---
number: 4599/QĐ-UBND
type: Quyết định
issuer: UBND tỉnh An Giang
issued: 2022-12-30
summary: Phê duyệt Đề án tăng cường năng lực đội ngũ làm công tác CCHC
---
Nội dung đề án.
""",
}

MODULE_MD = """---
title: Tổng quan cải cách hành chính
summary: Chương trình tổng thể và Đề án 4599.
topics: [CCHC, Đào tạo bồi dưỡng]
order: 1
audience: [province, commune]
---
Chuyên đề dựa trên [[4599/QĐ-UBND]].

![Sơ đồ](assets/so-do.svg)
"""

LESSON_1 = """---
title: Cải cách hành chính là gì
minutes: 15
summary: Sáu nội dung của chương trình tổng thể.
---
## Sáu nội dung

Cải cách thể chế, thủ tục hành chính, tổ chức bộ máy.

## Đề án 4599

Xem [[4599/QĐ-UBND]] và ![Chu trình](assets/so-do.svg).
"""

LESSON_2 = """---
title: Đề án tăng cường năng lực
minutes: 20
---
## Mục tiêu

100 % cán bộ được tiếp cận tài liệu.
"""

LESSON_3 = """---
title: Kinh nghiệm bồi dưỡng
minutes: 10
summary: Lớp học trực tuyến ở An Giang.
---
## Lớp học trực tuyến

Nội dung bài ba.
"""

MODULES = {
    "tong-quan": {
        "module.md": MODULE_MD,
        "01-cai-cach-la-gi.md": LESSON_1,
        "02-de-an-4599.md": LESSON_2,
        "03-kinh-nghiem.md": LESSON_3,
        "assets/so-do.svg": SVG,
    },
}


def write_tree(root: Path, modules: dict | None = None, documents: dict | None = None) -> Path:
    """Replace root's documents/ and modules/ with the given files (text or bytes)."""
    for name in ("documents", "modules"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "documents").mkdir(parents=True)
    for name, text in (DOCUMENTS if documents is None else documents).items():
        (root / "documents" / name).write_text(text, encoding="utf-8")
    for slug, files in (MODULES if modules is None else modules).items():
        for name, data in files.items():
            path = root / "modules" / slug / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
    return root


def content_root(app) -> Path:
    """The app's content folder."""
    return Path(app.config["CONTENT_DIR"])


def problems(app, root: Path | None = None) -> list[str]:
    """Every problem `content check` would print for the folder."""
    with app.app_context():
        return load_tree(root or content_root(app)).problems


def sync(app, root: Path | None = None) -> dict:
    """Check and import the folder in one transaction, as `content sync` does."""
    with app.app_context():
        declare_write()
        tree = load_tree(root or content_root(app))
        assert tree.problems == []
        summaries = sync_tree(tree, upload_dir=Path(app.config["UPLOAD_DIR"]))
        db.session.commit()
        declare_write(False)
        return summaries


def counts(summary) -> tuple[int, int, int, int]:
    """(added, updated, unchanged, archived) of a sync summary."""
    return summary.added, summary.updated, summary.unchanged, summary.archived


def count(app, model, *where) -> int:
    """How many rows of model match."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
