"""Pages of the access checker and the negative lists. Public; thin: form, then the service."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.views.decorators.http import require_GET

from onestop.access.api.negative_lists import diff_data
from onestop.access.forms.access_check import ANSWER_PREFIX, AccessCheckForm
from onestop.access.models import Edition
from onestop.access.permissions import can_import_edition
from onestop.access.selectors import industry_search
from onestop.access.selectors.edition_diff import EditionDiff, edition_diff
from onestop.access.selectors.industries import industry_node
from onestop.access.selectors.negative_lists import (
    edition_get,
    edition_status,
    editions_list,
    industries_by_code,
    item_get,
)
from onestop.access.services.checker import access_check
from onestop.access.services.checker_text import check_result_data, licence_finder_url
from onestop.core.errors import ValidationFailed

# The result page's question form names the questions it asked in this parameter.
ASKED = "asked"


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _matches(q: str) -> list[Any]:
    return industry_search(q, limit=12) if q.strip() else []


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The guided form. ``q`` searches the industries (the no-JS results step)."""
    q = request.GET.get("q", "")
    initial = {"form": "company", "place": "outside_ftz"}
    form = AccessCheckForm(initial={**initial, **request.GET.dict()})
    return render(
        request,
        "access/check/start.html",
        {"form": form, "q": q, "matches": _matches(q), "chosen": request.GET.get("industry", "")},
    )


@require_GET
def industry_options(request: HttpRequest) -> HttpResponse:
    """htmx: the matching industries as radio buttons, for the form's search box."""
    q = request.GET.get("q", "")
    return render(
        request,
        "access/check/_industry_options.html",
        {"q": q, "matches": _matches(q), "chosen": request.GET.get("industry", "")},
    )


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    """The verdict, at a URL that carries every input (shareable and printable)."""
    form = AccessCheckForm(request.GET)
    data = None
    if form.is_valid():
        try:
            data = check_result_data(access_check(**form.check_kwargs()), _language())
        except ValidationFailed as exc:
            form.add_check_errors(exc)
    if data is None:
        q = request.GET.get("q", "") or request.GET.get("industry", "")
        return render(
            request,
            "access/check/start.html",
            {"form": form, "q": q, "matches": _matches(q), "chosen": request.GET.get("industry")},
        )
    keep = {
        k: v for k, v in request.GET.items() if not k.startswith(ANSWER_PREFIX) and k != ASKED and v
    }
    # "Continue" with a question left unanswered: the browser sends no answer for it, only the
    # keys of the questions the page asked. Say so instead of showing the same page again.
    asked = set(request.GET.getlist(ASKED))
    unanswered = {q["key"] for q in data["questions"] if q["key"] in asked}
    return render(
        request,
        "access/check/result.html",
        {
            "form": form,
            "result": data,
            "keep": keep,
            "answers": form.answers(),
            "answer_prefix": ANSWER_PREFIX,
            "asked_name": ASKED,
            "unanswered": unanswered,
            "share_url": request.build_absolute_uri(
                "?"
                + urlencode({**keep, **{ANSWER_PREFIX + k: v for k, v in form.answers().items()}})
            ),
            "change_url": "?".join(["", urlencode(keep)]),
            "finder_url": licence_finder_url(),
        },
    )


@require_GET
def editions(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(e, edition_status(e, today)) for e in editions_list()]
    return render(
        request,
        "access/editions/list.html",
        {"rows": rows, "can_import": can_import_edition(request.user)},
    )


@require_GET
def edition(request: HttpRequest, edition_id: int) -> HttpResponse:
    found = edition_get(edition_id)
    return render(
        request,
        "access/editions/detail.html",
        {
            "edition": found,
            "status": edition_status(found, timezone.localdate()),
            "language": _language(),
        },
    )


@require_GET
def item(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    found = item_get(edition_id, number)
    names = industries_by_code([link.code for link in found.industries.all()])
    return render(
        request,
        "access/editions/item.html",
        {"item": found, "edition": found.edition, "names": names, "language": _language()},
    )


# What a change is called on the page (the API keeps the codes).
CHANGE_LABELS = {
    "removed": pgettext_lazy("edition diff", "removed"),
    "added": pgettext_lazy("edition diff", "added"),
    "relaxed": pgettext_lazy("edition diff", "relaxed"),
    "tightened": pgettext_lazy("edition diff", "tightened"),
    "reworded": pgettext_lazy("edition diff", "reworded"),
    "moved": pgettext_lazy("edition diff", "moved"),
    "unchanged": pgettext_lazy("edition diff", "unchanged"),
}


def _for_page(found: EditionDiff) -> dict[str, Any]:
    """The API's answer, with what a reader needs besides the codes: the change named in the
    page's language, each item's section and each industry class's name."""
    data = diff_data(found, _language())
    for change, item_change in zip(data["items"], found.items, strict=True):
        change["label"] = CHANGE_LABELS[change["change"]]
        if change["direction"]:
            change["direction_label"] = CHANGE_LABELS[change["direction"]]
        item = item_change.after or item_change.before
        change["section"] = item.section if item is not None else ""
    # Per code, each item named by its number in the edition that has it (the later one
    # when both do), linked to its page.
    numbered = {
        c.key: (c.after or c.before) for c in found.items if (c.after or c.before) is not None
    }
    for change in data["industries"]:
        change["label"] = CHANGE_LABELS[change["change"]]
        change["node"] = industry_node(change["code"])
        change["links"] = [
            {
                "key": key,
                "edition_id": item.edition_id,
                "number": item.number,
                "earlier": item.edition_id == found.before.pk != found.after.pk,
            }
            for key in change["items"]
            if (item := numbered.get(key)) is not None
        ]
    data["count_labels"] = [(CHANGE_LABELS[k], n) for k, n in data["counts"].items()]
    return data


@require_GET
def diff(request: HttpRequest) -> HttpResponse:
    choices = list(Edition.objects.order_by("-effective", "scope"))
    by_code = {e.code: e for e in choices}
    before = by_code.get(request.GET.get("from", ""))
    after = by_code.get(request.GET.get("to", ""))
    error = None
    data = None
    if "from" in request.GET or "to" in request.GET:
        if before is None or after is None:
            error = True
        else:
            data = _for_page(edition_diff(before, after))
    return render(
        request,
        "access/editions/diff.html",
        {
            "choices": choices,
            "before": before,
            "after": after,
            "diff": data,
            "error": error,
        },
    )
