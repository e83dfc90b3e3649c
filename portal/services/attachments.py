"""Supporting documents on a PEP (security.md 13).

The type is decided by the file's content, not its name or the browser's say-so, and must agree
with the name's extension; the size is capped; files are stored outside the web root under random
names and only ever served as downloads, after the PEP's access check.
"""

from __future__ import annotations

import secrets
import zipfile
from pathlib import Path
from typing import IO

from flask import current_app

from portal.extensions import db
from portal.models import Pep, PepAttachment, User
from portal.services import audit

MAX_BYTES = 10 * 1024 * 1024
#: Detected type -> (MIME type, extensions the file's name may have, what people call it).
ALLOWED = {
    "pdf": ("application/pdf", {".pdf"}, "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
        "Word document",
    ),
    "png": ("image/png", {".png"}, "PNG image"),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}, "JPEG image"),
}
ALLOWED_WORDS = "PDF, Word (.docx), PNG or JPEG"


class AttachmentRefusedError(Exception):
    pass


def storage_dir() -> Path:
    folder = Path(current_app.config["ATTACHMENT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def detect(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return "docx"
    return None


def store(user: User, pep: Pep, filename: str, stream: IO[bytes]) -> PepAttachment:
    """Check and keep an uploaded file; nothing is kept if it is refused."""
    name = Path(filename or "").name.strip()
    if not name:
        raise AttachmentRefusedError("Select a file to upload")
    stored_name = secrets.token_hex(16)
    target = storage_dir() / stored_name
    size = 0
    try:
        with target.open("wb") as out:
            while chunk := stream.read(64 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise AttachmentRefusedError("The file must be smaller than 10 MB")
                out.write(chunk)
        if size == 0:
            raise AttachmentRefusedError("The selected file is empty")
        kind = detect(target)
        if kind is None:
            raise AttachmentRefusedError(f"The file must be a {ALLOWED_WORDS}")
        mime, extensions, label = ALLOWED[kind]
        if Path(name).suffix.lower() not in extensions:
            raise AttachmentRefusedError(f"The file’s contents are a {label}, which does not match its name")
    except AttachmentRefusedError:
        target.unlink(missing_ok=True)
        raise
    attachment = PepAttachment(
        pep_id=pep.id,
        uploaded_by_id=user.id,
        original_name=name[:255],
        stored_name=stored_name,
        content_type=mime,
        size=size,
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record(
        "pep.attachment_added",
        actor=user,
        authority_id=pep.authority_id,
        subject=pep,
        attachment=attachment.id,
        size=size,
        content_type=mime,
    )
    db.session.commit()
    return attachment


def path_of(attachment: PepAttachment) -> Path:
    return storage_dir() / attachment.stored_name
