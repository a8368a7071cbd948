"""Enterprises API: the accounts the signed-in user belongs to.

An enterprise's record is visible to its members and to city administrators only.
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from onestop.core import permissions
from onestop.core.api_auth import signed_in_user
from onestop.core.schemas import problems
from onestop.enterprises import selectors
from onestop.enterprises.models import Enterprise, MembershipRole

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
