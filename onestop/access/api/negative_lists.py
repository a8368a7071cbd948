"""API of the negative lists and the access checker. Public: no sign-in needed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router

from onestop.access.api.negative_list_schemas import (
    AccessCheckIn,
    AccessCheckOut,
    DiffIn,
    DiffOut,
    EditionDetailOut,
    EditionOut,
)
from onestop.access.models import Edition
from onestop.access.selectors.edition_diff import EditionDiff, ItemChange, edition_diff
from onestop.access.selectors.negative_lists import edition_get, editions_list
from onestop.access.services.checker import access_check
from onestop.access.services.checker_text import check_result_data
from onestop.core.api_render import json_answer
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.schemas import problems

router = Router(tags=["access"])


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


@router.post(
    "/access/check",
    response={200: AccessCheckOut, **problems(400, 422)},
    auth=None,
    operation_id="access_check",
)
def check(request: HttpRequest, payload: AccessCheckIn) -> HttpResponse:
    """May this foreign investment go ahead? The verdict per activity and overall, the item and
    edition it rests on, what would differ inside (or outside) a pilot FTZ, the general notes
    that apply, and a bilingual explanation. Unknown codes, bad shares and a date before any
    loaded edition are refused (422, with the field)."""
    try:
        result = access_check(
            activities=payload.activities,
            foreign_share=payload.foreign_share,
            single_share=payload.single_share,
            form=payload.form,
            place=payload.place,
            date=payload.date,
            answers=payload.answers,
        )
    except ValidationFailed as exc:
        raise ValidationFailed(
            [FieldError(f"body.{e.field}", e.message, e.code) for e in exc.errors], exc.message
        ) from None
    # Returned as built, skipping ninja's validation of this 11 KB answer (a sixth of the
    # request's time, issue 3): test_checker_cases checks for every case that the answer is
    # exactly what AccessCheckOut would give.
    return json_answer(check_result_data(result, _language()))


@router.get(
    "/access/editions", response=list[EditionOut], auth=None, operation_id="access_editions_list"
)
def editions(request: HttpRequest) -> list[Edition]:
    """Every loaded negative-list edition, newest first."""
    return list(editions_list())


@router.get(
    "/access/editions/{edition_id}",
    response={200: EditionDetailOut, **problems(404, 422)},
    auth=None,
    operation_id="access_editions_get",
)
def edition(request: HttpRequest, edition_id: int) -> Edition:
    """One edition with its general notes and every item (and its industry codes)."""
    found = edition_get(edition_id)
    found.item_count = len(found.items.all())  # type: ignore[attr-defined]
    return found


def _find(value: str, field: str) -> Edition:
    query = Edition.objects.filter(pk=int(value)) if value.isdigit() else None
    found = (query.first() if query is not None else None) or Edition.objects.filter(
        code=value
    ).first()
    if found is None:
        raise ValidationFailed(
            [
                FieldError(
                    f"query.{field}",
                    _("No edition %(value)s is loaded.") % {"value": value},
                    "unknown_edition",
                )
            ]
        )
    return found


def _item_change_data(change: ItemChange, language: str) -> dict[str, Any]:
    # A moved item's other side is the item that holds it as a part there.
    first = change.before or change.moved_from
    second = change.after or change.moved_to
    return {
        "key": change.key,
        "change": change.change,
        "from_number": first.number if first else None,
        "to_number": second.number if second else None,
        "from_summary": first.localized("summary", language) if first else "",
        "to_summary": second.localized("summary", language) if second else "",
        "parts": change.details,
        "moved_to": change.moved_to.key if change.moved_to else None,
        "moved_from": change.moved_from.key if change.moved_from else None,
        "direction": change.direction,
    }


def diff_data(diff: EditionDiff, language: str) -> dict[str, Any]:
    def ref(e: Edition) -> dict[str, Any]:
        return {
            "id": e.pk,
            "code": e.code,
            "scope": e.scope,
            "title": e.localized("title", language),
            "decree": e.localized("decree", language),
            "effective": e.effective,
            "repeal": e.repeal,
        }

    return {
        "from_edition": ref(diff.before),
        "to_edition": ref(diff.after),
        "counts": diff.counts(),
        "items": [_item_change_data(c, language) for c in diff.items],
        "industries": [
            {"code": c.code, "change": c.change, "items": c.keys} for c in diff.industries
        ],
    }


@router.get(
    "/access/diff",
    response={200: DiffOut, **problems(422)},
    auth=None,
    operation_id="access_diff",
)
def diff(request: HttpRequest, query: Query[DiffIn]) -> dict[str, Any]:
    """What changed from one edition to another (``from``, ``to``: code or id): items
    removed, added, relaxed, tightened, reworded or moved (a whole item in one edition, a
    sub-measure of another item in the other), and per industry code."""
    before, after = _find(query.from_, "from"), _find(query.to, "to")
    return diff_data(edition_diff(before, after), _language())
