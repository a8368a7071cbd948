"""Reads of the applications domain: the applicant's view, the officer queue, certificates.

The officer queue stays fast with 100,000 cases: it reads one table (``Case``, due date
copied from the clock) through the index (agency, state, due_on), counts with a cap, and
fetches a page with its joins only for the rows shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.applications.models import (
    OPEN_STATES,
    Application,
    ApplicationDocument,
    Case,
    CaseDocument,
    CaseEvent,
    CaseState,
    Certificate,
)
from onestop.applications.permissions import (
    can_view_application,
    can_view_case,
    is_agency_officer,
)
from onestop.core.clocks import clock_remaining
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import Document, User
from onestop.core.permissions import is_city_admin, require_authenticated
from onestop.core.roles import Role

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
COUNT_CAP = 10_000


def applications_for_user(user: Any) -> QuerySet[Application]:
    """The user's applications and those of the enterprises they belong to, newest first."""
    require_authenticated(user)
    enterprises = list(user.memberships.values_list("enterprise_id", flat=True))
    return (
        Application.objects.filter(Q(applicant_user=user) | Q(applicant_enterprise__in=enterprises))
        .select_related("journey", "applicant_enterprise")
        .order_by("-created_at", "-pk")
    )


def application_for_user(user: Any, reference: str) -> Application:
    """One application by reference: 404 when unknown, 403 when someone else's."""
    require_authenticated(user)
    application = (
        Application.objects.select_related("journey", "applicant_enterprise", "applicant_user")
        .filter(reference=reference)
        .first()
    )
    if application is None:
        raise Http404(_("No application has this reference."))
    if not can_view_application(user, application):
        raise PermissionDenied(_("This application is not yours."))
    return application


@dataclass
class CaseView:
    case: Case
    title: str
    agency: str
    state: str
    state_label: str
    due_on: dt.date | None
    remaining: int | None  # in the clock's unit; negative = overdue
    overdue: bool
    paused: bool
    waiting_for: list[str]
    events: list[CaseEvent]
    documents: list[ApplicationDocument]
    certificate: Certificate | None


@dataclass
class Timeline:
    application: Application
    cases: list[CaseView]
    missing_documents: list[ApplicationDocument] = field(default_factory=list)
    documents: list[ApplicationDocument] = field(default_factory=list)


def case_title(case: Case) -> str:
    """The procedure's title as applied for (the version the case was opened on), in the
    active language; the current version or the identifier when that is unknown."""
    version = case.service_version or case.service.current
    return version.title if version else case.service.identifier


def _case_view(case: Case, today: dt.date, events: list[CaseEvent], docs: list[Any]) -> CaseView:
    clock = case.clock
    remaining = clock_remaining(clock, today) if clock is not None else None
    paused = bool(clock is not None and clock.state == "paused")
    overdue = bool(
        case.state in OPEN_STATES and case.due_on is not None and case.due_on < today and not paused
    )
    certificate = (
        getattr(case, "certificate", None) if case.state == CaseState.CERTIFICATE_ISSUED else None
    )
    return CaseView(
        case=case,
        title=case_title(case),
        agency=case.agency.name,
        state=case.state,
        state_label=case.get_state_display(),
        due_on=case.due_on,
        remaining=remaining,
        overdue=overdue,
        paused=paused,
        waiting_for=[
            case_title(p)
            for p in case.prerequisites.all()
            if p.state not in (CaseState.APPROVED, CaseState.CERTIFICATE_ISSUED)
        ],
        events=events,
        documents=docs,
        certificate=certificate,
    )


def application_timeline(application: Application, *, today: dt.date | None = None) -> Timeline:
    """Every case of the application with its state, due date, events and documents."""
    today = today or timezone.localdate()
    cases = list(
        application.cases.select_related(
            "service__current", "service_version", "agency", "clock", "certificate"
        )
        .prefetch_related("prerequisites__service_version", "prerequisites__service__current")
        .order_by("pk")
    )
    events: dict[int, list[CaseEvent]] = {}
    for event in (
        CaseEvent.objects.filter(case__application=application)
        .select_related("actor")
        .order_by("at", "pk")
    ):
        events.setdefault(event.case_id, []).append(event)
    slots = list(application.documents.select_related("document").order_by("pk"))
    by_slot = {slot.pk: slot for slot in slots}
    docs: dict[int, list[ApplicationDocument]] = {}
    for case_id, slot_id in CaseDocument.objects.filter(case__application=application).values_list(
        "case_id", "application_document_id"
    ):
        docs.setdefault(case_id, []).append(by_slot[slot_id])
    return Timeline(
        application=application,
        cases=[_case_view(c, today, events.get(c.pk, []), docs.get(c.pk, [])) for c in cases],
        missing_documents=[
            s for s in slots if s.document_id is None and not s.obtainable_from_other_agency
        ],
        documents=slots,
    )


@dataclass
class QueuePage:
    rows: list[Case]
    page: int
    page_size: int
    total: int  # capped at COUNT_CAP
    total_capped: bool
    has_next: bool
    today: dt.date

    def is_overdue(self, case: Case) -> bool:
        return case.state in OPEN_STATES and case.due_on is not None and case.due_on < self.today


QUEUE_STATES = (
    CaseState.SUBMITTED,
    CaseState.RETURNED,
    CaseState.ACCEPTED,
    CaseState.UNDER_REVIEW,
)


# What a queue row shows: only these columns are read (service versions carry large JSON).
QUEUE_RELATED = (
    "application__applicant_enterprise",
    "application__applicant_user",
    "service__current",
    "service_version",
    "assignee",
    "clock",
)
QUEUE_FIELDS = (
    "id", "version", "state", "due_on", "agency_id", "assignee_id", "submitted_at",
    "application__reference", "application__status",
    "application__applicant_enterprise__name_zh", "application__applicant_enterprise__name_en",
    "application__applicant_enterprise__credit_code",
    "application__applicant_user__display_name", "application__applicant_user__email",
    "service__identifier", "service__current__title_zh", "service__current__title_en",
    "service_version__title_zh", "service_version__title_en",
    "assignee__display_name", "assignee__email",
    "clock__state", "clock__due_on", "clock__paused_on", "clock__stopped_on", "clock__unit",
    "clock__started_on", "clock__limit", "clock__paused_total",
)  # fmt: skip


def officer_queue(
    user: Any,
    *,
    state: str | None = None,
    assignee: str | int | None = None,
    overdue: bool = False,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> QueuePage:
    """The cases of the officer's agency, by due date (earliest first, no date last).

    Filters: ``state`` (one CaseState; default: every state the agency still acts on),
    ``assignee`` ("me", "none", or a user id), ``overdue`` (due before today, clock running).
    """
    require_authenticated(user)
    if not user.has_role(Role.OFFICER) or user.agency_id is None:
        raise PermissionDenied(_("Only agency officers have a work queue."))
    today = today or timezone.localdate()
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    qs = Case.objects.filter(agency_id=user.agency_id)
    if state:
        if state not in CaseState.values:
            raise ValidationFailed(
                [
                    FieldError(
                        "state",
                        _("Choose one of: %(states)s.") % {"states": ", ".join(CaseState.values)},
                        "invalid",
                    )
                ]
            )
        qs = qs.filter(state=state)
    else:
        qs = qs.filter(state__in=QUEUE_STATES)
    if assignee == "me":
        qs = qs.filter(assignee=user)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee not in (None, ""):
        qs = qs.filter(assignee_id=int(assignee))
    if overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_on__lt=today)
    qs = qs.order_by()  # no join for the model's default ordering in the count
    total = qs.values("pk")[: COUNT_CAP + 1].count()
    offset = (page - 1) * page_size
    ids = list(
        qs.order_by("due_on", "pk").values_list("pk", flat=True)[offset : offset + page_size + 1]
    )
    has_next = len(ids) > page_size
    ids = ids[:page_size]
    rows_by_id = {
        c.pk: c
        for c in Case.objects.filter(pk__in=ids)
        .order_by()
        .select_related(*QUEUE_RELATED)
        .only(*QUEUE_FIELDS)
    }
    return QueuePage(
        rows=[rows_by_id[pk] for pk in ids],
        page=page,
        page_size=page_size,
        total=min(total, COUNT_CAP),
        total_capped=total > COUNT_CAP,
        has_next=has_next,
        today=today,
    )


def case_for_officer(user: Any, case_id: int) -> Case:
    """One case for an officer page: 404 when unknown, 403 unless the officer's agency's
    (city administrators may read every case)."""
    require_authenticated(user)
    case = (
        Case.objects.select_related(
            "application__applicant_enterprise",
            "application__applicant_user",
            "service__current",
            "service_version",
            "agency",
            "assignee",
            "clock",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404(_("No case has this number."))
    if not (is_agency_officer(user, case.agency_id) or is_city_admin(user)):
        raise PermissionDenied(_("This case belongs to another agency."))
    return case


def case_for_user(user: Any, case_id: int) -> Case:
    """One case for anyone allowed to see it (officers of its agency, the applicant)."""
    require_authenticated(user)
    case = (
        Case.objects.select_related("application", "agency", "service__current", "clock")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404(_("No case has this number."))
    if not can_view_case(user, case):
        raise PermissionDenied(_("You cannot see this case."))
    return case


def case_documents(case: Case) -> list[ApplicationDocument]:
    return list(
        ApplicationDocument.objects.filter(case_links__case=case)
        .select_related("document")
        .order_by("pk")
    )


def agency_officers(agency_id: int) -> QuerySet[User]:
    """Who a case can be assigned to."""
    return User.objects.filter(role=Role.OFFICER, agency_id=agency_id, is_active=True).order_by(
        "display_name", "pk"
    )


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code (case-insensitive, spaces ignored)."""
    cleaned = "".join((code or "").split()).upper()
    if not cleaned or len(cleaned) > 40:
        return None
    return (
        Certificate.objects.select_related("case__agency", "case__application")
        .filter(code=cleaned)
        .first()
    )


def certificate_verify_url(certificate: Certificate) -> str:
    """The public page confirming the certificate (W's ``applications:verify``)."""
    try:
        path = reverse("applications:verify", args=[certificate.code])
    except NoReverseMatch:
        path = f"/verify/{certificate.code}/"
    return f"{settings.SITE_URL}{path}"


def certificate_pdf(certificate: Certificate) -> bytes:
    """The e-certificate as a PDF (rendered on demand with S's onestop.core.pdf)."""
    from onestop.core.pdf import render_certificate_pdf

    rows = [(r[0], r[1], str(r[2])) for r in certificate.data.get("rows", [])]
    return render_certificate_pdf(
        title_zh=certificate.title_zh,
        title_en=certificate.title_en,
        number=certificate.number,
        holder_zh=certificate.holder_zh,
        holder_en=certificate.holder_en,
        rows=rows,
        issued_on=certificate.issued_on,
        valid_to=certificate.valid_to,
        issuer_zh=certificate.issuer_zh,
        issuer_en=certificate.issuer_en,
        verify_url=certificate_verify_url(certificate),
        code=certificate.code,
    )


def document_visible_to_case_agency(user: Any, document: Document) -> bool:
    """Registered with core: officers of an agency holding a case that needs the document,
    and the applicants of an application using it."""
    if not getattr(user, "is_authenticated", False):
        return False
    officer_sees = (
        user.role == Role.OFFICER
        and user.agency_id is not None
        and Case.objects.filter(
            agency_id=user.agency_id, case_documents__application_document__document=document
        ).exists()
    )
    if officer_sees:
        return True
    enterprises = list(user.memberships.values_list("enterprise_id", flat=True))
    return (
        ApplicationDocument.objects.filter(document=document)
        .filter(
            Q(application__applicant_user=user)
            | Q(application__applicant_enterprise__in=enterprises)
        )
        .exists()
    )
