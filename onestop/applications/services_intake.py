"""Intake: an application from a licence-finder plan and its documents (its submission:
``services_submission``).

``application_start`` makes a draft from a journey and the finder's answers (the plan fixes the
procedures; the access checker may refuse the business or add conditions and procedures).
``application_attach_document`` links a core Document to one requirement (documents are asked
once per application, whichever procedures need them). ``application_submit`` checks that
nothing is missing, then fans the application out into one case per procedure, in one
transaction: cases without open prerequisites start their legal clock at once, the others
wait until their prerequisites are approved.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.applications.intake import (
    PLACES,
    access_snapshot,
    industry_codes,
    jsonable,
)
from onestop.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
)
from onestop.applications.permissions import is_applicant
from onestop.catalogue.finder import Plan, journey_plan
from onestop.catalogue.models import Journey, PublicService
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError, FieldError, ValidationFailed
from onestop.core.models import Document, User
from onestop.core.roles import Role
from onestop.enterprises.models import Enterprise

IDEMPOTENCY_KEY_MAX = 100


@dataclass
class _Draft:
    """A draft just created in the current transaction, with what was read to make it."""

    application: Application
    slots: list[ApplicationDocument]
    services: list[PublicService]
    changes: dict[str, Any]


def _applicant_enterprise(actor: User, enterprise: Enterprise | None) -> Enterprise | None:
    if not actor.has_role(Role.ENTERPRISE, Role.INVESTOR):
        raise PermissionDenied(_("Only enterprise and investor accounts can apply."))
    if enterprise is not None:
        if not actor.memberships.filter(enterprise=enterprise).exists():
            raise PermissionDenied(_("You can only apply for an enterprise you belong to."))
        return enterprise
    if actor.role == Role.ENTERPRISE:
        memberships = list(actor.memberships.select_related("enterprise")[:2])
        if len(memberships) == 1:
            return memberships[0].enterprise
    return None


def _check_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise ValidationFailed(
            [
                FieldError(
                    "idempotency_key",
                    gettext_lazy("An idempotency key is at most 100 printable characters long."),
                    "invalid",
                )
            ]
        )
    return key


def _plan_services(plan: Plan, extra: list[str]) -> tuple[dict[str, Any], list[PublicService]]:
    """(plan data, services) from the finder's plan plus the procedures ``extra`` adds."""
    journey = plan.journey
    steps = [
        {"service": s.service.identifier, "depends_on": list(s.depends_on)} for s in plan.steps
    ]
    services = [s.service for s in plan.steps]
    present = {s["service"] for s in steps}
    missing = [identifier for identifier in extra if identifier not in present]
    if missing:
        for service in PublicService.objects.filter(identifier__in=missing).select_related(
            "current"
        ):
            if service.current is None:
                continue
            prereqs = [p for p in service.current.prerequisites if p in present]
            steps.append(
                {"service": service.identifier, "depends_on": prereqs, "added_by": "access"}
            )
            services.append(service)
    return {"steps": steps, "journey": journey.code}, services


def _requirements(services: list[PublicService]) -> dict[str, dict[str, Any]]:
    """Each document requirement once: key -> names, the services needing it."""
    merged: dict[str, dict[str, Any]] = {}
    for service in services:
        version = service.current
        if version is None:
            continue
        for doc in version.documents:
            entry = merged.get(doc["key"])
            if entry is None:
                merged[doc["key"]] = {
                    "name_zh": doc.get("name_zh") or doc["key"],
                    "name_en": doc.get("name_en") or doc.get("name_zh") or doc["key"],
                    "obtainable": bool(doc.get("obtainable_from_other_agency")),
                    "services": [service.identifier],
                }
            else:
                entry["obtainable"] &= bool(doc.get("obtainable_from_other_agency"))
                entry["services"].append(service.identifier)
    return merged


def application_start(
    *,
    actor: User,
    journey: Journey,
    answers: dict[str, Any],
    enterprise: Enterprise | None = None,
    industry_codes_extra: list[str] | None = None,
    place: str = "outside_ftz",
    access_answers: dict[str, str] | None = None,
    idempotency_key: str | None = None,
) -> Application:
    """A draft application from the plan for ``journey`` and ``answers``.

    Runs the access checker on the business profile (GB/T 4754 classes of the activities plus
    ``industry_codes_extra``, the foreign share, the legal form, ``place``): a prohibited
    activity raises DomainError ``access_prohibited`` naming the list item; a restricted one
    records its conditions and adds the procedures they require. With ``idempotency_key`` the
    same applicant never gets two applications for one key: the first one is returned.
    """
    return start_once(
        actor=actor,
        journey=journey,
        answers=answers,
        enterprise=enterprise,
        industry_codes_extra=industry_codes_extra,
        place=place,
        access_answers=access_answers,
        idempotency_key=idempotency_key,
    )


def start_once(
    *,
    actor: User,
    journey: Journey,
    answers: dict[str, Any],
    enterprise: Enterprise | None,
    industry_codes_extra: list[str] | None,
    place: str,
    access_answers: dict[str, str] | None,
    idempotency_key: str | None,
    documents: dict[str, Document] | None = None,
    finish: Callable[[_Draft], Application] | None = None,
) -> Application:
    """Start a draft in one transaction, at most once per idempotency key, then ``finish`` it
    in that same transaction (``application_apply`` submits it); without ``finish`` the start
    is audited and the draft returned."""
    key = _check_key(idempotency_key)
    if key is not None:
        existing = Application.objects.filter(applicant_user=actor, idempotency_key=key).first()
        if existing is not None:
            return existing
    if place not in PLACES:
        raise ValidationFailed(
            [FieldError("place", _("Choose inside or outside the free trade zone."), "invalid")]
        )
    applicant_enterprise = _applicant_enterprise(actor, enterprise)
    try:
        with transaction.atomic():
            draft = _start(
                actor=actor,
                journey=journey,
                answers=answers,
                enterprise=applicant_enterprise,
                extra_codes=industry_codes_extra or [],
                place=place,
                access_answers=access_answers or {},
                key=key,
                documents=documents,
                submitting=finish is not None,
            )
            if finish is not None:  # one audit row for the whole call, written by finish
                return finish(draft)
            audit_record(
                actor=actor,
                action="application.start",
                obj=draft.application,
                changes=draft.changes,
            )
            return draft.application
    except IntegrityError:
        if key is None:
            raise
        # A concurrent request with the same key won the race: answer with its application.
        return Application.objects.get(applicant_user=actor, idempotency_key=key)


def _start(
    *,
    actor: User,
    journey: Journey,
    answers: dict[str, Any],
    enterprise: Enterprise | None,
    extra_codes: list[str],
    place: str,
    access_answers: dict[str, str],
    key: str | None,
    documents: dict[str, Document] | None = None,
    submitting: bool = False,
) -> _Draft:
    plan = journey_plan(journey=journey, answers=answers)
    codes = industry_codes(plan.profile, extra_codes)
    snapshot = access_snapshot(plan.profile, codes=codes, place=place, answers=access_answers)
    plan_data, services = _plan_services(plan, snapshot["procedures"])
    profile = plan.profile
    requirements = _requirements(services)
    documents = documents or {}
    unknown = [
        FieldError(
            f"documents.{requirement}",
            _("This application does not ask for %(requirement)s.") % {"requirement": requirement},
            "unknown",
        )
        for requirement in documents
        if requirement not in requirements
    ]
    if unknown:
        raise ValidationFailed(unknown)
    now = timezone.now()
    application = Application.objects.create(
        reference=f"tmp-{uuid.uuid4().hex[:28]}",
        applicant_user=actor,
        applicant_enterprise=enterprise,
        journey=journey,
        answers=jsonable(answers),
        profile=jsonable(profile),
        plan=plan_data,
        access_check=snapshot,
        status=ApplicationStatus.DRAFT,
        created_at=now,
        updated_at=now,
        idempotency_key=key,
    )
    application.reference = f"OS-{now.year}-{application.pk:06d}"
    if not submitting:  # a submission in the same transaction saves it with its status
        Application.objects.filter(pk=application.pk).update(reference=application.reference)
    for document in documents.values():
        if not _document_usable(actor, application, document):
            raise PermissionDenied(_("You can only use documents you or your enterprise uploaded."))
    slots = ApplicationDocument.objects.bulk_create(
        [
            ApplicationDocument(
                application=application,
                requirement=requirement,
                name_zh=entry["name_zh"],
                name_en=entry["name_en"],
                obtainable_from_other_agency=entry["obtainable"],
                document=documents.get(requirement),
                attached_at=now if requirement in documents else None,
                attached_by=actor if requirement in documents else None,
            )
            for requirement, entry in requirements.items()
        ]
    )
    changes = {
        "journey": journey.code,
        "services": [s["service"] for s in plan_data["steps"]],
        "access": snapshot.get("allowed", "not_applicable"),
        "documents": {k: str(d.pk) for k, d in sorted(documents.items())},
    }
    return _Draft(application=application, slots=slots, services=services, changes=changes)


def _require_draft(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(
            code="application_submitted",
            message=gettext_lazy("The application has been submitted and can no longer change."),
            status=409,
        )


def _document_usable(actor: User, application: Application, document: Document) -> bool:
    """The applicant's own uploads, or the enterprise's ("submit once")."""
    if document.uploaded_by_id == actor.pk or document.owner_user_id == actor.pk:
        return True
    enterprise_id = application.applicant_enterprise_id
    return enterprise_id is not None and document.owner_enterprise_id == enterprise_id


def application_attach_document(
    *, actor: User, application: Application, requirement: str, document: Document
) -> ApplicationDocument:
    """Use ``document`` for one requirement of a draft (replacing any earlier choice)."""
    if not is_applicant(actor, application):
        raise PermissionDenied(_("Only the applicant can add documents."))
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        _require_draft(application)
        slot = application.documents.filter(requirement=requirement).first()
        if slot is None:
            raise ValidationFailed(
                [
                    FieldError(
                        "requirement",
                        _("This application does not ask for %(requirement)s.")
                        % {"requirement": requirement},
                        "unknown",
                    )
                ]
            )
        if not _document_usable(actor, application, document):
            raise PermissionDenied(_("You can only use documents you or your enterprise uploaded."))
        before = slot.document_id
        slot.document = document
        slot.attached_at = timezone.now()
        slot.attached_by = actor
        slot.save(update_fields=["document", "attached_at", "attached_by"])
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="application.attach_document",
            obj=application,
            changes={"requirement": requirement, "document": [before, str(document.pk)]},
        )
    return slot


__all__ = [
    "application_attach_document",
    "application_start",
]
