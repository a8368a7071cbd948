"""What an uploaded document is, decided by its content: the accepted kinds (PDF, JPEG, PNG,
OFD), what a refused file was found to be, and whether the file can be read (pypdf reads every
page, Pillow decodes an image, every member of an OFD passes the ZIP checksum test). Used by
``onestop.core.documents``, which stores the files.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import FieldError, ValidationFailed

logger = logging.getLogger("onestop.core.documents")

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 64_000_000  # a 48-megapixel phone photo fits; decompression bombs do not
MAX_OFD_UNPACKED_BYTES = 200 * 1024 * 1024


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


def refusal(message: str | Promise, code: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", message, code)])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(size: int, *, at_least: bool) -> ValidationFailed:
    params = {"size": _megabytes(size), "limit": _megabytes(MAX_DOCUMENT_BYTES).replace(".0", "")}
    if at_least:
        # Reading stopped at the limit: the whole size is not known, only that it is at least this.
        message = _("The file is at least %(size)s; files may be at most %(limit)s.") % params
    else:
        message = _("The file is %(size)s; files may be at most %(limit)s.") % params
    return refusal(message, "file_too_large")


def _wrong_type(found: str | Promise) -> ValidationFailed:
    return refusal(
        _("The file is %(found)s. Only PDF, JPEG, PNG and OFD files are accepted.")
        % {"found": found},
        "file_type_not_allowed",
    )


def _corrupt(kind: Kind, detail: str = "") -> ValidationFailed:
    if detail:
        logger.info("refused a damaged %s upload: %s", kind.label, detail[:200])
    return refusal(
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
        raise refusal(
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
    too_large = refusal(
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


def check_content(path: Path, head: bytes) -> Kind:
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
