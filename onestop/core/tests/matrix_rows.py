"""Permission-matrix rows for core pages kept beside their code: document downloads."""

from __future__ import annotations

import io
import uuid
from typing import Any

from pypdf import PdfWriter

from onestop.core.documents import document_upload
from onestop.core.tests.matrix import LOGIN, Case, World, cells, page


def _pdf() -> io.BytesIO:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out


def build(world: World) -> None:
    world.extra["document"] = document_upload(
        actor=world.cast.owner,
        file=_pdf(),
        original_name="营业执照.pdf",
        owner_enterprise=world.cast.enterprise_a,
    )


def _document(world: World) -> list[Any]:
    return [world.extra["document"].pk]


# The owner's enterprise document: its members only (no agency has been granted access).
PAGES: list[Case] = [
    page(
        "core:document_download",
        cells(403, owner=200, anonymous=LOGIN),
        args=_document,
        label="enterprise A's document",
    ),
    page(
        "core:document_download",
        cells(404, anonymous=LOGIN),
        args=lambda w: [uuid.UUID(int=7)],
        label="unknown id",
    ),
    page(
        "core:document_download",
        cells(405),
        args=_document,
        method="POST",
        label="POST is refused",
    ),
]
APIS: list[Case] = []
