"""Applicant pages: start an application from a licence-finder plan, the task list (profile,
each document once, check your answers), submit, the confirmation, the application's one
timeline, corrections and certificate downloads. Everything works without JavaScript.

Officers' pages are in ``views_officer``, the public certificate check in ``views_verify``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.applications import services, views_data
from onestop.applications.forms import CorrectionForm, ReuseForm, UploadForm
from onestop.applications.models import ApplicationDocument, ApplicationStatus, CaseState
from onestop.applications.views_common import (
    application_or_404,
    application_status,
    require_applicant,
)
from onestop.catalogue import selectors as catalogue_selectors
from onestop.core.documents import document_upload
from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.permissions import require_authenticated

FINDER_SESSION_KEY = "catalogue.finder"  # where the licence finder keeps its answers
PAGE_SIZE = 20


ACCESS_PREFIX = "access."  # form fields answering the negative list's open questions


def _access_questions(
    journey: Any, answers: dict[str, Any], given: dict[str, str], place: str
) -> list[Any]:
    """The negative list's questions the answers leave open, with their options (read only)."""
    from decimal import Decimal

    from onestop.access.services.checker import access_check
    from onestop.access.services.checker_data import pick
    from onestop.applications.intake import FORMS, industry_codes
    from onestop.catalogue.finder import journey_plan

    language = get_language() or "zh-hans"
    profile = journey_plan(journey=journey, answers=answers).profile
    result = access_check(
        activities=industry_codes(profile),
        foreign_share=Decimal(str(profile.get("profile.foreign_share") or 0)) * 100,
        form=FORMS.get(str(profile.get("profile.entity_form") or "company"), "company"),
        place=place,
        answers=given,
        compare=False,
    )
    return [
        {
            "key": entry["question"]["key"],
            "name": ACCESS_PREFIX + entry["question"]["key"],
            "text": pick(entry["question"].get("text"), language),
            "options": [
                {"value": o["value"], "label": pick(o["label"], language)}
                for o in entry["question"].get("options", [])
            ],
            "items": ", ".join(str(item.number) for item in entry["items"]),
            "error": "",
        }
        for entry in result.verdict.questions
    ]


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, code: str) -> HttpResponse:
    """POST from the plan page: a draft application from the finder's answers.

    When the negative list's verdict depends on what exactly the business will do, the page
    asks those questions and posts here again with the answers. A GET (e.g. coming back from
    the sign-in page) goes back to the plan, where the button is.
    """
    journey = catalogue_selectors.journey(code)
    if journey is None:
        raise Http404
    if request.method == "GET":
        return redirect("catalogue:finder_plan", code=code)
    user = require_applicant(request.user)
    answers = request.session.get(FINDER_SESSION_KEY, {}).get(code, {})
    if not answers:
        messages.info(request, _("Answer the licence finder's questions first."))
        return redirect("catalogue:finder_check", code=code)
    place = request.POST.get("place") or "outside_ftz"
    given = {
        key.removeprefix(ACCESS_PREFIX): request.POST.get(key, "").strip()[:40]
        for key in request.POST
        if key.startswith(ACCESS_PREFIX) and request.POST.get(key, "").strip()
    }
    try:
        application = services.application_start(
            actor=user, journey=journey, answers=answers, access_answers=given, place=place
        )
    except ValidationFailed as exc:
        wrong_place = [e for e in exc.errors if e.field == "place"]
        if wrong_place:  # only a hand-made form sends another value
            messages.error(request, str(wrong_place[0].message))
            return redirect("catalogue:finder_plan", code=code)
        if not any(e.field.startswith("access_answers.") for e in exc.errors):
            messages.info(request, _("Some answers are missing or do not fit together."))
            return redirect("catalogue:finder_check", code=code)
        questions = _access_questions(journey, answers, given, place)
        asked = "asked" in request.POST
        for question in questions:
            if asked and question["key"] not in given:
                question["error"] = _("Choose an answer.")
        return render(
            request,
            "applications/access_questions.html",
            {
                "journey": journey,
                "questions": questions,
                "message": exc.message,
                "given": sorted(given.items()),
                "place": place,
            },
            status=422 if asked else 200,
        )
    except DomainError as exc:
        # Intake refused (a prohibited activity): say why and on which list item.
        return render(
            request,
            "applications/intake_refused.html",
            {
                "journey": journey,
                "message": exc.message,
                "details": [e.message for e in exc.errors],
            },
            status=exc.status if 400 <= exc.status < 500 else 422,
        )
    return redirect("applications:detail", reference=application.reference)


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user = require_applicant(request.user)
    from onestop.applications.selectors import applications_for_user

    page = Paginator(applications_for_user(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "reference": a.reference,
            "journey": str(a.journey) if a.journey else "",
            "status": application_status(a.status),
            "created_at": a.created_at,
        }
        for a in page
    ]
    return render(request, "applications/mine.html", {"rows": rows, "page": page})


@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A draft shows its task list; a submitted application its cases and one timeline."""
    application = application_or_404(request.user, reference)
    context = views_data.base_context(application)
    if application.status == ApplicationStatus.DRAFT:
        documents = views_data.document_rows(application)
        needed = [d for d in documents if not d["fetched"]]
        done = sum(1 for d in needed if d["document"]) + 1  # the profile is filled in
        context.update(
            documents=documents,
            ready=all(d["document"] for d in needed),
            done=done,
            total=len(needed) + 2,
        )
        return render(request, "applications/task_list.html", context)
    cases = views_data.case_rows(application)
    context.update(
        status=application_status(application.status),
        cases=cases,
        to_correct=[c for c in cases if c["correction_url"]],
        events=views_data.timeline_events(application),
    )
    return render(request, "applications/application.html", context)


@require_GET
def profile(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_or_404(request.user, reference)
    return render(request, "applications/profile.html", views_data.base_context(application))


def _requirement(application: Any, document_id: int) -> ApplicationDocument:
    found = application.documents.filter(pk=document_id).first()
    if found is None or found.obtainable_from_other_agency:
        raise Http404
    return found


REPLACEMENTS_KEY = "applications.replacements"  # case id -> {requirement: document id}


def replacements(request: HttpRequest, case_id: int) -> dict[str, str]:
    """Documents chosen to replace others, sent with the correction of ``case_id``."""
    stored: dict[str, str] = request.session.get(REPLACEMENTS_KEY, {}).get(str(case_id), {})
    return stored


def _keep_replacement(request: HttpRequest, case_id: int, requirement: str, document: Any) -> None:
    everything = request.session.get(REPLACEMENTS_KEY, {})
    everything.setdefault(str(case_id), {})[requirement] = str(document.pk)
    request.session[REPLACEMENTS_KEY] = everything


def _returned_case(application: Any, requirement: ApplicationDocument, raw: str) -> Any:
    """The case (``?case=``) waiting for a correction that needs this document, or None."""
    if not raw.isdigit():
        return None
    return application.cases.filter(
        pk=int(raw), state=CaseState.RETURNED, case_documents__application_document=requirement
    ).first()


def _chosen_document(request: HttpRequest, application: Any, form: UploadForm) -> Any:
    """The document the applicant picked (reused) or uploaded; raises ValidationFailed."""
    if "reuse" in request.POST or "document" in request.POST:
        reuse = ReuseForm(request.POST)
        document = views_data.reusable_document(
            request.user, application, str(reuse.data.get("document", ""))
        )
        if document is None:
            raise ValidationFailed([], message=_("Choose one of the documents listed."))
        return document
    if not form.is_valid():
        raise ValidationFailed([])
    uploaded = form.cleaned_data["file"]
    return document_upload(
        actor=require_authenticated(request.user),
        file=uploaded,
        original_name=uploaded.name,
        owner_enterprise=application.applicant_enterprise,
    )


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """One document of the application: upload a file, or reuse one uploaded before.

    In a draft the file is attached at once. While a case waits for a correction
    (``?case=<id>``), the file replaces the old one when the correction is sent.
    """
    application = application_or_404(request.user, reference, applicant=True)
    requirement = _requirement(application, document_id)
    correcting = None
    if application.status != ApplicationStatus.DRAFT:
        correcting = _returned_case(application, requirement, request.GET.get("case", ""))
        if correcting is None:
            messages.info(request, _("This document can no longer be changed."))
            return redirect("applications:detail", reference=reference)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    reuse_error = ""
    status = 200
    if request.method == "POST":
        try:
            document = _chosen_document(request, application, form)
            if correcting is None:
                services.application_attach_document(
                    actor=require_authenticated(request.user),
                    application=application,
                    requirement=requirement.requirement,
                    document=document,
                )
        except ValidationFailed as exc:
            status = 422
            if "reuse" in request.POST or "document" in request.POST:
                reuse_error = str(exc.message)
            for error in exc.errors:
                form.add_error("file" if error.field in form.fields else None, str(error.message))
        except DomainError as exc:
            status = 409 if exc.status == 409 else 422
            form.add_error(None, str(exc.message))
        else:
            values = {"name": requirement.name, "file": document.original_name}
            if correcting is not None:
                _keep_replacement(request, correcting.pk, requirement.requirement, document)
                messages.success(
                    request,
                    _("%(name)s: %(file)s will replace the old file when you send the correction.")
                    % values,
                )
                return redirect(
                    "applications:correction", reference=reference, case_id=correcting.pk
                )
            messages.success(request, _("%(name)s: %(file)s is attached.") % values)
            return redirect("applications:detail", reference=reference)
    row = next(r for r in views_data.document_rows(application) if r["id"] == requirement.pk)
    return render(
        request,
        "applications/upload.html",
        {
            **views_data.base_context(application),
            "requirement": row,
            "form": form,
            "reuse_error": reuse_error,
            "correcting": correcting,
            "previous": views_data.reusable_documents(request.user, application, row["document"]),
        },
        status=status,
    )


@require_GET
def check(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_or_404(request.user, reference)
    if application.status != ApplicationStatus.DRAFT:
        return redirect("applications:detail", reference=reference)
    return _check_page(request, application)


def _check_page(
    request: HttpRequest, application: Any, problems: list[dict[str, str]] | None = None
) -> HttpResponse:
    documents = views_data.document_rows(application)
    return render(
        request,
        "applications/check.html",
        {
            **views_data.base_context(application),
            "documents": documents,
            "services": views_data.planned_services(application),
            "problems": problems or [],
            "idempotency_key": uuid.uuid4().hex,
        },
        status=422 if problems else 200,
    )


@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_or_404(request.user, reference, applicant=True)
    if application.status != ApplicationStatus.DRAFT:
        # Already sent (e.g. a second click): show where it stands.
        return redirect("applications:submitted", reference=reference)
    key = request.POST.get("idempotency_key", "").strip()[:100] or None
    try:
        services.application_submit(
            actor=require_authenticated(request.user), application=application, idempotency_key=key
        )
    except DomainError as exc:
        links = {str(r["requirement"]): r["url"] for r in views_data.document_rows(application)}
        problems = [
            {"message": str(e.message), "link": links.get(e.field.split(".")[-1], "")}
            for e in exc.errors
        ] or [{"message": str(exc.message), "link": ""}]
        return _check_page(request, application, problems)
    return redirect("applications:submitted", reference=reference)


@require_GET
def submitted(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_or_404(request.user, reference)
    if application.status == ApplicationStatus.DRAFT:
        return redirect("applications:detail", reference=reference)
    states = list(application.cases.values_list("state", flat=True))
    waiting = sum(1 for s in states if s == CaseState.WAITING)
    return render(
        request,
        "applications/confirmation.html",
        {"application": application, "started": len(states) - waiting, "waiting": waiting},
    )


@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, reference: str, case_id: int) -> HttpResponse:
    """What exactly the agency asks to correct; replace documents; send the correction."""
    application = application_or_404(request.user, reference, applicant=True)
    case = application.cases.select_related("agency", "service__current").filter(pk=case_id).first()
    if case is None:
        raise Http404
    if case.state != CaseState.RETURNED:
        messages.info(request, _("This procedure does not wait for a correction from you."))
        return redirect("applications:detail", reference=reference)
    form = CorrectionForm(request.POST or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_resubmit(
                    actor=require_authenticated(request.user),
                    case=case,
                    comment=form.cleaned_data["comment"],
                    documents=views_data.replacement_documents(
                        request.user, application, replacements(request, case.pk)
                    ),
                )
            except DomainError as exc:
                problems = [str(exc.message)] + [str(e.message) for e in exc.errors]
            else:
                everything = request.session.get(REPLACEMENTS_KEY, {})
                everything.pop(str(case.pk), None)
                request.session[REPLACEMENTS_KEY] = everything
                messages.success(
                    request,
                    _("Your correction is sent. The time limit runs again from today."),
                )
                return redirect("applications:detail", reference=reference)
        status = 422
    row = views_data.case_row(case, today=timezone.localdate())
    chosen = views_data.replacement_documents(
        request.user, application, replacements(request, case.pk)
    )
    documents = [
        {
            **d,
            "url": d["url"] + f"?case={case.pk}",
            "replacement": chosen.get(d["requirement"]),
        }
        for d in views_data.document_rows(application, case=case)
    ]
    return render(
        request,
        "applications/correction.html",
        {
            **views_data.base_context(application),
            "case": {**row, "correction_request": case.correction_request},
            "documents": documents,
            "form": form,
            "problems": problems,
        },
        status=status,
    )


@require_GET
def certificate_pdf(request: HttpRequest, reference: str, case_id: int) -> HttpResponse:
    """The e-certificate of one case, as a PDF (rendered on demand)."""
    application = application_or_404(request.user, reference)
    case = application.cases.filter(pk=case_id).first()
    certificate = getattr(case, "certificate", None) if case else None
    if certificate is None:
        raise Http404
    from onestop.applications.selectors import certificate_pdf as render_pdf

    data = render_pdf(certificate)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def certificate_url(application: Any, case: Any) -> str:
    return reverse("applications:certificate_pdf", args=[application.reference, case.pk])
