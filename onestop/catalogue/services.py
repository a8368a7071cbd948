"""Writes of the catalogue: save a service (a new dated version), save a journey.

Each call is one transaction with one audit row. Checks run before anything is written: a
service's rule must parse against the business profile, its prerequisites must exist, and
the prerequisites may not form a cycle. Errors carry the field and, for rules, the
line:column of the problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Field, Max
from django.utils.translation import gettext as _

from onestop.catalogue.content import VERSION_FIELDS, search_text
from onestop.catalogue.models import (
    Journey,
    JourneyService,
    Online,
    PublicService,
    Requirement,
    ServiceVersion,
    TimeUnit,
)
from onestop.catalogue.permissions import can_edit_service
from onestop.catalogue.profile import PROFILE_SCHEMA
from onestop.core.audit import audit_record
from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import Agency, User
from onestop.core.permissions import is_city_admin, require
from onestop.rules import RuleError, parse_rule


def rule_problem(field: str, source: str) -> FieldError | None:
    """None if ``source`` is a valid profile rule (or empty), else the error with its position."""
    if not source.strip():
        return None
    try:
        parse_rule(source, PROFILE_SCHEMA)
    except RuleError as exc:
        return FieldError(
            field,
            _("Line %(line)s, column %(column)s: %(message)s")
            % {"line": exc.line, "column": exc.column, "message": exc.message},
            f"rule_{exc.code}",
        )
    return None


def _prerequisite_graph() -> dict[str, list[str]]:
    rows = PublicService.objects.filter(current__isnull=False).values_list(
        "identifier", "current__prerequisites"
    )
    return {identifier: list(prereqs or []) for identifier, prereqs in rows}


def find_cycle(graph: Mapping[str, Iterable[str]], start: str) -> list[str] | None:
    """A path start -> ... -> start through ``graph`` if there is one."""
    path: list[str] = []
    on_path: set[str] = set()
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        on_path.add(node)
        path.append(node)
        for nxt in graph.get(node, ()):
            found = visit(nxt)
            if found:
                return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    return visit(start)


def _limit_problems(name: str, limit: Mapping[str, Any]) -> list[FieldError]:
    if not limit:
        return []
    errors = []
    if limit.get("unit") not in TimeUnit.values:
        errors.append(FieldError(f"{name}.unit", _("Choose working days, days or on the spot.")))
    value = limit.get("value")
    if value is not None and (not isinstance(value, int | float) or value < 0):
        errors.append(FieldError(f"{name}.value", _("Enter a number of days, 0 or more.")))
    return errors


def _check(identifier: str, content: Mapping[str, Any]) -> None:
    errors: list[FieldError] = []
    for name in ("title_zh", "title_en"):
        if not str(content.get(name, "")).strip():
            errors.append(FieldError(name, _("Enter a title."), "required"))
    if content.get("online") and content["online"] not in Online.values:
        errors.append(FieldError("online", _("Choose fully online, partly online or not online.")))
    for name in ("statutory_limit", "committed_limit", "waiting_period"):
        errors += _limit_problems(name, content.get(name) or {})
    problem = rule_problem("rule", str(content.get("rule", "")))
    if problem:
        errors.append(problem)
    graph = _prerequisite_graph()
    for name in ("prerequisites", "satisfies"):
        for position, other in enumerate(content.get(name) or []):
            if other not in graph and other != identifier:
                errors.append(
                    FieldError(
                        f"{name}[{position}]",
                        _("There is no service '%(identifier)s'.") % {"identifier": other},
                        "unknown_service",
                    )
                )
    graph[identifier] = list(content.get("prerequisites") or [])
    cycle = find_cycle(graph, identifier)
    if cycle:
        errors.append(
            FieldError(
                "prerequisites",
                _("The prerequisites go round in a circle: %(cycle)s.")
                % {"cycle": " → ".join(cycle)},
                "dependency_cycle",
            )
        )
    if errors:
        raise ValidationFailed(errors)


def _default(name: str) -> Any:
    model_field = ServiceVersion._meta.get_field(name)
    assert isinstance(model_field, Field)
    return model_field.get_default()


def _same(version: ServiceVersion | None, content: Mapping[str, Any]) -> bool:
    if version is None:
        return False
    return all(getattr(version, name) == content.get(name) for name in VERSION_FIELDS)


def service_save(
    *,
    actor: User | None,
    identifier: str,
    agency: Agency,
    content: Mapping[str, Any],
    valid_from: dt.date,
    change_note: str = "",
) -> tuple[PublicService, bool]:
    """Record ``content`` as the service's version in force from ``valid_from``.

    Creates the service if it is new. Nothing is written (and ``False`` returned) when the
    content and agency equal the current version's. Older versions are kept.
    """
    unknown = set(content) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown service fields: {sorted(unknown)}")
    if actor is not None:
        existing = PublicService.objects.filter(identifier=identifier).first()
        require(
            can_edit_service(actor, existing or PublicService(identifier=identifier, agency=agency))
            and (existing is None or existing.agency_id == agency.pk or is_city_admin(actor))
        )
    full = {name: content.get(name, _default(name)) for name in VERSION_FIELDS}
    _check(identifier, full)
    with transaction.atomic():
        service = PublicService.objects.select_for_update().filter(identifier=identifier).first()
        current = service.current if service else None
        if service is not None and service.agency_id == agency.pk and _same(current, full):
            return service, False
        created = service is None
        if service is None:
            service = PublicService.objects.create(identifier=identifier, agency=agency)
        number = (service.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ServiceVersion.objects.create(
            service=service,
            number=number,
            valid_from=valid_from,
            recorded_by=actor,
            change_note=change_note[:300],
            **full,
        )
        changes = {
            name: [getattr(current, name) if current else None, full[name]]
            for name in VERSION_FIELDS
            if current is None or getattr(current, name) != full[name]
        }
        if service.agency_id != agency.pk:
            changes["agency"] = [service.agency.code, agency.code]
        service.agency = agency
        service.current = version
        service.search_text = search_text(
            identifier, full["title_zh"], full["title_en"], agency.name_zh, agency.name_en
        )
        service.save()
        audit_record(
            actor=actor,
            action="catalogue.service_create" if created else "catalogue.service_change",
            obj=service,
            changes={"version": number, "valid_from": valid_from, **changes},
        )
    return service, True


JOURNEY_FIELDS = ("name_zh", "name_en", "notes_en", "notes_zh", "questions", "fixed",
                  "includes", "checks", "position")  # fmt: skip


def _check_journey(fields: Mapping[str, Any], candidates: list[dict[str, Any]]) -> None:
    errors: list[FieldError] = []
    for position, include in enumerate(fields.get("includes") or []):
        problem = rule_problem(f"includes[{position}].rule", include.get("rule", ""))
        if problem:
            errors.append(problem)
    for position, check in enumerate(fields.get("checks") or []):
        problem = rule_problem(f"checks[{position}].rule", check.get("rule", ""))
        if problem:
            errors.append(problem)
    for position, candidate in enumerate(candidates):
        if candidate["requirement"] not in Requirement.values:
            errors.append(
                FieldError(f"candidates[{position}].requirement", _("Unknown requirement."))
            )
    if errors:
        raise ValidationFailed(errors)


def journey_save(
    *, actor: User | None, code: str, candidates: list[dict[str, Any]], **fields: Any
) -> tuple[Journey, bool]:
    """Create or update a journey and its candidate services. ``candidates``: dicts with
    ``service`` (PublicService), ``requirement``, ``condition_en``/``condition_zh``."""
    unknown = set(fields) - set(JOURNEY_FIELDS)
    if unknown:
        raise TypeError(f"unknown journey fields: {sorted(unknown)}")
    _check_journey(fields, candidates)
    wanted = [
        (c["service"].pk, c["requirement"], c.get("condition_en", ""), c.get("condition_zh", ""))
        for c in candidates
    ]
    with transaction.atomic():
        journey = Journey.objects.select_for_update().filter(code=code).first()
        created = journey is None
        before: dict[str, Any] = {}
        if journey is None:
            journey = Journey(code=code)
        else:
            before = {name: getattr(journey, name) for name in JOURNEY_FIELDS}
            before["candidates"] = [
                [c.service_id, c.requirement, c.condition_en, c.condition_zh]
                for c in journey.candidates.order_by("position")
            ]
        after = {**{name: fields.get(name, getattr(journey, name)) for name in JOURNEY_FIELDS},
                 "candidates": [list(w) for w in wanted]}  # fmt: skip
        if not created and before == after:
            return journey, False
        for name in JOURNEY_FIELDS:
            setattr(journey, name, after[name])
        journey.save()
        journey.candidates.all().delete()
        JourneyService.objects.bulk_create(
            JourneyService(journey=journey, service_id=pk, requirement=req,
                           condition_en=cond_en, condition_zh=cond_zh, position=i)
            for i, (pk, req, cond_en, cond_zh) in enumerate(wanted)
        )  # fmt: skip
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        audit_record(
            actor=actor,
            action="catalogue.journey_create" if created else "catalogue.journey_change",
            obj=journey,
            changes=changes,
        )
    return journey, True
