"""Uploaded documents: checked, stored privately, deduplicated per owner, served after a check.

What is accepted (decided by the content, never by the name or the browser's claim):
PDF (``%PDF-``), JPEG (``FF D8 FF``), PNG (``89 50 4E 47 0D 0A 1A 0A``) and OFD (the Chinese
fixed-layout format, GB/T 33190: a ZIP with ``OFD.xml`` at its root), at most 20 MB, and only if
the file parses: pypdf reads every page of a PDF, Pillow decodes an image, every member of an OFD
passes the ZIP checksum test. Password-protected PDFs are refused (nobody could review them).
Those checks live in ``document_content``; this module stores, serves and guards the files.

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.core.audit import audit_record
from onestop.core.document_content import (
    KIND_BY_TYPE,
    MAX_DOCUMENT_BYTES,
    check_content,
    refusal,
    too_large,
)
from onestop.core.models import Document, User
from onestop.core.permissions import require_authenticated

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
HEAD_BYTES = 8192
PENDING_DIR = "pending"
SWEEP_AFTER = dt.timedelta(hours=1)


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
        raise too_large(declared, at_least=False)
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
                    raise too_large(size, at_least=True)
                digest.update(chunk)
                out.write(chunk)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
    except BaseException:
        _unlink(path)
        raise
    if size == 0:
        _unlink(path)
        raise refusal(_("The file is empty."), "file_empty")
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
        kind = check_content(received.path, received.head)
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
