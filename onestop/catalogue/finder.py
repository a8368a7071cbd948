"""The licence finder: from a journey and the answers to its questions, the plan.

``journey_plan(journey=..., answers=...)`` answers which services apply and why (from each
service's rule, explained clause by clause), in what order (levels of the dependency graph:
the services of one level can run in parallel), the documents (each asked for once), the
total fees and the expected working days on the critical path.

Time limits: the committed limit is used when there is one, else the statutory one.
Calendar days are converted to working days (x 5/7, rounded up) and flagged; a missing
limit counts as 0 and is flagged "not confirmed", so the total is then a lower bound.
Reads only; nothing is written.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from onestop.catalogue.finder_answers import profile_from_answers
from onestop.catalogue.models import Journey, JourneyService, PublicService, Requirement
from onestop.catalogue.profile import profile_rule
from onestop.rules import Explanation, explain


@dataclass
class Duration:
    working_days: int
    source: str  # "committed", "statutory" or "" (none known)
    unit: str
    value: float | None
    converted: bool = False  # calendar days converted to working days
    unknown: bool = False  # no limit found: counted as 0
    uncertain: bool = False
    waiting_days: int = 0  # notice periods, in working days


@dataclass
class PlanStep:
    service: PublicService
    requirement: str
    reason: str  # why it is in the plan, in the active language
    explanation: Explanation | None
    via: str  # "" or the name of the included journey that brought it
    level: int = 0
    depends_on: list[str] = field(default_factory=list)
    duration: Duration | None = None
    start_day: int = 0
    finish_day: int = 0
    critical: bool = False


@dataclass
class PlanDocument:
    key: str
    name_zh: str
    name_en: str
    needed_by: list[str]
    obtainable_from_other_agency: bool
    uncertain: bool


@dataclass
class Plan:
    journey: Journey
    profile: dict[str, Any]
    steps: list[PlanStep]
    levels: list[list[PlanStep]]
    not_needed: list[PlanStep]
    documents: list[PlanDocument]
    fees_cny: Decimal
    fees_unknown: list[str]
    critical_path: list[str]
    critical_path_days: int
    days_lower_bound: bool  # a limit the last step waits for is unknown
    days_uncertain: bool  # a limit the last step waits for is not confirmed


def _duration(service: PublicService) -> Duration:
    version = service.current
    assert version is not None
    chosen, source = {}, ""
    for name, limit in (
        ("committed", version.committed_limit),
        ("statutory", version.statutory_limit),
    ):
        if limit and (limit.get("value") is not None or limit.get("unit") == "immediate"):
            chosen, source = limit, name
            break
    uncertain = bool(chosen.get("uncertain"))
    waiting = version.waiting_period or {}
    waiting_days = _working_days(waiting.get("value"), waiting.get("unit", "days"))
    if not chosen:
        return Duration(0, "", "", None, unknown=True, uncertain=True, waiting_days=waiting_days)
    unit = chosen.get("unit", "working_days")
    value = chosen.get("value")
    return Duration(
        working_days=_working_days(value, unit),
        source=source,
        unit=unit,
        value=value,
        converted=unit == "days",
        uncertain=uncertain,
        waiting_days=waiting_days,
    )


def _working_days(value: float | None, unit: str) -> int:
    if value is None or unit == "immediate":
        return 0
    if unit == "days":
        return math.ceil(value * 5 / 7)
    return math.ceil(value)


def _reason(candidate: JourneyService, result: Explanation | None, via: str) -> str:
    condition = candidate.localized("condition")
    if candidate.requirement == Requirement.ALWAYS:
        text = _("Always needed for this journey.")
    elif result is None:
        text = _("Needed for this journey.")
    else:
        met = " ".join(c.sentence for c in result.clauses() if c.passed) or result.sentence
        text = _("Its condition holds: %(clauses)s") % {"clauses": met}
    if condition:
        text = f"{text} ({condition})"
    if via:
        text = _("%(reason)s Part of: %(journey)s.") % {"reason": text, "journey": via}
    return text


def _candidates(journey: Journey, profile: dict[str, Any]) -> list[tuple[JourneyService, str]]:
    found: list[tuple[JourneyService, str]] = [
        (c, "") for c in journey.candidates.select_related("service__current", "service__agency")
    ]
    for include in journey.includes:
        rule = profile_rule(include["rule"])
        if not explain(rule, profile).passed:
            continue
        inner = Journey.objects.filter(code=include["journey"]).first()
        if inner is not None:
            found += [
                (c, inner.name)
                for c in inner.candidates.select_related("service__current", "service__agency")
            ]
    seen: set[int] = set()
    unique = []
    for candidate, via in found:
        if candidate.service_id not in seen:
            seen.add(candidate.service_id)
            unique.append((candidate, via))
    return unique


def _order(steps: list[PlanStep]) -> list[list[PlanStep]]:
    by_id = {s.service.identifier: s for s in steps}
    stands_in: dict[str, str] = {}
    for step in steps:
        assert step.service.current is not None
        for other in step.service.current.satisfies:
            stands_in.setdefault(other, step.service.identifier)
    for step in steps:
        assert step.service.current is not None
        deps = []
        for prereq in step.service.current.prerequisites:
            target = prereq if prereq in by_id else stands_in.get(prereq)
            if target and target != step.service.identifier and target not in deps:
                deps.append(target)
        step.depends_on = deps
    done: dict[str, int] = {}

    def level(identifier: str, trail: tuple[str, ...] = ()) -> int:
        if identifier in done:
            return done[identifier]
        if identifier in trail:  # refused on save; never loop on bad data
            return 0
        deps = by_id[identifier].depends_on
        result = 1 + max((level(d, (*trail, identifier)) for d in deps), default=-1)
        done[identifier] = result
        return result

    for step in steps:
        step.level = level(step.service.identifier)
    levels: list[list[PlanStep]] = [
        [] for _ in range(max((s.level for s in steps), default=-1) + 1)
    ]
    for step in steps:
        levels[step.level].append(step)
    return levels


def _schedule(levels: list[list[PlanStep]]) -> tuple[list[str], int, bool, bool]:
    by_id = {s.service.identifier: s for level in levels for s in level}
    for level in levels:
        for step in level:
            step.duration = _duration(step.service)
            step.start_day = max((by_id[d].finish_day for d in step.depends_on), default=0)
            step.finish_day = (
                step.start_day + step.duration.working_days + step.duration.waiting_days
            )
    if not by_id:
        return [], 0, False, False
    last = max(by_id.values(), key=lambda s: (s.finish_day, -s.level))
    path = [last]
    while path[-1].depends_on:
        path.append(max((by_id[d] for d in path[-1].depends_on), key=lambda s: s.finish_day))
    path.reverse()
    for step in path:
        step.critical = True
    # Every step the last one waits for, directly or not: an unknown limit among them
    # makes the total a lower bound; an uncertain one makes it uncertain.
    before: set[str] = set()
    todo = [last.service.identifier]
    while todo:
        current = todo.pop()
        if current not in before:
            before.add(current)
            todo.extend(by_id[current].depends_on)
    durations = [by_id[i].duration for i in before]
    lower_bound = any(d is not None and d.unknown for d in durations)
    uncertain = any(d is not None and d.uncertain for d in durations)
    return [s.service.identifier for s in path], last.finish_day, lower_bound, uncertain


def _documents(steps: list[PlanStep]) -> list[PlanDocument]:
    merged: dict[str, PlanDocument] = {}
    for step in steps:
        assert step.service.current is not None
        for doc in step.service.current.documents:
            entry = merged.get(doc["key"])
            if entry is None:
                merged[doc["key"]] = PlanDocument(
                    key=doc["key"],
                    name_zh=doc["name_zh"],
                    name_en=doc["name_en"],
                    needed_by=[step.service.identifier],
                    obtainable_from_other_agency=bool(doc["obtainable_from_other_agency"]),
                    uncertain=bool(doc.get("uncertain")),
                )
            elif step.service.identifier not in entry.needed_by:
                if doc["name_zh"] == doc["key"]:  # the plain name reads better than a variant
                    entry.name_zh, entry.name_en = doc["name_zh"], doc["name_en"]
                entry.needed_by.append(step.service.identifier)
                entry.obtainable_from_other_agency &= bool(doc["obtainable_from_other_agency"])
    return list(merged.values())


def journey_plan(
    *, journey: Journey, answers: dict[str, Any], today: dt.date | None = None
) -> Plan:
    """The plan for ``journey`` given ``answers`` (question key -> answer).

    Raises ``ValidationFailed`` naming the question when an answer is missing, invalid or
    contradicts another.
    """
    profile = profile_from_answers(journey, answers, today=today or dt.date.today())
    steps: list[PlanStep] = []
    not_needed: list[PlanStep] = []
    for candidate, via in _candidates(journey, profile):
        version = candidate.service.current
        if version is None:
            continue
        result = explain(profile_rule(version.rule), profile) if version.rule else None
        applies = candidate.requirement == Requirement.ALWAYS or result is None or result.passed
        step = PlanStep(
            service=candidate.service,
            requirement=candidate.requirement,
            reason=_reason(candidate, result, via) if applies else "",
            explanation=result,
            via=via,
        )
        if not applies:
            step.reason = _("Not needed: %(clauses)s") % {
                "clauses": " ".join(c.sentence for c in result.clauses() if not c.passed)  # type: ignore[union-attr]
            }
        (steps if applies else not_needed).append(step)
    levels = _order(steps)
    path, days, lower_bound, days_uncertain = _schedule(levels)
    fees = sum(
        (
            s.service.current.fee_cny
            for s in steps
            if s.service.current and s.service.current.fee_cny is not None
        ),
        Decimal("0"),
    )
    unknown_fees = [
        s.service.identifier
        for s in steps
        if s.service.current and s.service.current.fee_cny is None
    ]
    ordered = [s for level in levels for s in level]
    return Plan(
        journey=journey,
        profile=profile,
        steps=ordered,
        levels=levels,
        not_needed=not_needed,
        documents=_documents(ordered),
        fees_cny=fees,
        fees_unknown=unknown_fees,
        critical_path=path,
        critical_path_days=days,
        days_lower_bound=lower_bound,
        days_uncertain=days_uncertain,
    )
