"""API of the GB/T 4754 industry classification: search and one node. Public (no sign-in)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from onestop.access import selectors
from onestop.access.selectors import IndustryNode
from onestop.core.api_errors import PROBLEM_CONTENT_TYPE, problem_body
from onestop.core.schemas import problems

router = Router(tags=["industries"])


# ----- schemas ----------------------------------------------------------------------------


class IndustryOut(Schema):
    code: str = Field(
        ..., description="A to T (section), 2 digits (division), 3 (group), 4 (class)."
    )
    level: str = Field(..., description="section, division, group or class.")
    name: str = Field(
        ...,
        description="In the language of the response; Chinese where no English name exists.",
    )
    name_zh: str
    name_en: str = Field(..., description="Empty where no sourced English name exists.")
    name_en_missing: bool = Field(
        ..., description="True when there is no English name (never machine-translated)."
    )
    name_en_source: str = Field(
        ..., description="Where the English name comes from: nbs, nbs_style or translation."
    )
    parent_code: str | None


class IndustryDetailOut(IndustryOut):
    note: str = Field(..., description="A note on the record from the data set (English).")
    ancestors: list[IndustryOut] = Field(..., description="From the section down to the parent.")
    children: list[IndustryOut]


class IndustrySearchIn(Schema):
    q: str = Field(
        "",
        max_length=100,
        description=(
            "Code or code prefix, Chinese words, pinyin (canyin) or its initials (cy), or "
            "English words. Empty: the 20 sections."
        ),
    )
    limit: int = Field(20, ge=1, le=100, description="At most this many results.")


def _out(node: IndustryNode) -> dict[str, object]:
    return {
        "code": node.code,
        "level": node.level,
        "name": node.name,
        "name_zh": node.name_zh,
        "name_en": node.name_en,
        "name_en_missing": node.name_en_missing,
        "name_en_source": node.name_en_source,
        "parent_code": node.parent_code,
    }


# ----- routes -----------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[IndustryOut], **problems(422)},
    auth=None,
    operation_id="industries_search",
)
def industries_search(
    request: HttpRequest, filters: Query[IndustrySearchIn]
) -> list[dict[str, object]]:
    """Search the GB/T 4754-2017 classification, best match first; without ``q``, the sections."""
    if not filters.q.strip():
        return [_out(node) for node in selectors.industry_sections()]
    return [_out(node) for node in selectors.industry_search(filters.q, limit=filters.limit)]


@router.get(
    "/{code}",
    response={200: IndustryDetailOut, **problems(404, 422)},
    auth=None,
    operation_id="industries_get",
)
def industry_get(request: HttpRequest, code: str) -> dict[str, object] | HttpResponse:
    """One node with the path to its section and its children.

    An unknown code answers 404 (``code`` industry_not_found) with the closest codes in
    ``detail`` and, as objects, in an extra ``suggestions`` field.
    """
    detail = selectors.industry_get(code)
    if detail is None:
        return _not_found(request, code)
    return {
        **_out(detail.node),
        "note": detail.node.note,
        "ancestors": [_out(a) for a in detail.ancestors],
        "children": [_out(c) for c in detail.children],
    }


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    suggestions = selectors.industry_closest(code)
    title = _("There is no industry with the code %(code)s.") % {"code": code[:20]}
    if suggestions:
        closest = _("Closest codes: %(codes)s.") % {
            "codes": "; ".join(f"{s.code} {s.name}" for s in suggestions)
        }
        detail = f"{title} {closest}"
    else:
        detail = title
    body = problem_body(request, status=404, code="industry_not_found", title=title, detail=detail)
    body["suggestions"] = [_out(s) for s in suggestions]
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=404, content_type=PROBLEM_CONTENT_TYPE
    )
