"""Builders for application tests (also used by the permission matrix and the benchmark).

``mini_catalogue`` makes two services and a journey: a registration at agency A (no
prerequisite) and a licence at agency B that waits for it; they share one document (the
lease) so "each document once, linked to every case needing it" is visible.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.applications.models import Application
from onestop.applications.services import application_apply
from onestop.catalogue.models import Journey, PublicService
from onestop.catalogue.services import journey_save, service_save
from onestop.core.documents import document_upload
from onestop.core.models import Agency, Document, User

MINI_JOURNEY = "mini-journey"
MINI_ANSWERS = {"employs_staff": True}
ID_CARD = "法定代表人身份证明"
LEASE = "经营场所使用证明"
DRAWING = "平面布局图"


def _doc(key: str, en: str, obtainable: bool = False) -> dict[str, Any]:
    return {"key": key, "name_zh": key, "name_en": en, "obtainable_from_other_agency": obtainable}


@dataclass
class Mini:
    journey: Journey
    registration: PublicService
    licence: PublicService


def mini_catalogue(agency_a: Agency, agency_b: Agency, *, suffix: str = "") -> Mini:
    registration, _ = service_save(
        actor=None,
        identifier=f"mini-registration{suffix}",
        agency=agency_a,
        content={
            "title_zh": "设立登记",
            "title_en": "Establishment registration",
            "output_zh": "营业执照",
            "output_en": "Business licence",
            "documents": [
                _doc(ID_CARD, "Identity of the legal representative"),
                _doc(LEASE, "Proof of the business premises"),
                _doc("营业执照", "Business licence", obtainable=True),
            ],
            "statutory_limit": {"value": 3, "unit": "working_days"},
        },
        valid_from=dt.date(2020, 1, 1),
    )
    licence, _ = service_save(
        actor=None,
        identifier=f"mini-licence{suffix}",
        agency=agency_b,
        content={
            "title_zh": "经营许可",
            "title_en": "Operating licence",
            "output_zh": "经营许可证",
            "output_en": "Operating licence",
            "documents": [
                _doc(LEASE, "Proof of the business premises"),
                _doc(DRAWING, "Floor plan"),
            ],
            "statutory_limit": {"value": 20, "unit": "working_days"},
            "prerequisites": [registration.identifier],
        },
        valid_from=dt.date(2020, 1, 1),
    )
    journey, _ = journey_save(
        actor=None,
        code=f"{MINI_JOURNEY}{suffix}",
        candidates=[
            {"service": registration, "requirement": "always"},
            {"service": licence, "requirement": "always"},
        ],
        name_zh="开一家小店",
        name_en="Open a small shop",
        questions=[
            {
                "key": "employs_staff",
                "type": "bool",
                "label_en": "Will you employ staff?",
                "label_zh": "是否招用员工？",  # noqa: RUF001
            }
        ],
        fixed={"entity_form": "company", "foreign_share": 0},
    )
    return Mini(journey=journey, registration=registration, licence=licence)


def pdf_bytes(text: str = "") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(actor: User, *, enterprise: Any = None, label: str = "doc") -> Document:
    """A small valid PDF, distinct per label (identical content would be deduplicated)."""
    return document_upload(
        actor=actor,
        file=SimpleUploadedFile(f"{label}.pdf", pdf_bytes(label), "application/pdf"),
        original_name=f"{label}.pdf",
        owner_enterprise=enterprise,
    )


def mini_documents(actor: User, enterprise: Any = None) -> dict[str, Document]:
    return {
        ID_CARD: upload(actor, enterprise=enterprise, label="id-card"),
        LEASE: upload(actor, enterprise=enterprise, label="lease"),
        DRAWING: upload(actor, enterprise=enterprise, label="drawing"),
    }


def submitted_mini(
    actor: User, mini: Mini, *, enterprise: Any = None, key: str | None = None
) -> Application:
    return application_apply(
        actor=actor,
        journey=mini.journey,
        answers=dict(MINI_ANSWERS),
        documents=mini_documents(actor, enterprise),
        enterprise=enterprise,
        idempotency_key=key,
    )
