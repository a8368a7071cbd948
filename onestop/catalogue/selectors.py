"""Reads of the catalogue: search, one service (any version), journeys. All public."""

from __future__ import annotations

import re

import jieba
from django.db.models import QuerySet

from onestop.catalogue.models import Journey, PublicService, ServiceVersion

_CJK = re.compile(r"[\u4e00-\u9fff]")


def search_terms(query: str) -> list[str]:
    """Words to match: Chinese is segmented with jieba, other words taken as typed."""
    terms: list[str] = []
    for word in query.lower().split():
        if _CJK.search(word):
            terms += [t for t in jieba.lcut(word) if t.strip()]
        else:
            terms.append(word)
    return terms[:10]


def services(*, query: str = "", agency: str = "") -> QuerySet[PublicService]:
    """Services in force, matching every word of ``query`` (Chinese, English or pinyin)."""
    found = PublicService.objects.filter(current__isnull=False).select_related("current", "agency")
    for term in search_terms(query):
        found = found.filter(search_text__contains=term)
    if agency:
        found = found.filter(agency__code=agency)
    return found.order_by("identifier")


def service(identifier: str) -> PublicService | None:
    return (
        PublicService.objects.filter(identifier=identifier, current__isnull=False)
        .select_related("current", "agency")
        .first()
    )


def service_version(service: PublicService, number: int | None) -> ServiceVersion | None:
    if number is None:
        return service.current
    return service.versions.filter(number=number).first()


def services_by_identifier(identifiers: list[str]) -> dict[str, PublicService]:
    return {
        s.identifier: s
        for s in PublicService.objects.filter(identifier__in=identifiers).select_related(
            "current", "agency"
        )
    }


def journeys() -> QuerySet[Journey]:
    return Journey.objects.order_by("position", "code")


def journey(code: str) -> Journey | None:
    return Journey.objects.filter(code=code).first()
