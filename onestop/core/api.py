"""Core API: the signed-in user, agencies, the inbox, personal API tokens, the audit log."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

router = Router(tags=["core"])


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    role: str
    agency_code: str | None
    language: str


@router.get("/me", response=MeOut, operation_id="core_me")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        email=user.email,  # type: ignore[union-attr]
        display_name=user.display_name,  # type: ignore[union-attr]
        role=user.role,  # type: ignore[union-attr]
        agency_code=user.agency.code if user.agency_id else None,  # type: ignore[union-attr]
        language=user.language,  # type: ignore[union-attr]
    )
