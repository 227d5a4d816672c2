"""Attachment files: type checked by content, size-capped, stored under generated names."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MAX_ZIP_ENTRIES = 2000
_MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024


class AttachmentError(ValueError):
    """A file that cannot be attached; the message is for users."""


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks."""

    content_type: str
    extension: str
    size: int
    sha256: str


def check_file(data: bytes, name: str) -> CheckedFile:
    """Identify a PDF or DOCX by its bytes (never by its name) and check its size."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(f"Tệp {name} quá lớn (tối đa {MAX_ATTACHMENT_BYTES // 1048576} MB).")
    if not data:
        raise AttachmentError(f"Tệp {name} rỗng.")
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        return CheckedFile(PDF, "pdf", len(data), digest)
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
                total = sum(i.file_size for i in infos)
                names = {i.filename for i in infos}
        except zipfile.BadZipFile as exc:
            raise AttachmentError(f"Tệp {name} bị hỏng (không đọc được nội dung nén).") from exc
        if len(infos) > _MAX_ZIP_ENTRIES or total > _MAX_ZIP_UNCOMPRESSED:
            raise AttachmentError(f"Tệp {name} có nội dung nén bất thường, không nhận.")
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return CheckedFile(DOCX, "docx", len(data), digest)
    raise AttachmentError(f"Tệp {name} không phải PDF hoặc DOCX (chỉ nhận hai loại này).")


def store(data: bytes, upload_dir: Path, checked: CheckedFile) -> str:
    """Write the bytes under a generated name; return that name."""
    folder = upload_dir / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{checked.extension}"
    tmp = folder / f".{stored}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, folder / stored)
    return stored


def stored_path(upload_dir: Path, stored_name: str) -> Path:
    """Where a stored attachment lives (the name is ours, never the user's)."""
    return upload_dir / "attachments" / Path(stored_name).name
