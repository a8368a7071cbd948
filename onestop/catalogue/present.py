"""Plain dictionaries of services and plans, in the active language, for the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from onestop.catalogue.finder import Plan, PlanStep
from onestop.catalogue.finder_answers import localized
from onestop.catalogue.models import Journey, PublicService, ServiceVersion


def _english() -> bool:
    return (get_language() or "").startswith("en")


def service_summary(
    service: PublicService, version: ServiceVersion | None = None
) -> dict[str, Any]:
    version = version or service.current
    assert version is not None
    return {
        "identifier": service.identifier,
        "title": version.title,
        "title_zh": version.title_zh,
        "title_en": version.title_en,
        "kind": version.kind,
        "agency": {"code": service.agency.code, "name": service.agency.name},
        "online": version.online,
        "uncertain": version.uncertain,
    }


class Summaries:
    """Service summaries over a queryset, built only for the slice a page asks for
    (the paginator counts with ``len`` and slices; nothing else is loaded)."""

    def __init__(self, services: QuerySet[PublicService]) -> None:
        self.services = services

    def __len__(self) -> int:
        return self.services.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [service_summary(s) for s in self.services[window]]


def service_detail(service: PublicService, version: ServiceVersion) -> dict[str, Any]:
    return {
        **service_summary(service, version),
        "version": version.number,
        "valid_from": version.valid_from,
        "description": version.description,
        "description_zh": version.description_zh,
        "description_en": version.description_en,
        "legal_basis": version.legal_basis,
        "documents": version.documents,
        "output_zh": version.output_zh,
        "output_en": version.output_en,
        "fee_cny": version.fee_cny,
        "fee_note": version.fee_note,
        "statutory_limit": version.statutory_limit,
        "committed_limit": version.committed_limit,
        "counter_visits": version.counter_visits,
        "applies_when_zh": version.applies_when_zh,
        "applies_when_en": version.applies_when_en,
        "rule": version.rule,
        "prerequisites": version.prerequisites,
        "uncertain_notes": version.uncertain_notes,
        "sources": version.sources,
        "versions": [
            {"number": v.number, "valid_from": v.valid_from, "change_note": v.change_note}
            for v in service.versions.order_by("-number")
        ],
    }


def question(q: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": q["key"],
        "type": q["type"],
        "label": localized(q, "label"),
        "hint": localized(q, "hint"),
        "choices": [
            {"value": c["value"], "label": localized(c, "label")} for c in q.get("choices", [])
        ],
        "min": q.get("min"),
        "max": q.get("max"),
    }


def journey(j: Journey) -> dict[str, Any]:
    return {
        "code": j.code,
        "name": j.name,
        "name_zh": j.name_zh,
        "name_en": j.name_en,
        "questions": [question(q) for q in j.questions],
    }


def _step(step: PlanStep) -> dict[str, Any]:
    d = step.duration
    assert d is not None
    clauses = step.explanation.clauses() if step.explanation else []
    return {
        "service": service_summary(step.service),
        "requirement": step.requirement,
        "reason": step.reason,
        "clauses": [
            {
                "text": c.text,
                "passed": c.passed,
                "found": c.found,
                "expected": c.expected,
                "sentence": c.sentence,
            }
            for c in clauses
        ],
        "level": step.level,
        "depends_on": step.depends_on,
        "duration": {
            "working_days": d.working_days,
            "source": d.source,
            "unit": d.unit,
            "value": d.value,
            "converted_from_calendar_days": d.converted,
            "not_confirmed": d.uncertain,
            "unknown": d.unknown,
            "waiting_days": d.waiting_days,
        },
        "start_day": step.start_day,
        "finish_day": step.finish_day,
        "critical": step.critical,
    }


def plan(p: Plan) -> dict[str, Any]:
    english = _english()
    return {
        "journey": p.journey.code,
        "steps": [_step(s) for s in p.steps],
        "levels": [[s.service.identifier for s in level] for level in p.levels],
        "not_needed": [
            {"service": service_summary(s.service), "reason": s.reason} for s in p.not_needed
        ],
        "documents": [
            {
                "key": doc.key,
                "name": (doc.name_en or doc.name_zh) if english else (doc.name_zh or doc.name_en),
                "name_zh": doc.name_zh,
                "name_en": doc.name_en,
                "needed_by": doc.needed_by,
                "obtainable_from_other_agency": doc.obtainable_from_other_agency,
                "uncertain": doc.uncertain,
            }
            for doc in p.documents
        ],
        "fees_cny": p.fees_cny,
        "fees_unknown": p.fees_unknown,
        "critical_path": p.critical_path,
        "critical_path_working_days": p.critical_path_days,
        "days_lower_bound": p.days_lower_bound,
        "days_not_confirmed": p.days_uncertain,
    }
