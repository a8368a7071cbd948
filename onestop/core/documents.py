"""Uploaded documents: checked, stored privately, deduplicated per owner, served after a check.

What is accepted (decided by the content, never by the name or the browser's claim):
PDF (``%PDF-``), JPEG (``FF D8 FF``), PNG (``89 50 4E 47 0D 0A 1A 0A``) and OFD (the Chinese
fixed-layout format, GB/T 33190: a ZIP with ``OFD.xml`` at its root), at most 20 MB, and only if
the file parses: pypdf reads every page of a PDF, Pillow decodes an image, every member of an OFD
passes the ZIP checksum test. Password-protected PDFs are refused (nobody could review them).

Storage: files live under ``settings.ONESTOP_PRIVATE_MEDIA_ROOT`` (never a served directory),
named by a generated id (``ab/ab12....pdf``); the name the user gave is kept only in the database.
An upload is streamed to a temporary file in ``<root>/pending/`` while it is hashed and measured,
so no more than one chunk is ever held in memory. A checked file is moved to its final place only
when the database transaction commits (``transaction.on_commit``); on any error it is removed at
once. When a surrounding transaction rolls back, the commit hook never runs and the pending file is
removed by ``documents_sweep`` (run at each upload for files older than an hour, and by the
``documents_sweep`` management command).

Access: the uploader, the owning user and members of the owning enterprise may always see a
document; other domains add rules with ``register_document_access(check)`` (e.g. the officers of
an agency handling a case the document is attached to), typically in their AppConfig.ready().
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import logging
import os
import tempfile
import time
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.core.audit import audit_record
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import Document, User
from onestop.core.permissions import require_authenticated

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 64_000_000  # a 48-megapixel phone photo fits; decompression bombs do not
MAX_OFD_UNPACKED_BYTES = 200 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
HEAD_BYTES = 8192
PENDING_DIR = "pending"
SWEEP_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    extension: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", "PDF", ".pdf", (".pdf",))
JPEG = Kind("image/jpeg", "JPEG", ".jpg", (".jpg", ".jpeg", ".jpe"))
PNG = Kind("image/png", "PNG", ".png", (".png",))
OFD = Kind("application/ofd", "OFD", ".ofd", (".ofd",))
KINDS = (PDF, JPEG, PNG, OFD)
KIND_BY_TYPE = {kind.content_type: kind for kind in KINDS}

# What a refused file was found to be, for the error message. Checked in order on the first bytes.
_OTHER_SIGNATURES: tuple[tuple[bytes, str | Promise], ...] = (
    (b"MZ", _("a Windows program (.exe)")),
    (b"\x7fELF", _("a Linux program")),
    (b"GIF8", _("a GIF image")),
    (b"BM", _("a BMP image")),
    (b"II*\x00", _("a TIFF image")),
    (b"MM\x00*", _("a TIFF image")),
    (b"\xd0\xcf\x11\xe0", _("an old Microsoft Office document")),
    (b"Rar!", _("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", _("a 7-Zip archive")),
    (b"\x1f\x8b", _("a gzip archive")),
    (b"%!PS", _("a PostScript file")),
    (b"{\\rtf", _("an RTF document")),
)


# ----- errors ----------------------------------------------------------------------------


def _refuse(message: str | Promise, code: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", message, code)])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _too_large(size: int, *, at_least: bool) -> ValidationFailed:
    params = {"size": _megabytes(size), "limit": _megabytes(MAX_DOCUMENT_BYTES).replace(".0", "")}
    if at_least:
        # Reading stopped at the limit: the whole size is not known, only that it is at least this.
        message = _("The file is at least %(size)s; files may be at most %(limit)s.") % params
    else:
        message = _("The file is %(size)s; files may be at most %(limit)s.") % params
    return _refuse(message, "file_too_large")


def _wrong_type(found: str | Promise) -> ValidationFailed:
    return _refuse(
        _("The file is %(found)s. Only PDF, JPEG, PNG and OFD files are accepted.")
        % {"found": found},
        "file_type_not_allowed",
    )


def _corrupt(kind: Kind, detail: str = "") -> ValidationFailed:
    if detail:
        logger.info("refused a damaged %s upload: %s", kind.label, detail[:200])
    return _refuse(
        _("The file looks like %(type)s but cannot be read: it may be damaged or incomplete.")
        % {"type": kind.label},
        "file_corrupt",
    )


# ----- what the content is ---------------------------------------------------------------


def _describe_other(head: bytes) -> str | Promise:
    for signature, label in _OTHER_SIGNATURES:
        if head.startswith(signature):
            return label
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive or Office document (not OFD)")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("a WebP image")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")):
        return _("an HTML page")
    if text.startswith(b"<?xml") or text.startswith(b"<svg"):
        return _("an XML or SVG file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("a file of an unknown type")
    return _("a plain text file")


def sniff(head: bytes, path: Path | None = None) -> Kind | None:
    """The accepted kind the content is, from its first bytes (and, for ZIP files, its members)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04") and path is not None:
        try:
            with zipfile.ZipFile(path) as archive:
                if "OFD.xml" in archive.namelist():
                    return OFD
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


# ----- is it readable --------------------------------------------------------------------


def _check_pdf(path: Path) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
    except Exception as error:  # a hostile file may break the parser in any way
        raise _corrupt(PDF, repr(error)) from None
    if encrypted:
        raise _refuse(
            _("The PDF is protected by a password. Upload a copy without a password."),
            "file_encrypted",
        )
    try:
        pages = reader.pages
        if len(pages) == 0:
            raise ValueError("no pages")
        for page in pages:
            page.mediabox  # noqa: B018 - resolving the page tree is the check
    except Exception as error:
        raise _corrupt(PDF, repr(error)) from None


def _check_image(path: Path, kind: Kind) -> None:
    from PIL import Image

    expected = "JPEG" if kind is JPEG else "PNG"
    too_large = _refuse(
        _("The image has too many pixels; images may have at most %(limit)s million pixels.")
        % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
        "image_too_large",
    )
    try:
        with Image.open(path) as image:
            if image.format != expected:
                raise ValueError(f"Pillow sees {image.format}")
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise too_large
            image.verify()
        with Image.open(path) as image:
            if kind is JPEG:  # decode at 1/8 scale: finds truncation without the memory
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except ValidationFailed:
        raise
    except Image.DecompressionBombError:
        raise too_large from None
    except Exception as error:
        raise _corrupt(kind, repr(error)) from None


def _check_ofd(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_OFD_UNPACKED_BYTES:
                raise ValueError("unpacks to more than the limit")
            if any(member.flag_bits & 0x1 for member in members):
                raise ValueError("encrypted members")
            bad = archive.testzip()
            if bad is not None:
                raise ValueError(f"bad member {bad}")
            with archive.open("OFD.xml") as entry:
                start = entry.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
            if not start.startswith(b"<"):
                raise ValueError("OFD.xml is not XML")
    except Exception as error:
        raise _corrupt(OFD, repr(error)) from None


def _check(path: Path, head: bytes) -> Kind:
    kind = sniff(head, path)
    if kind is None:
        raise _wrong_type(_describe_other(head))
    if kind is PDF:
        _check_pdf(path)
    elif kind is OFD:
        _check_ofd(path)
    else:
        _check_image(path, kind)
    return kind


# ----- storage ---------------------------------------------------------------------------


def private_root() -> Path:
    """Where documents are kept (created on demand, owner-only permissions)."""
    root = Path(settings.ONESTOP_PRIVATE_MEDIA_ROOT)
    (root / PENDING_DIR).mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _final_path(storage_name: str) -> Path:
    return private_root() / storage_name


def _pending_path(storage_name: str) -> Path:
    return private_root() / PENDING_DIR / storage_name.rsplit("/", 1)[-1]


def _unlink(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _chunks(file: Any) -> Iterator[bytes]:
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file.seek(0)
    if hasattr(file, "chunks"):
        yield from file.chunks(CHUNK_BYTES)
        return
    while chunk := file.read(CHUNK_BYTES):
        yield chunk


@dataclass
class _Received:
    path: Path
    size: int
    sha256: str
    head: bytes


def _receive(file: Any) -> _Received:
    """Stream ``file`` into a pending temporary file, hashing and measuring as it goes."""
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > MAX_DOCUMENT_BYTES:
        raise _too_large(declared, at_least=False)
    descriptor, name = tempfile.mkstemp(
        prefix="upload-", suffix=".part", dir=private_root() / PENDING_DIR
    )
    path = Path(name)
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in _chunks(file):
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise _too_large(size, at_least=True)
                digest.update(chunk)
                out.write(chunk)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
    except BaseException:
        _unlink(path)
        raise
    if size == 0:
        _unlink(path)
        raise _refuse(_("The file is empty."), "file_empty")
    return _Received(path=path, size=size, sha256=digest.hexdigest(), head=head)


def _keep(storage_name: str) -> None:
    """After the commit: move the checked file from pending/ to its final place."""
    pending = _pending_path(storage_name)
    final = _final_path(storage_name)
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.replace(pending, final)


@dataclass
class SweepResult:
    kept: int = 0  # pending files of committed documents, moved to their place
    removed: int = 0  # pending files of uploads that failed or were rolled back


def documents_sweep(*, older_than: dt.timedelta = SWEEP_AFTER) -> SweepResult:
    """Finish or remove pending files older than ``older_than``.

    A pending file whose Document row exists was committed but not moved (e.g. a crash after the
    commit): it is moved. Any other pending file belongs to a failed or rolled-back upload: removed.
    """
    result = SweepResult()
    pending_dir = private_root() / PENDING_DIR
    cutoff = time.time() - older_than.total_seconds()
    for entry in os.scandir(pending_dir):
        if not entry.is_file() or entry.stat().st_mtime > cutoff:
            continue
        stem = entry.name.split(".", 1)[0]
        storage_name = f"{stem[:2]}/{entry.name}"
        if not entry.name.endswith(".part") and (
            Document.objects.filter(storage_name=storage_name).exists()
        ):
            try:
                _keep(storage_name)
            except FileNotFoundError:  # another process finished it first
                continue
            result.kept += 1
        else:
            _unlink(Path(entry.path))
            result.removed += 1
    return result


def clean_file_name(name: str) -> str:
    """The user's file name without folders, control or bidi characters, at most 255 characters."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    text = text.strip().lstrip(".")
    if not text:
        text = "document"
    if len(text) > 255:
        stem, dot, extension = text.rpartition(".")
        extension = extension[:16] if dot else ""
        text = f"{(stem or text)[: 254 - len(extension)]}.{extension}" if extension else text[:255]
    return text


def download_name(document: Document) -> str:
    """The name to download as: the user's name, with the right extension for the content."""
    kind = KIND_BY_TYPE.get(document.content_type)
    name = document.original_name
    if kind is not None and not name.lower().endswith(kind.extensions):
        name = f"{name}{kind.extension}"
    return name


# ----- the service -----------------------------------------------------------------------


def _owned(qs: QuerySet[Document], actor: User, owner_enterprise: Any) -> QuerySet[Document]:
    if owner_enterprise is not None:
        return qs.filter(owner_enterprise=owner_enterprise)
    return qs.filter(owner_user=actor, owner_enterprise__isnull=True)


def document_upload(
    *, actor: User, file: Any, original_name: str, owner_enterprise: Any = None
) -> Document:
    """Check and store an uploaded file; return its Document ("submit once": the same content
    from the same owner returns the Document already stored).

    ``file`` is a Django UploadedFile or any binary file object. Raises ValidationFailed (field
    "file") for an empty, too large, wrong-type or unreadable file, and PermissionDenied when
    ``actor`` is not a member of ``owner_enterprise``. Nothing is stored on failure.
    """
    require_authenticated(actor)
    if owner_enterprise is not None and not (
        actor.memberships.filter(enterprise_id=owner_enterprise.pk).exists()
    ):
        raise PermissionDenied(_("You can only upload documents for your own enterprise."))
    try:
        documents_sweep()
    except OSError:  # housekeeping must never stop an upload
        logger.exception("sweeping pending documents failed")
    name = clean_file_name(original_name)
    received = _receive(file)
    pending: Path | None = None
    try:
        # The same bytes were checked when first stored: no need to parse them again.
        found = (
            _owned(Document.objects.all(), actor, owner_enterprise)
            .filter(sha256=received.sha256)
            .first()
        )
        if found is not None:
            _unlink(received.path)
            return found
        kind = _check(received.path, received.head)
        document_id = uuid.uuid4()
        storage_name = f"{document_id.hex[:2]}/{document_id.hex}{kind.extension}"
        pending = _pending_path(storage_name)
        os.replace(received.path, pending)
        with transaction.atomic():
            document = Document.objects.create(
                id=document_id,
                owner_enterprise=owner_enterprise,
                owner_user=None if owner_enterprise is not None else actor,
                uploaded_by=actor,
                original_name=name,
                content_type=kind.content_type,
                size=received.size,
                sha256=received.sha256,
                storage_name=storage_name,
            )
            audit_record(
                actor=actor,
                action="document.upload",
                obj=document,
                changes={
                    "original_name": name,
                    "content_type": kind.content_type,
                    "size": received.size,
                    "sha256": received.sha256,
                },
            )
            # robust: a failed move is logged and left to documents_sweep, never raised here
            transaction.on_commit(functools.partial(_keep, storage_name), robust=True)
        return document
    except IntegrityError:
        # The same content from the same owner was stored by a concurrent request.
        _unlink(received.path)
        _unlink(pending)
        found = (
            _owned(Document.objects.all(), actor, owner_enterprise)
            .filter(sha256=received.sha256)
            .first()
        )
        if found is None:
            raise
        return found
    except BaseException:
        _unlink(received.path)
        _unlink(pending)
        raise


# ----- reading ---------------------------------------------------------------------------


class DocumentFileMissing(FileNotFoundError):
    """The Document row exists but its file is in neither its final nor its pending place."""


def document_open(document: Document) -> IO[bytes]:
    """An open binary file handle on the document's content (the caller closes it).

    Before the upload's transaction commits, the file is still in pending/: it is read there.
    """
    final = _final_path(document.storage_name)
    # Final place, then pending, then the final place again: the commit hook may move the file
    # between the first two looks.
    for path in (final, _pending_path(document.storage_name), final):
        try:
            return path.open("rb")
        except FileNotFoundError:
            continue
    raise DocumentFileMissing(f"document {document.pk}: file {document.storage_name} is missing")


AccessCheck = Callable[[User, Document], bool]
_ACCESS_CHECKS: list[AccessCheck] = []


def register_document_access(check: AccessCheck) -> AccessCheck:
    """Add a rule granting access: ``check(user, document) -> bool`` (True = may see it).

    Usable as a decorator. Registering the same function twice has no effect.
    """
    if check not in _ACCESS_CHECKS:
        _ACCESS_CHECKS.append(check)
    return check


def unregister_document_access(check: AccessCheck) -> None:
    """Remove a rule (for tests)."""
    if check in _ACCESS_CHECKS:
        _ACCESS_CHECKS.remove(check)


def can_view_document(user: Any, document: Document) -> bool:
    """The uploader, the owning user and members of the owning enterprise, plus registered rules."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.pk in (document.uploaded_by_id, document.owner_user_id):
        return True
    if (
        document.owner_enterprise_id is not None
        and user.memberships.filter(enterprise_id=document.owner_enterprise_id).exists()
    ):
        return True
    return any(check(user, document) for check in list(_ACCESS_CHECKS))


def documents_of(enterprise: Any = None, user: User | None = None) -> QuerySet[Document]:
    """Documents available for reuse: an enterprise's, and/or a user's own (newest first).

    With neither given, nothing.
    """
    condition = Q(pk__in=[])
    if enterprise is not None:
        condition |= Q(owner_enterprise=enterprise)
    if user is not None:
        condition |= Q(owner_user=user, owner_enterprise__isnull=True)
    return Document.objects.filter(condition).order_by("-uploaded_at", "pk")
