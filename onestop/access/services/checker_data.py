"""The checker's view of the loaded editions: plain Python objects, built once per process.

The access checker must answer in well under a millisecond, so it never queries the database:
it reads this snapshot. An import in this process drops it at once (on commit); other processes
notice a changed edition table within ``RECHECK_SECONDS``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max

from onestop.access.models import Edition, IndustryClass, Item

RECHECK_SECONDS = 5.0

Bilingual = dict[str, str]


def pick(text: Bilingual | None, language: str) -> str:
    """The text in ``language`` (zh or en), falling back to the other one."""
    if not text:
        return ""
    if language.startswith("en"):
        return text.get("en") or text.get("zh", "")
    return text.get("zh") or text.get("en", "")


def _share(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class Measure:
    """The conditions of an item, or of one of its sub-measures."""

    key: str  # "item" for the item itself
    subject: Bilingual
    measure: str
    max_foreign_share: Decimal | None
    min_chinese_share: Decimal | None
    max_single_foreign_share: Decimal | None
    requirements: tuple[Bilingual, ...] = ()


@dataclass(frozen=True)
class ItemData:
    id: int
    number: int
    key: str
    edition_code: str
    section: Bilingual
    summary: Bilingual
    measure: Measure
    sub_measures: dict[str, Measure]
    question: dict[str, Any]
    uncertain: bool
    uncertain_note: Bilingual
    transition: dict[str, Any]


@dataclass
class EditionData:
    id: int
    code: str
    scope: str
    title: Bilingual
    decree: Bilingual
    effective: dt.date
    repeal: dt.date | None
    repeal_uncertain: bool
    superseded_by: dict[str, Any]
    notes: list[dict[str, Any]]
    interpretation: Bilingual
    # code -> [(item, coverage)] for the codes the items name
    index: dict[str, list[tuple[ItemData, str]]] = field(default_factory=dict, repr=False)
    # code -> items that name a code *below* it (a broad activity is partly covered)
    below: dict[str, list[ItemData]] = field(default_factory=dict, repr=False)
    # question key -> the values its options accept
    answers: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)


@dataclass
class CheckerData:
    editions: list[EditionData]  # by effective date
    parents: dict[str, str]  # industry code -> parent code
    names: dict[str, Bilingual]


def _measure(key: str, row: dict[str, Any], fallback_subject: Bilingual) -> Measure:
    return Measure(
        key=key,
        subject=row.get("subject") or fallback_subject,
        measure=row["measure"],
        max_foreign_share=_share(row.get("max_foreign_share")),
        min_chinese_share=_share(row.get("min_chinese_share")),
        max_single_foreign_share=_share(row.get("max_single_foreign_share")),
        requirements=tuple(row.get("requirements") or ()),
    )


def _item(item: Item, edition_code: str) -> ItemData:
    summary = {"zh": item.summary_zh, "en": item.summary_en}
    own = Measure(
        key="item",
        subject=summary,
        measure=item.measure,
        max_foreign_share=item.max_foreign_share,
        min_chinese_share=item.min_chinese_share,
        max_single_foreign_share=item.max_single_foreign_share,
        requirements=tuple(item.requirements or ()),
    )
    subs = {row["key"]: _measure(row["key"], row, summary) for row in item.sub_measures or []}
    return ItemData(
        id=item.pk,
        number=item.number,
        key=item.key,
        edition_code=edition_code,
        section={"zh": item.section_zh, "en": item.section_en},
        summary=summary,
        measure=own,
        sub_measures=subs,
        question=item.question or {},
        uncertain=item.uncertain,
        uncertain_note={"zh": item.uncertain_note_zh, "en": item.uncertain_note_en},
        transition=item.transition or {},
    )


def _ancestors(code: str, parents: dict[str, str]) -> list[str]:
    found = []
    while code in parents:
        code = parents[code]
        found.append(code)
    return found


def _build() -> CheckerData:
    parents: dict[str, str] = {}
    names: dict[str, Bilingual] = {}
    for code, parent, name_zh, name_en in IndustryClass.objects.values_list(
        "code", "parent__code", "name_zh", "name_en"
    ):
        if parent:
            parents[code] = parent
        names[code] = {"zh": name_zh, "en": name_en}
    editions = []
    for edition in Edition.objects.order_by("effective", "code"):
        data = EditionData(
            id=edition.pk,
            code=edition.code,
            scope=edition.scope,
            title={"zh": edition.title_zh, "en": edition.title_en},
            decree={"zh": edition.decree_zh, "en": edition.decree_en},
            effective=edition.effective,
            repeal=edition.repeal,
            repeal_uncertain=edition.repeal_uncertain,
            superseded_by=edition.superseded_by or {},
            notes=edition.notes or [],
            interpretation=edition.interpretation or {},
        )
        index: dict[str, list[tuple[ItemData, str]]] = defaultdict(list)
        below: dict[str, list[ItemData]] = defaultdict(list)
        for item in edition.items.prefetch_related("industries"):
            item_data = _item(item, edition.code)
            if item_data.question:
                data.answers[item_data.question["key"]] = frozenset(
                    option["value"] for option in item_data.question["options"]
                )
            for link in item.industries.all():
                index[link.code].append((item_data, link.coverage))
                for ancestor in _ancestors(link.code, parents):
                    if item_data not in below[ancestor]:
                        below[ancestor].append(item_data)
        data.index, data.below = dict(index), dict(below)
        editions.append(data)
    return CheckerData(editions=editions, parents=parents, names=names)


class _Cache:
    def __init__(self) -> None:
        self.data: CheckerData | None = None
        self.stamp: tuple[Any, ...] | None = None
        self.checked_at = 0.0
        self.lock = threading.Lock()


_cache = _Cache()


def _stamp() -> tuple[Any, ...]:
    editions = Edition.objects.aggregate(n=Count("id"), last=Max("imported_at"))
    return (editions["n"], editions["last"], IndustryClass.objects.count())


def checker_data() -> CheckerData:
    """The snapshot, rebuilt when an import changed the tables."""
    now = time.monotonic()
    if _cache.data is not None and now - _cache.checked_at < RECHECK_SECONDS:
        return _cache.data
    with _cache.lock:
        stamp = _stamp()
        if _cache.data is None or stamp != _cache.stamp:
            _cache.data, _cache.stamp = _build(), stamp
        _cache.checked_at = now
        return _cache.data


def checker_data_invalidate() -> None:
    _cache.data = None
    _cache.stamp = None


def ancestors(code: str, data: CheckerData) -> list[str]:
    """``8760`` -> ``["876", "87", "R"]``."""
    return _ancestors(code, data.parents)
