"""The applications router of the one API (mounted at /api/v1/ in onestop/api.py).

Applicants submit and follow applications and upload documents; officers work their agency's
queue and act on cases (each action carries the case version they saw: a stale version is a
409 ``case_changed``); anyone can verify a certificate by its code.

``POST /applications`` honours an ``Idempotency-Key`` header: the same key from the same
applicant never creates two applications (a repeat answers 200 with the first one).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router
from ninja.files import UploadedFile

from onestop.applications import present, selectors, services
from onestop.applications.models import Application, Case
from onestop.applications.permissions import is_applicant
from onestop.applications.schemas import (
    ApplicationCreatedOut,
    ApplicationDocumentOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationSummaryOut,
    CaseActionIn,
    CaseOut,
    CertificateVerifyOut,
    QueueOut,
    ResubmitIn,
)
from onestop.catalogue.models import Journey
from onestop.core.api_auth import signed_in_user
from onestop.core.documents import document_upload
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import Document, User
from onestop.core.permissions import require_role
from onestop.core.roles import Role
from onestop.core.schemas import problems
from onestop.enterprises.models import Enterprise

router = Router(tags=["applications"])

IDEMPOTENCY_HEADER = "Idempotency-Key"
_OPTIONAL_FILE = File(None)  # an upload, or (with ``document``) a reused earlier one


def _journey(code: str) -> Journey:
    journey = Journey.objects.filter(code=code).first()
    if journey is None:
        raise ValidationFailed(
            [FieldError("journey", _("No journey has the code %(code)s.") % {"code": code})]
        )
    return journey


def _enterprise(user: User, credit_code: str | None) -> Enterprise | None:
    if not credit_code:
        return None
    enterprise = Enterprise.objects.filter(credit_code=credit_code.upper()).first()
    if enterprise is None or not user.memberships.filter(enterprise=enterprise).exists():
        raise ValidationFailed(
            [
                FieldError(
                    "enterprise",
                    _("You are not a member of an enterprise with this credit code."),
                )
            ]
        )
    return enterprise


def _documents(user: User, wanted: dict[str, Any], field: str = "documents") -> dict[str, Document]:
    """Documents by id that the user may reuse (their own, or their enterprises')."""
    if not wanted:
        return {}
    found = {d.pk: d for d in Document.objects.filter(pk__in=list(wanted.values()))}
    errors = [
        FieldError(f"{field}.{key}", _("No document has this id."), "unknown")
        for key, value in wanted.items()
        if value not in found
    ]
    if errors:
        raise ValidationFailed(errors)
    return {key: found[value] for key, value in wanted.items()}


def _application(user: User, reference: str) -> Application:
    return selectors.application_for_user(user, reference)


def _application_out(application: Application) -> dict[str, Any]:
    return present.application(selectors.application_timeline(application))


@router.post(
    "/applications",
    response={
        200: ApplicationCreatedOut,
        201: ApplicationCreatedOut,
        **problems(400, 401, 403, 409, 422),
    },
    operation_id="applications_create",
)
def application_create(
    request: HttpRequest,
    payload: ApplicationIn,
    idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER),
) -> tuple[int, dict[str, Any]]:
    """Apply from a licence-finder plan: the journey and answers, documents already uploaded
    (by id, per requirement), and ``submit`` (default true). A prohibited activity is a 422
    ``access_prohibited`` naming the negative-list item; missing documents a 422 naming each
    one (``documents.<requirement>``). With an ``Idempotency-Key`` header a repeated request
    returns the first application (200) and creates nothing. The answer lists the cases;
    ``GET /applications/{reference}`` gives the whole timeline."""
    user = signed_in_user(request)
    require_role(user, Role.ENTERPRISE, Role.INVESTOR)
    key = (idempotency_key or "").strip() or None
    began = timezone.now()
    application = services.application_apply(
        actor=user,
        journey=_journey(payload.journey),
        answers=payload.answers,
        documents=_documents(user, payload.documents),
        enterprise=_enterprise(user, payload.enterprise),
        industry_codes_extra=payload.industry_codes,
        place=payload.place,
        access_answers=payload.access_answers,
        idempotency_key=key,
        submit=payload.submit,
    )
    # An application made before this request began is the one the key already named.
    return (200 if application.created_at < began else 201), present.created(application)


@router.get(
    "/applications",
    response={200: list[ApplicationSummaryOut], **problems(401)},
    operation_id="applications_list",
)
def application_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Your applications and your enterprises', newest first (at most 200)."""
    user = signed_in_user(request)
    return [present.summary(a) for a in selectors.applications_for_user(user)[:200]]


@router.get(
    "/applications/{reference}",
    response={200: ApplicationOut, **problems(401, 403, 404, 422)},
    operation_id="applications_get",
)
def application_get(request: HttpRequest, reference: str) -> dict[str, Any]:
    """One application: every case with its state, due date and events; its documents."""
    return _application_out(_application(signed_in_user(request), reference))


@router.post(
    "/applications/{reference}/documents",
    response={200: ApplicationDocumentOut, **problems(400, 401, 403, 404, 409, 422)},
    operation_id="applications_documents_upload",
)
def application_document_upload(
    request: HttpRequest,
    reference: str,
    requirement: Form[str],
    file: UploadedFile | None = _OPTIONAL_FILE,
    document: Form[str] = "",
) -> dict[str, Any]:
    """Upload the file for one requirement (multipart ``file``: PDF, JPEG, PNG or OFD, at
    most 20 MB), or reuse an earlier upload with ``document`` (its id)."""
    user = signed_in_user(request)
    application = _application(user, reference)
    if not is_applicant(user, application):
        raise PermissionDenied(_("Only the applicant can add documents."))
    if file is not None:
        chosen = document_upload(
            actor=user,
            file=file,
            original_name=file.name or "upload",
            owner_enterprise=application.applicant_enterprise,
        )
    elif document:
        chosen = _documents(user, {"document": _uuid(document)}, field="document")["document"]
    else:
        raise ValidationFailed(
            [FieldError("file", _("Choose a file to upload, or an earlier document."), "required")]
        )
    slot = services.application_attach_document(
        actor=user, application=application, requirement=requirement, document=chosen
    )
    return present.document(slot)


def _uuid(value: str) -> Any:
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationFailed(
            [FieldError("document", _("This is not a document id."), "invalid")]
        ) from None


@router.post(
    "/applications/{reference}/submit",
    response={200: ApplicationOut, **problems(400, 401, 403, 404, 409, 422)},
    operation_id="applications_submit",
)
def application_submit(
    request: HttpRequest,
    reference: str,
    idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER),
) -> dict[str, Any]:
    """Submit a draft: one case per procedure. Missing documents are a 422 naming each one.
    Submitting again returns the application unchanged."""
    user = signed_in_user(request)
    application = services.application_submit(
        actor=user,
        application=_application(user, reference),
        idempotency_key=(idempotency_key or "").strip() or None,
    )
    return _application_out(application)


# ----- officers --------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: QueueOut, **problems(401, 403, 422)},
    operation_id="cases_queue",
)
def case_queue(
    request: HttpRequest,
    state: str = "",
    assignee: str = "",
    overdue: bool = False,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    """Your agency's work queue, earliest due date first. ``assignee``: ``me``, ``none`` or a
    user id; ``overdue``: only cases past their due date."""
    user = signed_in_user(request)
    if assignee not in ("", "me", "none") and not assignee.isdigit():
        raise ValidationFailed([FieldError("assignee", _("Use me, none or a user id."), "invalid")])
    return present.queue(
        selectors.officer_queue(
            user,
            state=state or None,
            assignee=assignee or None,
            overdue=overdue,
            page=max(page, 1),
            page_size=page_size,
        )
    )


def _case_view(case: Case) -> dict[str, Any]:
    timeline = selectors.application_timeline(case.application)
    view = next(v for v in timeline.cases if v.case.pk == case.pk)
    return present.case(view)


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, **problems(401, 403, 404, 422)},
    operation_id="cases_get",
)
def case_get(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """One case of your agency (403 for another agency's case)."""
    case = selectors.case_for_officer(signed_in_user(request), case_id)
    return _case_view(case)


@router.post(
    "/cases/{case_id}/actions",
    response={200: CaseOut, **problems(400, 401, 403, 404, 409, 422)},
    operation_id="cases_act",
)
def case_act(request: HttpRequest, case_id: int, payload: CaseActionIn) -> dict[str, Any]:
    """Act on a case with the version you saw: claim, assign, accept, return (with
    ``correction_request``), start_review, approve, refuse (with ``reasons``; ``appeal_info``
    defaults to the standard wording), issue_certificate. A stale version is a 409
    ``case_changed``."""
    user = signed_in_user(request)
    case = selectors.case_for_officer(user, case_id)
    v = payload.version
    if payload.action == "claim":
        services.case_claim(actor=user, case=case, version=v)
    elif payload.action == "assign":
        assignee = None
        if payload.assignee is not None:
            assignee = User.objects.filter(pk=payload.assignee).first()
            if assignee is None:
                raise ValidationFailed([FieldError("assignee", _("No such user."), "unknown")])
        services.case_assign(actor=user, case=case, assignee=assignee, version=v)
    elif payload.action == "accept":
        services.case_accept(actor=user, case=case, version=v, comment=payload.comment)
    elif payload.action == "return":
        services.case_return(
            actor=user,
            case=case,
            version=v,
            correction_request=payload.correction_request or payload.comment,
        )
    elif payload.action == "start_review":
        services.case_start_review(actor=user, case=case, version=v, comment=payload.comment)
    elif payload.action == "approve":
        services.case_approve(actor=user, case=case, version=v, comment=payload.comment)
    elif payload.action == "refuse":
        services.case_refuse(
            actor=user,
            case=case,
            version=v,
            reasons=payload.reasons or payload.comment,
            appeal_info=payload.appeal_info,
        )
    else:
        services.certificate_issue(actor=user, case=case, version=v, valid_to=payload.valid_to)
    return _case_view(Case.objects.select_related("application").get(pk=case.pk))


@router.post(
    "/cases/{case_id}/resubmit",
    response={200: CaseOut, **problems(400, 401, 403, 404, 409, 422)},
    operation_id="cases_resubmit",
)
def case_resubmit(request: HttpRequest, case_id: int, payload: ResubmitIn) -> dict[str, Any]:
    """The applicant answers a correction request (documents by id, per requirement)."""
    user = signed_in_user(request)
    case = Case.objects.select_related("application").filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not is_applicant(user, case.application):
        raise PermissionDenied(_("Only the applicant can resubmit."))
    services.case_resubmit(
        actor=user,
        case=case,
        comment=payload.comment,
        documents=_documents(user, payload.documents),
        version=payload.version,
    )
    return _case_view(Case.objects.select_related("application").get(pk=case.pk))


# ----- public ----------------------------------------------------------------------------


@router.get(
    "/certificates/{code}",
    response={200: CertificateVerifyOut, **problems(404, 422)},
    auth=None,
    operation_id="certificates_verify",
)
def certificate_verify(request: HttpRequest, code: str) -> dict[str, Any]:
    """Is this certificate genuine, and is it current? Public: anyone holding the code."""
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404(_("No certificate has this code."))
    return present.verification(certificate)
