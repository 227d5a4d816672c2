"""Build import files (CSV, XLSX, hostile archives) and run them through service, CLI and web."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from helpers import csrf_token, login, make_unit, make_user, page_text, post
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from cchc_learn.audit.models import AuditEntry
from cchc_learn.auth.models import User
from cchc_learn.database import declare_write
from cchc_learn.extensions import db
from cchc_learn.org import importing
from cchc_learn.org.importing.models import ImportBatch
from cchc_learn.org.models import Membership, Unit, UnitLink

ACCOUNT_HEADER = ["Tên đăng nhập", "Họ và tên", "Email", "Mã đơn vị", "Chức danh", "Vai trò"]
UNIT_HEADER = ["Mã", "Tên", "Cấp", "Mã đơn vị cấp trên", "Hiệu lực từ"]
ADMIN = "quantri"
REJECTED = 'data-testid="import-rejected"'

OFFICIALS = [
    ["nguyenvana", "Nguyễn Văn An", "an@angiang.gov.vn", "SNV", "Chuyên viên", "Học viên"],
    ["tranthibinh", "Trần Thị Bình", "", "SNV", "Phó Chánh Văn phòng", "official; Giảng viên"],
    ["lequangcuong", "Lê Quang Cường", "", "XA-MYHOA", "Công chức Văn phòng - Thống kê", ""],
]


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    """Write rows as CSV text in the given encoding (utf-8-sig adds a BOM)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """Write rows into the first sheet of a new workbook (strings starting '=' are formulas)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb(megabytes: int = 200) -> bytes:
    """A zip holding one sheet-named entry of megabytes of zeros, compressed while streaming."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(chunk)
    return out.getvalue()


def accounts_file(rows: list[list[str]] | None = None) -> bytes:
    """A CSV of officials with the Vietnamese header."""
    return csv_bytes([ACCOUNT_HEADER, *(OFFICIALS if rows is None else rows)])


def prepare(app) -> None:
    """The province, its Department of Home Affairs and one commune, plus an admin account."""
    make_unit(app, "TINH", "Tỉnh An Giang", "province")
    make_unit(app, "SNV", "Sở Nội vụ", "department", parent="TINH")
    make_unit(app, "XA-MYHOA", "Xã Mỹ Hòa", "commune", parent="TINH")
    make_user(app, ADMIN, roles=("admin",), full_name="Quản trị viên Sở")


def counts(app) -> dict[str, int]:
    """How many rows each table an import may touch holds."""
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Unit, UnitLink, Membership, AuditEntry)
        }


def batch_count(app) -> int:
    """How many uploads are kept for confirmation."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ImportBatch))


@dataclass
class Outcome:
    """What a channel reported: success, what it told the user as text, and the page's HTML."""

    ok: bool
    text: str
    channel: str
    filename: str
    html: str = ""

    def has_row_problem(self, row: int, column: str, fragment: str) -> bool:
        """Tell whether the output names this row and column with a message containing fragment."""
        if self.channel == "web":
            cells = f"<td>{row}</td><td>{str(escape(column))}</td><td>"
            pattern = re.escape(cells) + "[^<]*?" + re.escape(str(escape(fragment)))
            return re.search(pattern, self.html) is not None
        located = rf"{re.escape(self.filename)}:{row}: {re.escape(column)}: [^\n]*?"
        return re.search(located + re.escape(fragment), self.text) is not None

    def has_file_problem(self, fragment: str) -> bool:
        """Tell whether the output carries this whole-file message."""
        if self.channel == "web":
            return fragment in self.text
        pattern = rf"{re.escape(self.filename)}: [^\n]*?{re.escape(fragment)}"
        return re.search(pattern, self.text) is not None


def via_service(app, kind: str, filename: str, data: bytes) -> Outcome:
    """Import through the service, committing on success."""
    with app.app_context():
        declare_write()
        try:
            result = importing.run(kind, filename, data, actor=None)
        except importing.ImportRejected as exc:
            db.session.rollback()
            text = "\n".join(p.located(filename) for p in exc.plan.problems)
            return Outcome(False, text, "service", filename)
        finally:
            declare_write(False)
        text = f"{len(result.created)} created, {result.unchanged} unchanged"
        return Outcome(True, text, "service", filename)


def via_cli(app, runner, folder: Path, kind: str, filename: str, data: bytes) -> Outcome:
    """Import through `cchc-learn units import` / `users import`."""
    path = folder / filename
    path.write_bytes(data)
    group = "units" if kind == "units" else "users"
    result = runner.invoke(args=[group, "import", str(path)])
    return Outcome(result.exit_code == 0, result.output, "cli", str(path))


def upload(client, app, data: bytes, filename: str, kind: str = "accounts", **extra):
    """POST a file to /admin/import with a CSRF token, the body built in memory.

    The test client spools large multipart bodies to a temporary file it never closes;
    encoding the body here keeps big uploads free of stray open files.
    """
    fields = {"kind": kind, "csrf_token": csrf_token(client, app), **extra}
    fields["file"] = FileStorage(io.BytesIO(data), filename=filename)
    boundary, body = encode_multipart(fields)
    return client.post(
        "/admin/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def via_web(app, client, kind: str, filename: str, data: bytes) -> Outcome:
    """Upload through /admin/import as the admin and confirm when the page offers it."""
    login(client, app, ADMIN)
    response = upload(client, app, data, filename, kind)
    text = page_text(response)
    match = re.search(r'action="(/admin/import/[^"]+/confirm)"', response.get_data(as_text=True))
    html = response.get_data(as_text=True)
    if response.status_code != 200 or match is None:
        # A clean file that adds nothing has no confirmation to make.
        ok = response.status_code == 200 and REJECTED not in html
        return Outcome(ok, text, "web", filename, html)
    confirmed = post(client, app, match.group(1))
    html = confirmed.get_data(as_text=True)
    ok = confirmed.status_code == 200 and REJECTED not in html
    return Outcome(ok, page_text(confirmed), "web", filename, html)
