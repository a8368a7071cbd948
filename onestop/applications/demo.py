"""Demo applications (called by ``load_applications`` in onestop/demo/steps_domains.py).

Everything goes through the services, as the people involved would do it; each step is skipped
when its result is already there, so loading the demo twice changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.applications.models import Application, Case, CaseState, Certificate
from onestop.applications.services import (
    application_apply,
    application_attach_document,
    application_submit,
    case_accept,
    case_approve,
    case_return,
    certificate_issue,
)
from onestop.catalogue.models import Journey
from onestop.core.documents import document_upload
from onestop.core.models import User

# The demo business licence's verification code: a fixed one, so the README can show
# /verify/DEMOCERTIFICATE2020BJ0001/. Real certificates get 120 random bits.
DEMO_CERTIFICATE_CODE = "DEMOCERTIFICATE2020BJ0001"
DEMO_DOMAIN = "demo.onestop.invalid"

RESTAURANT = {
    "district": "110105",  # Chaoyang
    "small_restaurant": False,
    "chain_restaurant": False,
    "public_gathering_place": True,
    "renovation": False,
    "discharges_sewage_to_network": True,
    "employs_staff": True,
    "activities": [],
    "annual_vat_sales_cny": 2_000_000,
}


def _pdf(label: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"OneStop demo document: {label}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def _apply(applicant: User, key: str, answers: dict[str, Any]) -> tuple[Application, str]:
    """The application for ``key``: made, documents uploaded once, submitted."""
    existing = Application.objects.filter(applicant_user=applicant, idempotency_key=key).first()
    if existing is not None and existing.status != "draft":
        return existing, "unchanged"
    journey = Journey.objects.get(code="open_restaurant")
    application = existing or application_apply(
        actor=applicant, journey=journey, answers=answers, idempotency_key=key, submit=False
    )
    for slot in application.documents.filter(
        document__isnull=True, obtainable_from_other_agency=False
    ):
        document = document_upload(
            actor=applicant,
            file=SimpleUploadedFile("demo.pdf", _pdf(f"{applicant.email} {slot.requirement}")),
            original_name=f"{slot.name_en or slot.requirement}.pdf"[:200],
            owner_enterprise=application.applicant_enterprise,
        )
        application_attach_document(
            actor=applicant,
            application=application,
            requirement=slot.requirement,
            document=document,
        )
    return application_submit(actor=applicant, application=application), "created"


def _case(application: Application, identifier: str) -> Case:
    return Case.objects.get(application=application, service__identifier=identifier)


def _approve(case: Case, clerk: User, reviewer: User) -> Case:
    if case.state == CaseState.SUBMITTED:
        case = case_accept(actor=clerk, case=case, version=case.version, comment="材料齐全")
    if case.state in (CaseState.ACCEPTED, CaseState.UNDER_REVIEW):
        case = case_approve(actor=reviewer, case=case, version=case.version, comment="准予许可")
    return case


def demo_applications_load() -> Iterator[str]:
    """Yield ``created`` / ``unchanged`` per application and per certificate."""
    owner, investor = _user("owner"), _user("investor")
    clerk, reviewer = _user("clerk"), _user("reviewer")
    if not (owner and investor and clerk and reviewer):
        return
    # The Demo Catering owner opens the restaurant (domestic capital).
    restaurant, outcome = _apply(owner, "demo-restaurant", {**RESTAURANT, "foreign_share": 0})
    yield outcome
    _approve(_case(restaurant, "name_declaration"), clerk, reviewer)
    registration = _approve(
        _case(restaurant, "company_establishment_registration"), clerk, reviewer
    )
    if registration.state == CaseState.APPROVED:
        certificate = certificate_issue(
            actor=reviewer, case=registration, version=registration.version
        )
        # Demo data only: a known code (see DEMO_CERTIFICATE_CODE).
        Certificate.objects.filter(pk=certificate.pk).update(code=DEMO_CERTIFICATE_CODE)
        yield "created"
    else:
        yield "unchanged"
    # The investor's wholly foreign-owned restaurant; the name is returned for correction.
    wfoe, outcome = _apply(investor, "demo-wfoe-restaurant", {**RESTAURANT, "foreign_share": 100})
    yield outcome
    name = _case(wfoe, "name_declaration")
    if name.state == CaseState.SUBMITTED:
        case_return(
            actor=clerk,
            case=name,
            version=name.version,
            correction_request=(
                "拟定名称中的行业表述与经营范围不一致，请修改后重新提交。"  # noqa: RUF001
                " The industry word in the proposed name does not match the business scope: "
                "change it and resubmit."
            ),
        )
