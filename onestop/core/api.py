"""Core API: the signed-in user, agencies, the inbox, personal API tokens, the audit log.

Every handler is thin: who is asking and may they (permission check), then one selector or
service. Errors are raised, never returned: the handlers in api_errors turn them into problems.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from onestop.core import permissions, selectors, services
from onestop.core.api_auth import signed_in_user
from onestop.core.models import Agency, ApiToken, AuditEntry, Notification, User
from onestop.core.schemas import (
    AgencyOut,
    AgencyUpdateIn,
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    AuditEntryOut,
    AuditFilterIn,
    MeOut,
    MeUpdateIn,
    NotificationOut,
    problems,
)

router = Router(tags=["core"])


def paginated() -> dict[str, object]:
    """Keyword arguments for ``@paginate``: page numbers, page sizes from the settings."""
    return {
        "page_size": settings.NINJA_PAGINATION_PER_PAGE,
        "max_page_size": settings.NINJA_MAX_PER_PAGE_SIZE,
    }


# ----- the signed-in user ------------------------------------------------------------------


@router.get("/me", response={200: MeOut, **problems(401)}, operation_id="core_me_get")
def me(request: HttpRequest) -> User:
    """The signed-in user."""
    return signed_in_user(request)


@router.patch(
    "/me", response={200: MeOut, **problems(400, 401, 403, 422)}, operation_id="core_me_update"
)
def me_update(request: HttpRequest, payload: MeUpdateIn) -> User:
    """Change the signed-in user's preferred language."""
    user = signed_in_user(request)
    if payload.language is not None:
        user = services.user_set_language(user=user, language=payload.language)
    return user


# ----- agencies ----------------------------------------------------------------------------


@router.get("/agencies", response=list[AgencyOut], auth=None, operation_id="core_agencies_list")
def agencies(request: HttpRequest) -> QuerySet[Agency]:
    """Every agency on the platform. Public."""
    return selectors.agencies()


def _agency(code: str) -> Agency:
    agency = selectors.agencies().filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


@router.get(
    "/agencies/{code}",
    response={200: AgencyOut, **problems(404, 422)},
    auth=None,
    operation_id="core_agencies_get",
)
def agency(request: HttpRequest, code: str) -> Agency:
    """One agency, by its code. Public."""
    return _agency(code)


@router.patch(
    "/agencies/{code}",
    response={200: AgencyOut, **problems(400, 401, 403, 404, 422)},
    operation_id="core_agencies_update",
)
def agency_update(request: HttpRequest, code: str, payload: AgencyUpdateIn) -> Agency:
    """Change an agency's names, level or district: city administrators, or the agency's head."""
    user = signed_in_user(request)
    target = _agency(code)
    permissions.require(permissions.can_manage_agency(user, target))
    return services.agency_update(
        actor=user, agency=target, **payload.model_dump(exclude_unset=True, exclude_none=True)
    )


# ----- the inbox ---------------------------------------------------------------------------


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **problems(401, 422)},
    operation_id="core_notifications_list",
)
@paginate(PageNumberPagination, **paginated())
def notifications(request: HttpRequest, unread: bool = False) -> QuerySet[Notification]:
    """The signed-in user's inbox, newest first; ``unread=true`` for the unread ones only."""
    user = signed_in_user(request)
    inbox = selectors.notifications_for(user)
    return inbox.filter(read_at__isnull=True) if unread else inbox


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **problems(401, 403, 404, 422)},
    operation_id="core_notifications_read",
)
def notification_read(request: HttpRequest, notification_id: int) -> Notification:
    """Mark one of the signed-in user's notifications read (again is harmless)."""
    user = signed_in_user(request)
    return services.notification_mark_read(user=user, notification_id=notification_id)


# ----- personal API tokens -----------------------------------------------------------------


@router.get(
    "/tokens", response={200: list[ApiTokenOut], **problems(401)}, operation_id="core_tokens_list"
)
def tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """The signed-in user's API tokens (never the secrets)."""
    return selectors.api_tokens_of(signed_in_user(request))


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut, **problems(400, 401, 403, 422)},
    operation_id="core_tokens_create",
)
def token_create(request: HttpRequest, payload: ApiTokenIn) -> Status[ApiTokenCreatedOut]:
    """Create an API token. The answer holds the token itself: the only time it is shown."""
    user = signed_in_user(request)
    token, plain = services.api_token_create(user=user, name=payload.name, days=payload.days)
    out = ApiTokenOut.model_validate(token).model_dump()
    return Status(201, ApiTokenCreatedOut(**out, token=plain))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **problems(401, 403, 404, 422)},
    operation_id="core_tokens_revoke",
)
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of the signed-in user's tokens. It stops working at once."""
    services.api_token_revoke(actor=signed_in_user(request), token_id=token_id)
    return Status(204, None)


# ----- the audit log -----------------------------------------------------------------------


@router.get(
    "/audit",
    response={200: list[AuditEntryOut], **problems(401, 403, 422)},
    operation_id="core_audit_list",
)
@paginate(PageNumberPagination, **paginated())
def audit(request: HttpRequest, filters: Query[AuditFilterIn]) -> QuerySet[AuditEntry]:
    """Audit entries, newest first. City administrators only."""
    permissions.require(permissions.can_view_audit_log(signed_in_user(request)))
    return selectors.audit_entries(
        actor_email=filters.actor,
        action=filters.action,
        object_type=filters.object_type,
        object_id=filters.object_id,
        since=filters.since,
        until=filters.until,
    )
