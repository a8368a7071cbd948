"""Reads of the negative lists: editions, their items, one item."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from onestop.access.models import Edition, IndustryClass, Item, ItemIndustry


def editions_list() -> QuerySet[Edition]:
    return Edition.objects.annotate(item_count=Count("items")).order_by("-effective", "scope")


def edition_get(edition_id: int) -> Edition:
    """One edition with its items and their industry codes; 404 when it does not exist."""
    edition = (
        Edition.objects.filter(pk=edition_id)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.order_by("number").prefetch_related(
                    Prefetch("industries", queryset=ItemIndustry.objects.order_by("code"))
                ),
            )
        )
        .first()
    )
    if edition is None:
        raise Http404
    return edition


def edition_by_code(code: str) -> Edition | None:
    return Edition.objects.filter(code=code).first()


def item_get(edition_id: int, number: int) -> Item:
    item = (
        Item.objects.filter(edition_id=edition_id, number=number)
        .select_related("edition")
        .prefetch_related(Prefetch("industries", queryset=ItemIndustry.objects.order_by("code")))
        .first()
    )
    if item is None:
        raise Http404
    return item


def edition_status(edition: Edition, on: dt.date) -> str:
    """in_force, repealed or not_yet (on ``on``)."""
    if edition.effective > on:
        return "not_yet"
    if edition.repeal is not None and on >= edition.repeal:
        return "repealed"
    return "in_force"


def industries_by_code(codes: list[str]) -> dict[str, IndustryClass]:
    return {i.code: i for i in IndustryClass.objects.filter(code__in=codes)}
