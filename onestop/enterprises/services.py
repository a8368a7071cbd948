"""Writes for enterprise accounts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.core.audit import audit_record
from onestop.core.errors import FieldError
from onestop.core.models import User
from onestop.enterprises.models import Enterprise, Membership, MembershipRole
from onestop.enterprises.validators import credit_code_problem


def normalise_credit_code(code: str) -> str:
    return (code or "").strip().upper()


def enterprise_account_check(*, credit_code: str, name_zh: str, name_en: str) -> list[FieldError]:
    """What is wrong with the data for a new enterprise account (empty list when fine)."""
    errors: list[FieldError] = []
    code = normalise_credit_code(credit_code)
    problem = credit_code_problem(code)
    if problem:
        errors.append(FieldError("credit_code", problem, "invalid_credit_code"))
    elif Enterprise.objects.filter(credit_code=code).exists():
        errors.append(
            FieldError(
                "credit_code",
                _("This enterprise already has an account. Ask its owner to add you as a member."),
                "enterprise_exists",
            )
        )
    if not (name_zh or "").strip():
        errors.append(
            FieldError(
                "enterprise_name_zh",
                _("Enter the enterprise's registered Chinese name."),
                "required",
            )
        )
    return errors


def enterprise_account_create(
    *, owner: User, credit_code: str, name_zh: str, name_en: str = ""
) -> Enterprise:
    """Create an enterprise account owned by ``owner``. Callers validate first."""
    with transaction.atomic():
        enterprise = Enterprise.objects.create(
            credit_code=normalise_credit_code(credit_code),
            name_zh=name_zh.strip(),
            name_en=(name_en or "").strip(),
        )
        Membership.objects.create(user=owner, enterprise=enterprise, role=MembershipRole.OWNER)
        audit_record(
            actor=owner,
            action="enterprise.create",
            obj=enterprise,
            changes={"credit_code": enterprise.credit_code, "owner": owner.pk},
        )
    return enterprise


def enterprise_member_add(
    *, actor: User | None, enterprise: Enterprise, user: User, role: str = MembershipRole.MEMBER
) -> Membership:
    """Add ``user`` to ``enterprise``. Only the owner (or a system load) may do this."""
    from onestop.core.permissions import require

    if actor is not None:
        require(
            Membership.objects.filter(
                enterprise=enterprise, user=actor, role=MembershipRole.OWNER
            ).exists()
        )
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, enterprise=enterprise, defaults={"role": role}
        )
        audit_record(
            actor=actor,
            action="enterprise.member_add",
            obj=enterprise,
            changes={"user": user.pk, "role": membership.role},
        )
    return membership
