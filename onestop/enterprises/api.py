"""Enterprises API: the accounts the signed-in user belongs to, and the SME register.

An enterprise's account is visible to its members and to city administrators. Register records
(figures, size class): members see their own; officers, data stewards and city administrators
see all; data stewards and city administrators change them (onestop/enterprises/permissions.py).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from onestop.core import permissions
from onestop.core.api import paginated
from onestop.core.api_auth import signed_in_user
from onestop.core.schemas import InputSchema, problems
from onestop.enterprises import permissions as register_permissions
from onestop.enterprises import selectors
from onestop.enterprises.districts import district_name
from onestop.enterprises.models import Enterprise, MembershipRole, Ownership
from onestop.enterprises.services import enterprise_register_save, enterprise_year_save
from onestop.enterprises.size import basis_text, size_label

router = Router(tags=["enterprises"])


class EnterpriseOut(Schema):
    id: int
    credit_code: str = Field(..., description="Unified social credit code (18 characters).")
    name: str = Field(..., description="In the language of the response.")
    name_zh: str
    name_en: str
    created_at: dt.datetime
    my_role: MembershipRole | None = Field(
        None, description="The signed-in user's role in the enterprise, if a member."
    )


@router.get(
    "/mine",
    response={200: list[EnterpriseOut], **problems(401)},
    operation_id="enterprises_mine",
)
def mine(request: HttpRequest) -> QuerySet[Enterprise]:
    """The enterprises the signed-in user is a member of."""
    return selectors.enterprises_of(signed_in_user(request))


# ----- the SME register --------------------------------------------------------------------


class SizeOut(Schema):
    size_class: str = Field(..., description='"large", "medium", "small", "micro" or "" (open).')
    label: str = Field(..., description="The class in the language of the response.")
    year: int | None = Field(None, description="Year of the figures that decided it.")
    reason: str = Field(..., description="The rule that decided, in the response's language.")
    basis: dict[str, Any] = Field(
        ...,
        description="The rule as data: group (industry group of the 2011 standard), rule "
        "(all_at_least / any_below / missing / not_covered / no_industry / no_figures), checks "
        "([indicator, op, threshold, value]), not_higher (the bounds of the tier above missed).",
    )


class YearOut(Schema):
    year: int
    employees: int | None
    operating_revenue: Decimal | None = Field(None, description="10,000 CNY (万元).")
    total_assets: Decimal | None = Field(None, description="10,000 CNY (万元).")


class RegisterSummaryOut(Schema):
    id: int
    credit_code: str
    name: str = Field(..., description="In the language of the response.")
    district: str = Field(..., description="GB/T 2260 code.")
    industry_code: str = Field(..., description="GB/T 4754-2017 class.")
    size_class: str


class RegisterOut(RegisterSummaryOut):
    name_zh: str
    name_en: str
    registered_on: dt.date | None
    district_name: str
    industry_division: str
    industry_section: str
    ownership: str = Field(..., description='"domestic", "foreign" or "hmt".')
    registered_capital: Decimal | None = Field(None, description="10,000 CNY (万元).")
    tags: list[str] = Field(..., description="Tag codes, e.g. high_tech.")
    contact_name: str
    contact_phone: str
    contact_email: str
    size: SizeOut
    years: list[YearOut] = Field(..., description="Newest first; one entry per year.")


class RegisterIn(InputSchema):
    """Fields of a register record; on an existing record only the fields given change."""

    credit_code: str = Field(..., description="18 characters, checked.")
    name_zh: str | None = None
    name_en: str | None = None
    registered_on: dt.date | None = None
    district: str | None = Field(None, description="GB/T 2260 code or district name.")
    industry_code: str | None = Field(None, description="GB/T 4754-2017 class (4 digits).")
    ownership: Ownership | None = None
    registered_capital: Decimal | None = Field(None, description="10,000 CNY (万元).")
    tags: list[str] | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


class YearIn(InputSchema):
    employees: int | None = None
    operating_revenue: Decimal | None = Field(None, description="10,000 CNY (万元).")
    total_assets: Decimal | None = Field(None, description="10,000 CNY (万元).")


def _register_out(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "id": enterprise.pk,
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "registered_on": enterprise.registered_on,
        "district": enterprise.district,
        "district_name": district_name(enterprise.district) if enterprise.district else "",
        "industry_code": enterprise.industry_code,
        "industry_division": enterprise.industry_division,
        "industry_section": enterprise.industry_section,
        "ownership": enterprise.ownership,
        "registered_capital": enterprise.registered_capital,
        "tags": enterprise.tag_list,
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "contact_email": enterprise.contact_email,
        "size_class": enterprise.size_class,
        "size": {
            "size_class": enterprise.size_class,
            "label": size_label(enterprise.size_class),
            "year": enterprise.size_year,
            "reason": basis_text(enterprise.size_basis),
            "basis": enterprise.size_basis or {},
        },
        "years": [
            {
                "year": y.year,
                "employees": y.employees,
                "operating_revenue": y.operating_revenue,
                "total_assets": y.total_assets,
            }
            for y in selectors.enterprise_years(enterprise)
        ],
    }


@router.get(
    "/register",
    response={200: list[RegisterSummaryOut], **problems(401, 422)},
    operation_id="enterprises_register_list",
)
@paginate(PageNumberPagination, **paginated())
def register_list(
    request: HttpRequest, q: str = "", district: str = "", size: str = ""
) -> QuerySet[Enterprise]:
    """Register records: all of them (searchable) for officers, data stewards and city
    administrators; an enterprise user gets their own enterprises' records."""
    user = signed_in_user(request)
    if not register_permissions.can_read_register(user):
        return selectors.enterprises_of(user)
    return selectors.register_search(query=q[:200], district=district, size_class=size)


@router.post(
    "/register",
    response={200: RegisterOut, **problems(400, 401, 403, 422)},
    operation_id="enterprises_register_save",
)
def register_save(request: HttpRequest, payload: RegisterIn) -> dict[str, Any]:
    """Create or update a register record by credit code (data stewards, city admins)."""
    user = signed_in_user(request)
    permissions.require(register_permissions.can_edit_register(user))
    fields = payload.model_dump(exclude_unset=True)
    credit_code = fields.pop("credit_code")
    enterprise = enterprise_register_save(actor=user, credit_code=credit_code, **fields)
    return _register_out(enterprise)


@router.get(
    "/{enterprise_id}/register",
    response={200: RegisterOut, **problems(401, 403, 404, 422)},
    operation_id="enterprises_register_get",
)
def register_get(request: HttpRequest, enterprise_id: int) -> dict[str, Any]:
    """One register record with its yearly figures and the size class with its reason."""
    user = signed_in_user(request)
    found = selectors.register_record(enterprise_id)
    if found is None:
        raise Http404
    permissions.require(register_permissions.can_view_register_record(user, found.pk))
    return _register_out(found)


@router.put(
    "/{enterprise_id}/register/years/{year}",
    response={200: YearOut, **problems(400, 401, 403, 404, 422)},
    operation_id="enterprises_register_year_save",
)
def register_year_save(
    request: HttpRequest, enterprise_id: int, year: int, payload: YearIn
) -> dict[str, Any]:
    """Record one year's figures (other years are untouched); the size class is recomputed."""
    user = signed_in_user(request)
    permissions.require(register_permissions.can_edit_register(user))
    found = selectors.register_record(enterprise_id)
    if found is None:
        raise Http404
    row = enterprise_year_save(
        actor=user,
        enterprise=found,
        year=year,
        employees=payload.employees,
        operating_revenue=payload.operating_revenue,
        total_assets=payload.total_assets,
    )
    return {
        "year": row.year,
        "employees": row.employees,
        "operating_revenue": row.operating_revenue,
        "total_assets": row.total_assets,
    }


# Declared last: its path would otherwise shadow /register.
@router.get(
    "/{enterprise_id}",
    response={200: EnterpriseOut, **problems(401, 403, 404, 422)},
    operation_id="enterprises_get",
)
def enterprise(request: HttpRequest, enterprise_id: int) -> Enterprise:
    """One enterprise: for its members and city administrators."""
    user = signed_in_user(request)
    found = selectors.enterprise_by_id(enterprise_id=enterprise_id, user=user)
    if found is None:
        raise Http404
    permissions.require(permissions.can_view_enterprise(user, found.pk))
    return found
