"""What changed between two editions: items removed, added, relaxed or tightened, per item
and per industry code. Items are matched by their machine key (``film``, ``telecom``...), which
stays the same across editions and between the national and the FTZ list."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from onestop.access.models import Edition, Item

# How open a measure is, from 0 (prohibited) to 100 (no stated limit): only to compare two
# versions of the same item. Relative control and joint ventures have no fixed number.
_OPENNESS = {
    "prohibited": Decimal(0),
    "chinese_control": Decimal(49),
    "chinese_relative_control": Decimal(50),
    "jv_only": Decimal(99),
    "other_restriction": Decimal(100),
}


@dataclass
class ItemChange:
    key: str
    change: str  # removed, added, relaxed, tightened, reworded, unchanged
    before: Item | None
    after: Item | None
    details: list[str] = field(default_factory=list)  # sub-measure keys that changed


@dataclass
class IndustryChange:
    code: str
    change: str  # removed, added, relaxed, tightened, reworded
    keys: list[str]


@dataclass
class EditionDiff:
    before: Edition
    after: Edition
    items: list[ItemChange]
    industries: list[IndustryChange]

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for change in self.items:
            found[change.change] = found.get(change.change, 0) + 1
        return found


def _openness(measure: str, cap: object, floor: object) -> Decimal:
    if measure == "equity_cap":
        if cap is not None:
            return Decimal(str(cap))
        if floor is not None:
            return Decimal(100) - Decimal(str(floor))
    if measure == "chinese_control" and cap is not None:
        return Decimal(str(cap))
    return _OPENNESS.get(measure, Decimal(100))


def _measures(item: Item) -> dict[str, Decimal]:
    """Openness per part: the sub-measures, or the item itself."""
    if item.sub_measures:
        return {
            sub["key"]: _openness(
                sub["measure"], sub.get("max_foreign_share"), sub.get("min_chinese_share")
            )
            for sub in item.sub_measures
        }
    return {"item": _openness(item.measure, item.max_foreign_share, item.min_chinese_share)}


def _compare(before: Item, after: Item) -> ItemChange:
    old, new = _measures(before), _measures(after)
    if set(old) != set(new) and ("item" in old or "item" in new):
        # One side is split into sub-measures: compare the strictest parts.
        old, new = {"item": min(old.values())}, {"item": min(new.values())}
    relaxed = [k for k in old if k not in new or new[k] > old[k]]
    tightened = [k for k in new if k not in old or new[k] < old[k]]
    codes_before = {link.code for link in before.industries.all()}
    codes_after = {link.code for link in after.industries.all()}
    if tightened and not relaxed:
        change = "tightened"
    elif relaxed and not tightened:
        change = "relaxed"
    elif relaxed or before.summary_en != after.summary_en or codes_before != codes_after:
        change = "reworded"  # both ways at once, or only the wording or the codes
    else:
        change = "unchanged"
    return ItemChange(before.key, change, before, after, sorted({*relaxed, *tightened}))


def _codes(item: Item | None) -> set[str]:
    return {link.code for link in item.industries.all()} if item is not None else set()


def edition_diff(before: Edition, after: Edition) -> EditionDiff:
    """``before`` -> ``after``: every item of either edition, and every industry code touched."""
    old = {i.key: i for i in before.items.prefetch_related("industries").order_by("number")}
    new = {i.key: i for i in after.items.prefetch_related("industries").order_by("number")}
    changes: list[ItemChange] = []
    for key, item in old.items():
        if key not in new:
            changes.append(ItemChange(key, "removed", item, None))
        else:
            changes.append(_compare(item, new[key]))
    changes += [ItemChange(key, "added", None, item) for key, item in new.items() if key not in old]
    by_code: dict[str, dict[str, list[str]]] = {}
    for change in changes:
        if change.change == "unchanged":
            continue
        codes_before = _codes(change.before)
        codes_after = _codes(change.after)
        for code in codes_before | codes_after:
            kind = change.change
            if code not in codes_after:
                kind = "relaxed" if change.change != "removed" else "removed"
            elif code not in codes_before:
                kind = "tightened" if change.change != "added" else "added"
            by_code.setdefault(code, {}).setdefault(kind, []).append(change.key)
    industries = [
        IndustryChange(code, kind, keys)
        for code in sorted(by_code)
        for kind, keys in sorted(by_code[code].items())
    ]
    return EditionDiff(before, after, changes, industries)
