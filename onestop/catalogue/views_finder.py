"""The licence finder as pages: pick a journey, one question per page, check your answers,
then the plan. Answers live in the session, per journey; everything works without JS."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.catalogue import present, selectors
from onestop.catalogue.finder import journey_plan
from onestop.catalogue.finder_answers import answer_problem, localized
from onestop.catalogue.models import Journey
from onestop.core.errors import ValidationFailed

SESSION_KEY = "catalogue.finder"


def _journey(code: str) -> Journey:
    found = selectors.journey(code)
    if found is None:
        raise Http404
    return found


def _answers(request: HttpRequest, code: str) -> dict[str, Any]:
    stored: dict[str, Any] = request.session.get(SESSION_KEY, {}).get(code, {})
    return stored


def _store(request: HttpRequest, code: str, key: str, value: Any) -> None:
    everything = request.session.get(SESSION_KEY, {})
    everything.setdefault(code, {})[key] = value
    request.session[SESSION_KEY] = everything


def _shown(question: dict[str, Any], value: Any) -> str:
    """An answer as the check page shows it."""
    if value is None:
        return ""
    labels = {c["value"]: localized(c, "label") for c in question.get("choices", [])}
    if question["type"] == "bool":
        return _("Yes") if value in (True, "yes") else _("No")
    if question["type"] == "multi":
        return ", ".join(labels.get(v, v) for v in value) or _("None of these")
    if question["type"] == "percent":
        return f"{value}%"
    return str(labels.get(value, value))


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What do you want to do? (one question: the journey)."""
    journeys = list(selectors.journeys())
    chosen = request.GET.get("journey", "")
    error = ""
    # With no radio chosen the browser sends no ``journey``: ``sent`` marks the form as sent.
    if "journey" in request.GET or "sent" in request.GET:
        if any(j.code == chosen for j in journeys):
            return redirect("catalogue:finder_question", code=chosen, step=1)
        error = _("Choose what you want to do.")
    return render(request, "catalogue/finder_start.html", {"journeys": journeys, "error": error})


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, code: str, step: int) -> HttpResponse:
    journey = _journey(code)
    if not 1 <= step <= len(journey.questions):
        raise Http404
    q = journey.questions[step - 1]
    answers = _answers(request, code)
    error = ""
    value: Any = answers.get(q["key"])
    if request.method == "POST":
        value = (
            request.POST.getlist(q["key"])
            if q["type"] == "multi"
            else request.POST.get(q["key"], "").strip()
        )
        error = answer_problem(journey, q["key"], value)
        if not error:
            _store(request, code, q["key"], value)
            if request.GET.get("return") == "check" or step == len(journey.questions):
                return redirect("catalogue:finder_check", code=code)
            return redirect("catalogue:finder_question", code=code, step=step + 1)
    back = (
        reverse("catalogue:finder_question", args=[code, step - 1])
        if step > 1
        else reverse("catalogue:finder")
    )
    return render(
        request,
        "catalogue/finder_question.html",
        {
            "journey": journey,
            "question": present.question(q),
            "step": step,
            "total": len(journey.questions),
            "value": value,
            "values": value if isinstance(value, list) else [value],
            "error": error,
            "back": back,
            "returning": request.GET.get("return") == "check",
        },
        status=422 if error else 200,
    )


def _rows(journey: Journey, answers: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": q["key"],
            "label": localized(q, "label"),
            "answer": _shown(q, answers.get(q["key"])),
            "missing": q["key"] not in answers,
            "change": reverse("catalogue:finder_question", args=[journey.code, i])
            + "?return=check",
        }
        for i, q in enumerate(journey.questions, start=1)
    ]


@require_GET
def check(request: HttpRequest, code: str) -> HttpResponse:
    journey = _journey(code)
    answers = _answers(request, code)
    rows = _rows(journey, answers)
    first_missing = next((i for i, r in enumerate(rows, start=1) if r["missing"]), None)
    if first_missing:
        return redirect("catalogue:finder_question", code=code, step=first_missing)
    return render(request, "catalogue/finder_check.html", {"journey": journey, "rows": rows})


@require_GET
def plan(request: HttpRequest, code: str) -> HttpResponse:
    journey = _journey(code)
    answers = _answers(request, code)
    try:
        result = journey_plan(journey=journey, answers=answers)
    except ValidationFailed as exc:
        missing = [e for e in exc.errors if e.code == "required"]
        if missing:
            return redirect("catalogue:finder_check", code=code)
        rows = _rows(journey, answers)
        links = {r["key"]: r["change"] for r in rows}
        problems = [
            {"message": e.message, "link": links.get(e.field.removeprefix("answers."), "")}
            for e in exc.errors
        ]
        return render(
            request,
            "catalogue/finder_check.html",
            {"journey": journey, "rows": rows, "problems": problems},
            status=422,
        )
    titles = {s.service.identifier: str(s.service.current) for s in result.steps}
    english = (get_language() or "").startswith("en")
    documents = [
        {
            "name": (d.name_en or d.name_zh) if english else (d.name_zh or d.name_en),
            "needed_by": [titles[i] for i in d.needed_by],
            "fetched": d.obtainable_from_other_agency,
            "uncertain": d.uncertain,
        }
        for d in result.documents
    ]
    levels = [
        [{"step": s, "after": [titles[d] for d in s.depends_on]} for s in level]
        for level in result.levels
    ]
    return render(
        request,
        "catalogue/finder_plan.html",
        {
            "journey": journey,
            "plan": result,
            "levels": levels,
            "documents": documents,
            "to_ask": sum(1 for d in documents if not d["fetched"]),
        },
    )
