"""The backup archive: a tar whose first member, manifest.json, lists every other member.

Layout::

    manifest.json                      format, versions, database kind, created at, row counts,
                                       and the size and SHA-256 of every member below
    database/cchc-learn.sqlite         SQLite: a copy made with the online backup API
    database/cchc-learn.pgdump         PostgreSQL: pg_dump --format=custom
    uploads/<path>                     the files of UPLOAD_DIR, as they are stored there

The manifest comes first so that a reader knows every name, size and checksum before it reads
a byte of the members: `read` refuses a foreign, truncated or tampered archive while it
extracts into a folder of its own, before anything else is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import BackupError

FORMAT = "cchc-learn-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/cchc-learn.sqlite",
                    "postgresql": "database/cchc-learn.pgdump"}
UPLOADS = "uploads/"
KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_MEMBERS = 1_000_000
MAX_NAME_CHARS = 500
CHUNK = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_REVISION = re.compile(r"[0-9A-Za-z_]{1,64}")
_BAD_PART = re.compile(r"[\x00-\x1f\x7f\\]")


@dataclass(frozen=True)
class Member:
    """One file of the archive, as the manifest describes it."""

    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What manifest.json says."""

    app_version: str
    alembic_revision: str
    database: str
    created_at: str
    tables: dict[str, int]
    members: list[Member] = field(default_factory=list)
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> Member:
        name = DATABASE_MEMBERS[self.database]
        return next(m for m in self.members if m.name == name)

    @property
    def uploads(self) -> list[Member]:
        return [m for m in self.members if m.name.startswith(UPLOADS)]

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "app_version": self.app_version,
            "alembic_revision": self.alembic_revision,
            "database": self.database,
            "created_at": self.created_at,
            "tables": dict(sorted(self.tables.items())),
            "members": [{"name": m.name, "size": m.size, "sha256": m.sha256}
                        for m in self.members],
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def check_member_name(name: Any) -> str:
    """A member name that stays inside the folder it is extracted to, or BackupError."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_CHARS:
        raise BackupError(f"Tên thành phần không hợp lệ trong tệp sao lưu: {name!r}.")
    parts = name.split("/")
    if name.startswith("/") or any(p in ("", ".", "..") or _BAD_PART.search(p) for p in parts):
        raise BackupError(f"Tên thành phần không hợp lệ trong tệp sao lưu: {name!r}.")
    if name not in DATABASE_MEMBERS.values() and not name.startswith(UPLOADS):
        raise BackupError(f"Thành phần lạ trong tệp sao lưu: {name!r}.")
    return name


def parse_manifest(raw: bytes) -> Manifest:
    """Read and check manifest.json; BackupError says what is wrong with it."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"manifest.json không phải JSON hợp lệ ({exc}).") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("Tệp này không phải bản sao lưu của CCHC Learn (manifest.json lạ).")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BackupError("manifest.json: thiếu hoặc sai format_version.")
    if version > FORMAT_VERSION:
        raise BackupError(f"Tệp sao lưu dùng định dạng phiên bản {version}, mới hơn phiên bản "
                          f"{FORMAT_VERSION} mà chương trình này đọc được: hãy cập nhật "
                          "chương trình trước khi phục hồi.")
    database = data.get("database")
    if database not in DATABASE_MEMBERS:
        raise BackupError(f"manifest.json: loại cơ sở dữ liệu không hợp lệ: {database!r}.")
    revision = data.get("alembic_revision")
    if not isinstance(revision, str) or not _REVISION.fullmatch(revision):
        raise BackupError(f"manifest.json: phiên bản lược đồ không hợp lệ: {revision!r}.")
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in tables.items()
    ):
        raise BackupError("manifest.json: bảng đếm số dòng (tables) không hợp lệ.")
    raw_members = data.get("members")
    if not isinstance(raw_members, list) or len(raw_members) > MAX_MEMBERS:
        raise BackupError("manifest.json: danh sách thành phần (members) không hợp lệ.")
    members: list[Member] = []
    seen: set[str] = set()
    for number, item in enumerate(raw_members, start=1):
        if not isinstance(item, dict):
            raise BackupError(f"manifest.json: thành phần thứ {number} không hợp lệ.")
        name = check_member_name(item.get("name"))
        size, digest = item.get("size"), item.get("sha256")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BackupError(f"manifest.json: kích thước của {name} không hợp lệ.")
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise BackupError(f"manifest.json: tổng kiểm SHA-256 của {name} không hợp lệ.")
        if name in seen:
            raise BackupError(f"manifest.json: thành phần {name} được liệt kê hai lần.")
        seen.add(name)
        members.append(Member(name, size, digest))
    databases = [m for m in members if m.name in DATABASE_MEMBERS.values()]
    if [m.name for m in databases] != [DATABASE_MEMBERS[database]]:
        raise BackupError(f"manifest.json: phải có đúng một tệp cơ sở dữ liệu "
                          f"{DATABASE_MEMBERS[database]}.")
    created = data.get("created_at")
    app_version = data.get("app_version")
    return Manifest(app_version=str(app_version or "?")[:50], alembic_revision=revision,
                    database=database, created_at=str(created or "?")[:50], tables=tables,
                    members=members, format_version=version)


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


class _Hashing:
    """A file reader that hashes what it hands out (tarfile reads members through it)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.fh.read(size)
        self.digest.update(chunk)
        return chunk


def write(target: Path, manifest: Manifest, sources: dict[str, Path]) -> None:
    """Write the archive to target: manifest first, then each member from its source file.

    A source whose bytes no longer match the manifest (changed while the backup ran) fails the
    backup rather than writing an archive that restore would refuse.
    """
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as tar:
        raw = manifest.to_json()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(raw), 0o600
        tar.addfile(info, _BytesReader(raw))
        for member in manifest.members:
            source = sources[member.name]
            info = tarfile.TarInfo(member.name)
            info.size, info.mode = member.size, 0o600
            with source.open("rb") as fh:
                reader = _Hashing(fh)
                tar.addfile(info, reader)
            if reader.digest.hexdigest() != member.sha256:
                raise BackupError(f"Tệp {source} thay đổi trong khi sao lưu: hãy chạy lại.")


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset:end]
        self.offset += len(chunk)
        return chunk


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while True:
        info = tar.next()
        if info is None:
            return
        yield info


def read(path: Path, into: Path, *, free_bytes: int | None = None) -> Manifest:
    """Check the archive at path and extract its members into the empty folder into.

    Every member must be a regular file the manifest names, of the size it gives, with the
    SHA-256 it gives; none may be missing or extra. Raises BackupError (in Vietnamese) at the
    first problem; the caller throws the folder away then.
    """
    shown = path.name
    try:
        tar = tarfile.open(path, "r:")
    except FileNotFoundError:
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} là một thư mục, không phải tệp sao lưu.") from None
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{shown} không phải tệp sao lưu hợp lệ (không đọc được dạng tar: "
                          f"{exc}).") from None
    try:
        with tar:
            members = _members(tar)
            first = next(members, None)
            if first is None or first.name != MANIFEST or not first.isreg():
                raise BackupError(f"{shown} không phải bản sao lưu của CCHC Learn: thiếu "
                                  "manifest.json ở đầu tệp.")
            if first.size > MAX_MANIFEST_BYTES:
                raise BackupError(f"{shown}: manifest.json quá lớn.")
            handle = tar.extractfile(first)
            raw = handle.read() if handle else b""
            if len(raw) != first.size:
                raise BackupError(f"{shown} bị cắt cụt (manifest.json không đầy đủ).")
            manifest = parse_manifest(raw)
            expected = {m.name: m for m in manifest.members}
            total = sum(m.size for m in manifest.members)
            if free_bytes is not None and total > free_bytes:
                raise BackupError(f"Không đủ chỗ trống để giải nén bản sao lưu: cần "
                                  f"{total // 1048576 + 1} MB.")
            seen: set[str] = set()
            for info in members:
                _extract(tar, info, expected, seen, into, shown)
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"{shown} bị cắt cụt hoặc thiếu thành phần: thiếu "
                                  f"{len(missing)} tệp, ví dụ {missing[0]}.")
    except BackupError:
        raise
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{shown} bị hỏng hoặc bị cắt cụt: {exc}.") from None
    return manifest


def _extract(tar: tarfile.TarFile, info: tarfile.TarInfo, expected: dict[str, Member],
             seen: set[str], into: Path, shown: str) -> None:
    name = info.name
    member = expected.get(name)
    if member is None:
        raise BackupError(f"{shown} chứa thành phần không có trong manifest.json: {name!r}.")
    if name in seen:
        raise BackupError(f"{shown} chứa thành phần {name} hai lần.")
    if not info.isreg():
        raise BackupError(f"{shown}: thành phần {name} không phải tệp thường (liên kết, thư mục "
                          "hay thiết bị không được nhận).")
    if info.size != member.size:
        raise BackupError(f"{shown}: thành phần {name} có kích thước {info.size} byte, "
                          f"manifest.json ghi {member.size} byte.")
    seen.add(name)
    target = into.joinpath(*name.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = tar.extractfile(info)
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        while source is not None and (chunk := source.read(CHUNK)):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != member.size:
        raise BackupError(f"{shown} bị cắt cụt: thành phần {name} không đầy đủ.")
    if digest.hexdigest() != member.sha256:
        raise BackupError(f"{shown}: tổng kiểm SHA-256 của {name} không khớp với manifest.json "
                          "(tệp đã bị sửa hoặc hỏng).")


def free_space(folder: Path) -> int:
    """Bytes free on the file system of folder."""
    return shutil.disk_usage(folder).free


def replace_atomically(temporary: Path, target: Path) -> None:
    """Make a fully written file appear under its final name in one step."""
    with temporary.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(temporary, target)
