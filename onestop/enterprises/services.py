"""Writes for enterprise accounts and the SME register (record, yearly figures, size class)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onestop.core.audit import audit_record
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import User
from onestop.core.queueing import enqueue_with_commit
from onestop.enterprises import size
from onestop.enterprises.clean import CellError, RegisterCleaner
from onestop.enterprises.models import (
    Enterprise,
    EnterpriseYear,
    ImportRun,
    Membership,
    MembershipRole,
)
from onestop.enterprises.permissions import can_edit_register
from onestop.enterprises.tags import tags_to_db
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


# --- The SME register ----------------------------------------------------------------------

REGISTER_FIELDS = (
    "name_zh",
    "name_en",
    "registered_on",
    "district",
    "industry_code",
    "ownership",
    "registered_capital",
    "tags",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def size_fields(
    industry_code: str, latest: Mapping[str, Any] | EnterpriseYear | None
) -> dict[str, Any]:
    """size_class, size_year and size_basis for an industry and the latest year's figures."""

    def figure(name: str) -> Any:
        if latest is None:
            return None
        if type(latest) is dict or isinstance(latest, Mapping):
            return latest[name]
        return getattr(latest, name)

    if latest is None:
        group = size.industry_group(industry_code)
        rule = "no_industry" if not industry_code else "no_figures" if group else "not_covered"
        return {"size_class": "", "size_year": None, "size_basis": {"group": group, "rule": rule}}
    year = figure("year")
    size_class, basis = size.classify(
        industry_code,
        employees=figure("employees"),
        operating_revenue=figure("operating_revenue"),
        total_assets=figure("total_assets"),
        year=year,
    )
    return {"size_class": size_class, "size_year": year, "size_basis": basis}


def _latest_with_figures(enterprise: Enterprise) -> EnterpriseYear | None:
    return (
        EnterpriseYear.objects.filter(enterprise=enterprise)
        .filter(
            Q(employees__isnull=False)
            | Q(operating_revenue__isnull=False)
            | Q(total_assets__isnull=False)
        )
        .order_by("-year")
        .first()
    )


def enterprise_size_refresh(*, enterprise: Enterprise) -> Enterprise:
    """Recompute the stored size class from the industry and the latest year's figures.

    A derived value: called inside the services that change figures or the industry (and by
    tests after building figures with factories); no audit row of its own.
    """
    values = size_fields(enterprise.industry_code, _latest_with_figures(enterprise))
    changed = [name for name, value in values.items() if getattr(enterprise, name) != value]
    if changed:
        for name in changed:
            setattr(enterprise, name, values[name])
        enterprise.save(update_fields=[*changed, "updated_at"])
    return enterprise


def _require_register_editor(actor: User | None) -> None:
    from onestop.core.permissions import require, require_authenticated

    if actor is not None:
        require_authenticated(actor)
        require(can_edit_register(actor))


def register_values_clean(
    fields: Mapping[str, Any], cleaner: RegisterCleaner
) -> tuple[dict[str, Any], list[FieldError]]:
    """Clean the register fields given (names from REGISTER_FIELDS): (values, errors)."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, raw in fields.items():
        if name not in REGISTER_FIELDS:
            errors.append(
                FieldError(name, _("Not a field of the register: %(name)s.") % {"name": name})
            )
            continue
        try:
            if name == "industry_code":
                code, division, section = cleaner.clean_industry_code(raw)
                values.update(
                    industry_code=code, industry_division=division, industry_section=section
                )
            elif name == "registered_capital":
                values[name] = cleaner.clean_money(raw)
            elif name == "tags":
                values[name] = tags_to_db(cleaner.clean_tags(raw))
            else:
                values[name] = getattr(cleaner, f"clean_{name}")(raw)
        except CellError as exc:
            errors.append(FieldError(name, exc.message, exc.code))
    return values, errors


def enterprise_register_save(*, actor: User | None, credit_code: str, **fields: Any) -> Enterprise:
    """Create or update the register record of the enterprise with ``credit_code``.

    Only the fields given change. ``actor`` None is a system load (CLI, demo); otherwise a data
    steward or city administrator. Bad values raise ValidationFailed naming each field; nothing
    is written then. The size class is recomputed when the industry changes.
    """
    _require_register_editor(actor)
    cleaner = RegisterCleaner.load()
    errors: list[FieldError] = []
    try:
        code = cleaner.clean_credit_code(credit_code)
    except CellError as exc:
        errors.append(FieldError("credit_code", exc.message, exc.code))
        code = ""
    values, field_errors = register_values_clean(fields, cleaner)
    errors.extend(field_errors)
    existing = Enterprise.objects.filter(credit_code=code).first() if code else None
    if existing is None and code and "name_zh" not in values:
        errors.append(
            FieldError("name_zh", _("Enter the enterprise's registered Chinese name."), "required")
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if existing is None:
            enterprise = Enterprise.objects.create(credit_code=code, **values)
            changes: dict[str, Any] = {"created": True, **_jsonable(values)}
        else:
            enterprise = Enterprise.objects.select_for_update().get(pk=existing.pk)
            changed = {k: v for k, v in values.items() if getattr(enterprise, k) != v}
            if not changed:
                return enterprise  # nothing to write (a repeated load writes nothing)
            for name, value in changed.items():
                setattr(enterprise, name, value)
            enterprise.save(update_fields=[*changed, "updated_at"])
            changes = _jsonable(changed)
        if existing is None or "industry_code" in changes:
            enterprise_size_refresh(enterprise=enterprise)
        audit_record(
            actor=actor, action="enterprise.register_save", obj=enterprise, changes=changes
        )
    return enterprise


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal | dt.date) else v) for k, v in values.items()}


def enterprise_year_save(
    *,
    actor: User | None,
    enterprise: Enterprise,
    year: int,
    employees: Any,
    operating_revenue: Any,
    total_assets: Any,
) -> EnterpriseYear:
    """Record one year's figures (that year's row only; other years are untouched) and
    recompute the size class from the latest year."""
    _require_register_editor(actor)
    errors: list[FieldError] = []
    cleaned: dict[str, Any] = {}
    for name, raw, clean in (
        ("year", year, RegisterCleaner.clean_year),
        ("employees", employees, RegisterCleaner.clean_employees),
        ("operating_revenue", operating_revenue, RegisterCleaner.clean_money),
        ("total_assets", total_assets, RegisterCleaner.clean_money),
    ):
        try:
            cleaned[name] = clean(raw)
        except CellError as exc:
            errors.append(FieldError(name, exc.message, exc.code))
    if errors:
        raise ValidationFailed(errors)
    figures = {k: cleaned[k] for k in ("employees", "operating_revenue", "total_assets")}
    stored = EnterpriseYear.objects.filter(enterprise=enterprise, year=cleaned["year"]).first()
    if stored is not None and all(getattr(stored, k) == v for k, v in figures.items()):
        return stored  # the same figures again: nothing to write
    with transaction.atomic():
        row, created = EnterpriseYear.objects.update_or_create(
            enterprise=enterprise, year=cleaned["year"], defaults=figures
        )
        enterprise_size_refresh(enterprise=enterprise)
        audit_record(
            actor=actor,
            action="enterprise.year_save",
            obj=enterprise,
            changes={"created": created, **_jsonable(cleaned), "size_class": enterprise.size_class},
        )
    return row


# --- Imports started from the back office ---------------------------------------------------

IMPORT_SUFFIXES = (".csv", ".xlsx")
IMPORT_MAX_BYTES = 200 * 1024 * 1024


def register_import_start(
    *, actor: User, upload: UploadedFile, strict: bool, default_year: int | None
) -> ImportRun:
    """Keep the uploaded file and queue its import (the task runs it and records the audit
    row of the run). The file goes to the private files folder (never served)."""
    _require_register_editor(actor)
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    errors = []
    if suffix not in IMPORT_SUFFIXES:
        errors.append(
            FieldError("file", _("Choose a .csv or .xlsx file."), "unsupported_file_type")
        )
    if upload.size and upload.size > IMPORT_MAX_BYTES:
        errors.append(FieldError("file", _("The file is larger than 200 MB."), "too_large"))
    if default_year is not None:
        try:
            RegisterCleaner.clean_year(default_year)
        except CellError as exc:
            errors.append(FieldError("year", exc.message, exc.code))
    if errors:
        raise ValidationFailed(errors)
    folder = Path(settings.ONESTOP_PRIVATE_MEDIA_ROOT) / "register_imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}{suffix}"
    with stored.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    with transaction.atomic():
        run = ImportRun.objects.create(
            file_name=name[:255],
            stored_file=str(stored),
            started_by=actor,
            strict=strict,
            default_year=default_year,
        )
        _enqueue_import(run.pk)
    return run


def _enqueue_import(run_id: int) -> None:
    from onestop.enterprises.tasks import import_register

    enqueue_with_commit(import_register, run_id=run_id)
