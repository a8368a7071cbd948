"""Every write in the core domain. Keyword-only arguments, one transaction, one audit row each;
notifications are queued to go out after the commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core import notifications
from onestop.core.audit import audit_record, changed_fields, snapshot
from onestop.core.errors import DomainError, FieldError, ValidationFailed
from onestop.core.models import Agency, ApiToken, Notification, User
from onestop.core.notifications import get_kind, render
from onestop.core.queueing import enqueue_with_commit
from onestop.core.roles import (
    AGENCY_ROLES,
    SELF_REGISTRATION_ROLES,
    InvestorKind,
    OfficerLevel,
    Role,
)

LANGUAGE_CODES = ("zh-hans", "en")
_VERIFY_SALT = "onestop.core.verify-email"
TOKEN_PREFIX = "os_"


# ----- users -----------------------------------------------------------------------------


def _check_language(language: str, errors: list[FieldError]) -> None:
    if language not in LANGUAGE_CODES:
        errors.append(
            FieldError("language", _("Choose zh-hans or en."), "invalid_choice"),
        )


def user_register(
    *,
    email: str,
    password: str,
    display_name: str,
    role: str,
    language: str = "zh-hans",
    investor_kind: str = "",
    country: str = "",
    enterprise_name_zh: str = "",
    enterprise_name_en: str = "",
    credit_code: str = "",
    ip_address: str | None = None,
) -> User:
    """Create an enterprise user (with a new enterprise account they own) or an investor.

    The account cannot sign in until the email address is verified.
    """
    from onestop.enterprises.services import enterprise_account_check, enterprise_account_create

    email = (email or "").strip().lower()
    display_name = (display_name or "").strip()
    errors: list[FieldError] = []
    try:
        validate_email(email)
    except ValidationError:
        errors.append(FieldError("email", _("Enter a valid email address."), "invalid_email"))
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors.append(
                FieldError("email", _("An account with this email already exists."), "email_taken")
            )
    if not display_name:
        errors.append(FieldError("display_name", _("Enter your name."), "required"))
    if role not in SELF_REGISTRATION_ROLES:
        errors.append(
            FieldError("role", _("Register as an enterprise or as an investor."), "invalid_choice")
        )
    _check_language(language, errors)
    if role == Role.INVESTOR and investor_kind not in InvestorKind.values:
        errors.append(
            FieldError(
                "investor_kind",
                _("Say whether you invest as an individual or as a company."),
                "invalid_choice",
            )
        )
    if role == Role.ENTERPRISE:
        errors.extend(
            enterprise_account_check(
                credit_code=credit_code, name_zh=enterprise_name_zh, name_en=enterprise_name_en
            )
        )
    candidate = User(email=email, display_name=display_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors.extend(FieldError("password", str(m), "weak_password") for m in exc.messages)
    if errors:
        raise ValidationFailed(errors)

    with transaction.atomic():
        try:
            user = User.objects.create_user(
                email,
                password,
                display_name=display_name,
                role=role,
                language=language,
                investor_kind=investor_kind if role == Role.INVESTOR else "",
                country=country.strip(),
            )
        except IntegrityError:
            # Two registrations with one address at once: the other one won.
            raise ValidationFailed(
                [
                    FieldError(
                        "email", _("An account with this email already exists."), "email_taken"
                    )
                ]
            ) from None
        audit_record(
            actor=user,
            action="user.register",
            obj=user,
            changes={"email": email, "role": role},
            ip_address=ip_address,
        )
        if role == Role.ENTERPRISE:
            enterprise_account_create(
                owner=user,
                credit_code=credit_code,
                name_zh=enterprise_name_zh,
                name_en=enterprise_name_en,
            )
        _queue_verification_email(user)
    return user


def _queue_verification_email(user: User) -> None:
    from onestop.core.tasks import send_verification_email

    enqueue_with_commit(send_verification_email, user_id=user.pk)


def email_verification_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=_VERIFY_SALT)


def user_verify_email(*, token: str) -> User:
    """Mark the address in ``token`` verified. Verifying twice is harmless."""
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            "verification_expired",
            _("This verification link has expired. Ask for a new one below."),
        ) from None
    except signing.BadSignature:
        raise DomainError(
            "verification_invalid", _("This verification link is not valid.")
        ) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("user")).first()
        if user is None or user.email != data.get("email"):
            raise DomainError("verification_invalid", _("This verification link is not valid."))
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(actor=user, action="user.verify_email", obj=user, changes={})
            notifications.notify(
                recipient_ids=[user.pk],
                kind=notifications.WELCOME,
                params={"name": user.display_name},
                link="/",
            )
    return user


def user_request_verification(*, email: str) -> None:
    """Send a fresh verification link if an unverified account has this address.

    Says nothing about whether the address exists, so it cannot be used to probe accounts.
    """
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is not None and user.email_verified_at is None:
        from onestop.core.tasks import send_verification_email

        send_verification_email.enqueue(user_id=user.pk)


def user_set_language(*, user: User, language: str) -> User:
    errors: list[FieldError] = []
    _check_language(language, errors)
    if errors:
        raise ValidationFailed(errors)
    if user.language == language:
        return user
    with transaction.atomic():
        before = snapshot(user, ["language"])
        user.language = language
        user.save(update_fields=["language"])
        audit_record(
            actor=user,
            action="user.set_language",
            obj=user,
            changes=changed_fields(before, snapshot(user, ["language"])),
        )
    return user


def user_assign_role(
    *,
    actor: User,
    user: User,
    role: str,
    agency: Agency | None = None,
    officer_level: str = "",
) -> User:
    """A city administrator gives ``user`` a role (and, for agency roles, an agency)."""
    from onestop.core.permissions import is_city_admin, require

    require(is_city_admin(actor))
    errors: list[FieldError] = []
    if role not in Role.values:
        errors.append(FieldError("role", _("Unknown role."), "invalid_choice"))
    if role in AGENCY_ROLES and agency is None:
        errors.append(FieldError("agency", _("Agency staff need an agency."), "required"))
    if role == Role.OFFICER and officer_level not in OfficerLevel.values:
        errors.append(
            FieldError("officer_level", _("Choose clerk, reviewer or head."), "invalid_choice")
        )
    if errors:
        raise ValidationFailed(errors)
    fields = ["role", "agency", "officer_level"]
    with transaction.atomic():
        before = snapshot(user, fields)
        user.role = role
        user.agency = agency if role in AGENCY_ROLES else None
        user.officer_level = officer_level if role == Role.OFFICER else ""
        user.save(update_fields=["role", "agency", "officer_level"])
        audit_record(
            actor=actor,
            action="user.assign_role",
            obj=user,
            changes=changed_fields(before, snapshot(user, fields)),
        )
        notifications.notify(
            recipient_ids=[user.pk],
            kind=notifications.ROLE_CHANGED,
            params={"role": {"zh": _role_label(role, "zh-hans"), "en": _role_label(role, "en")}},
        )
    return user


# Account fields a city administrator may change besides the role (e.g. in the admin).
ACCOUNT_FIELDS = ("display_name", "investor_kind", "country", "is_active", "is_staff")


def user_update_account(*, actor: User, user: User, **fields: Any) -> User:
    """A city administrator changes ``user``'s account fields (name, status, staff access)."""
    from onestop.core.permissions import is_city_admin, require

    require(is_city_admin(actor))
    unknown = set(fields) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"unknown account fields: {sorted(unknown)}")
    names = sorted(fields)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(user, names)
        for name, value in fields.items():
            setattr(user, name, value)
        changes = changed_fields(before, snapshot(user, names))
        if changes:
            user.save(update_fields=list(changes))
            audit_record(actor=actor, action="user.admin_update", obj=user, changes=changes)
    return user


def _role_label(role: str, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(Role(role).label)


# ----- agencies --------------------------------------------------------------------------

AGENCY_FIELDS = ("code", "name_zh", "name_en", "parent", "level", "district")


def _clean_agency(agency: Agency) -> None:
    try:
        agency.full_clean()
    except ValidationError as exc:
        from onestop.core.errors import field_errors_from_django

        raise ValidationFailed(field_errors_from_django(exc)) from None


def agency_create(*, actor: User | None, **fields: Any) -> Agency:
    """Create an agency. ``actor`` None means a system load (demo data, migrations)."""
    from onestop.core.permissions import is_city_admin, require

    if actor is not None:
        require(is_city_admin(actor))
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    agency = Agency(**fields)
    _clean_agency(agency)
    with transaction.atomic():
        agency.save()
        audit_record(
            actor=actor, action="agency.create", obj=agency, changes=snapshot(agency, AGENCY_FIELDS)
        )
    return agency


def agency_update(*, actor: User | None, agency: Agency, **fields: Any) -> Agency:
    from onestop.core.permissions import can_manage_agency, require

    if actor is not None:
        require(can_manage_agency(actor, agency))
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = snapshot(agency, AGENCY_FIELDS)
        for name, value in fields.items():
            setattr(agency, name, value)
        _clean_agency(agency)
        changes = changed_fields(before, snapshot(agency, AGENCY_FIELDS))
        if changes:
            agency.save()
            audit_record(actor=actor, action="agency.update", obj=agency, changes=changes)
    return agency


# ----- notifications ---------------------------------------------------------------------


def notification_deliver(
    *, user_id: int, kind: str, params: dict[str, Any], link: str = ""
) -> Notification | None:
    """Write the inbox message in both languages and email it in the user's language."""
    from django.core.mail import send_mail

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    notification_kind = get_kind(kind)
    title_zh, body_zh = render(notification_kind, params, "zh-hans")
    title_en, body_en = render(notification_kind, params, "en")
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=user,
            kind=kind,
            title_zh=title_zh,
            title_en=title_en,
            body_zh=body_zh,
            body_en=body_en,
            link=link,
        )
        audit_record(
            actor=None,
            action="notification.deliver",
            obj=notification,
            changes={"recipient": user.pk, "kind": kind},
        )
    title, body = (title_en, body_en) if user.language == "en" else (title_zh, body_zh)
    url = f"{settings.SITE_URL}{link}" if link.startswith("/") else link
    send_mail(
        subject=title,
        message=f"{body}\n\n{url}".strip(),
        from_email=None,
        recipient_list=[user.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return notification


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, recipient=user)
            .first()
        )
        if notification is None:
            from django.http import Http404

            raise Http404
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            audit_record(actor=user, action="notification.read", obj=notification, changes={})
    return notification


# ----- API tokens ------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; the plain text is returned once and never stored."""
    name = (name or "").strip()
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    errors: list[FieldError] = []
    if not name or len(name) > 100:
        errors.append(
            FieldError("name", _("Give the token a name of 1 to 100 characters."), "invalid")
        )
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors.append(
            FieldError(
                "days",
                _("A token can last from 1 to %(max)s days.")
                % {"max": settings.API_TOKEN_MAX_DAYS},
                "out_of_range",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    plain = f"{TOKEN_PREFIX}{prefix}_{secret}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            digest=_digest(plain),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(
            actor=user,
            action="api_token.create",
            obj=token,
            changes={"name": name, "expires_at": token.expires_at},
        )
        notifications.notify(
            recipient_ids=[user.pk],
            kind=notifications.API_TOKEN_CREATED,
            params={"name": name, "expires": token.expires_at.date().isoformat()},
            link="/accounts/tokens/",
        )
    return token, plain


def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    from django.http import Http404

    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
        if token is None:
            raise Http404
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="api_token.revoke", obj=token, changes={"revoked": True}
            )
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user behind a presented token, or None. Constant-time digest comparison."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, _secret = raw[len(TOKEN_PREFIX) :].partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not secrets.compare_digest(token.digest, _digest(raw)):
        return None
    now = timezone.now()
    if not token.is_usable(now) or not token.user.is_active:
        return None
    # Usage time is bookkeeping, not a change of state: no audit row, at most once a minute.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
