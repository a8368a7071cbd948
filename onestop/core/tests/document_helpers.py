"""Sample files and helpers of the document tests (upload checks and download access)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from onestop.conftest import Cast
from onestop.core.documents import document_upload
from onestop.core.errors import ValidationFailed
from onestop.core.models import Document


def pdf_bytes(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def ofd_bytes(*, with_root: bool = True, extra: bytes = b"<Doc/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if with_root:
            archive.writestr(
                "OFD.xml",
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"/>',
            )
        archive.writestr("Doc_0/Document.xml", extra * 50)
    return out.getvalue()


class Stream(io.RawIOBase):
    """A file-like object of ``total`` bytes that never exists in memory as a whole."""

    def __init__(self, head: bytes, total: int) -> None:
        self.head = head
        self.total = total
        self.position = 0
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        left = self.total - self.position
        if left <= 0:
            return b""
        size = left if size < 0 else min(size, left)
        start = self.position
        self.position += size
        self.read_bytes += size
        chunk = bytearray(size)
        if start < len(self.head):
            part = self.head[start : start + size]
            chunk[: len(part)] = part
        return bytes(chunk)


def upload(cast: Cast, data: bytes, name: str = "营业执照.pdf", **kwargs: Any) -> Document:
    kwargs.setdefault("owner_enterprise", cast.enterprise_a)
    return document_upload(
        actor=kwargs.pop("actor", cast.owner),
        file=SimpleUploadedFile(name, data, content_type="application/pdf"),
        original_name=name,
        **kwargs,
    )


def refusal(cast: Cast, data: bytes, name: str = "file.pdf") -> tuple[str, str]:
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as info:
            upload(cast, data, name)
        (error,) = info.value.errors
        assert error.field == "file"
        return error.code, str(error.message)  # lazy messages are read in English too


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())
