"""What changed between two editions: items removed, added, relaxed, tightened, reworded or
moved, per item and per industry code. Items are matched by their machine key (``film``,
``telecom``...), which stays the same across editions and between the national and the FTZ list.

A measure can move between a whole item and a part of another item: the FTZ's 2020 ban on social
surveys (item ``social_survey``) became the 2021 market-research item's sub-measure with the same
key. The data says so by that shared key; the diff then compares the measure with itself (a ban
became a 33 % cap: relaxed) instead of calling one item removed and the other tightened.
"""

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
    change: str  # removed, added, relaxed, tightened, reworded, moved, unchanged
    before: Item | None
    after: Item | None
    details: list[str] = field(default_factory=list)  # sub-measure keys that changed
    # A moved item: the item of the other edition that carries its measure as a sub-measure
    # (moved_to: in the later edition; moved_from: in the earlier one), and whether the measure
    # itself was relaxed, tightened or left as it was.
    moved_to: Item | None = None
    moved_from: Item | None = None
    direction: str | None = None


@dataclass
class IndustryChange:
    code: str
    change: str  # removed, added, relaxed, tightened, reworded, moved
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


def _part_openness(sub: dict[str, object]) -> Decimal:
    return _openness(
        str(sub["measure"]), sub.get("max_foreign_share"), sub.get("min_chinese_share")
    )


def _whole_openness(item: Item) -> Decimal:
    return _openness(item.measure, item.max_foreign_share, item.min_chinese_share)


def _measures(item: Item) -> dict[str, Decimal]:
    """Openness per part: the sub-measures, or the item itself."""
    if item.sub_measures:
        return {sub["key"]: _part_openness(sub) for sub in item.sub_measures}
    return {"item": _whole_openness(item)}


def _direction(before: Decimal, after: Decimal) -> str:
    if after > before:
        return "relaxed"
    return "tightened" if after < before else "unchanged"


def _compare(
    before: Item,
    after: Item,
    moved_in: dict[str, Decimal],
    moved_out: dict[str, Decimal],
) -> ItemChange:
    """``moved_in``: parts of ``after`` that were whole items before, with their openness then;
    ``moved_out``: parts of ``before`` that are whole items after, with their openness now."""
    old = {**moved_in, **_measures(before)}
    new = {**moved_out, **_measures(after)}
    if set(old) != set(new) and ("item" in old or "item" in new):
        # One side is split into sub-measures: compare the strictest parts (a measure that
        # moved in or out counts on the side where it was).
        old, new = {"item": min(old.values())}, {"item": min(new.values())}
    relaxed = [k for k in old if k not in new or new[k] > old[k]]
    tightened = [k for k in new if k not in old or new[k] < old[k]]
    codes_before = _codes(before)
    codes_after = _codes(after)
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


def _part_holders(items: dict[str, Item], other: dict[str, Item]) -> dict[str, Item]:
    """Sub-measure key -> the item holding it, for keys that name a whole item of the other
    edition which this edition does not have as an item: the moves."""
    return {
        sub["key"]: item
        for item in items.values()
        for sub in item.sub_measures
        if sub["key"] in other and sub["key"] not in items
    }


def _part(item: Item, key: str) -> dict[str, object]:
    return next(sub for sub in item.sub_measures if sub["key"] == key)


def _item_changes(old: dict[str, Item], new: dict[str, Item]) -> list[ItemChange]:
    into_new = _part_holders(new, old)  # whole items before, parts after
    out_of_old = _part_holders(old, new)  # parts before, whole items after
    changes: list[ItemChange] = []
    for key, item in old.items():
        if key in new:
            moved_in = {
                part: _whole_openness(old[part])
                for part, holder in into_new.items()
                if holder.key == key
            }
            moved_out = {
                part: _whole_openness(new[part])
                for part, holder in out_of_old.items()
                if holder.key == key
            }
            changes.append(_compare(item, new[key], moved_in, moved_out))
        elif key in into_new:
            holder = into_new[key]
            direction = _direction(_whole_openness(item), _part_openness(_part(holder, key)))
            changes.append(
                ItemChange(key, "moved", item, None, moved_to=holder, direction=direction)
            )
        else:
            changes.append(ItemChange(key, "removed", item, None))
    for key, item in new.items():
        if key in old:
            continue
        if key in out_of_old:
            holder = out_of_old[key]
            direction = _direction(_part_openness(_part(holder, key)), _whole_openness(item))
            changes.append(
                ItemChange(key, "moved", None, item, moved_from=holder, direction=direction)
            )
        else:
            changes.append(ItemChange(key, "added", None, item))
    return changes


def _code_kind(change: ItemChange, code: str, moves: dict[tuple[str, str], str]) -> str:
    """How ``code`` fared in ``change``. ``moves``: (code, item key) -> the direction of a moved
    measure, for the code on both items of the move."""
    if (code, change.key) in moves:
        return moves[(code, change.key)]
    if change.change == "moved":
        return "removed" if change.before is not None else "added"
    if code not in _codes(change.after):
        return "relaxed" if change.change != "removed" else "removed"
    if code not in _codes(change.before):
        return "tightened" if change.change != "added" else "added"
    return change.change


def _moves(changes: list[ItemChange]) -> dict[tuple[str, str], str]:
    """A code that left the moved measure's item and joined its new holder (or the reverse)
    moved with the measure: on both items it takes the measure's direction ("moved" when the
    measure itself did not change)."""
    by_key = {change.key: change for change in changes}
    found: dict[tuple[str, str], str] = {}
    for change in changes:
        if change.change != "moved" or change.direction is None:
            continue
        holder = change.moved_to or change.moved_from
        assert holder is not None
        holder_change = by_key.get(holder.key)
        if holder_change is None:
            continue
        if change.moved_to is not None:  # whole item before, part of the holder after
            moved = _codes(change.before) & (
                _codes(holder_change.after) - _codes(holder_change.before)
            )
        else:  # part of the holder before, whole item after
            moved = _codes(change.after) & (
                _codes(holder_change.before) - _codes(holder_change.after)
            )
        kind = "moved" if change.direction == "unchanged" else change.direction
        for code in moved:
            found[(code, change.key)] = kind
            found[(code, holder.key)] = kind
    return found


def edition_diff(before: Edition, after: Edition) -> EditionDiff:
    """``before`` -> ``after``: every item of either edition, and every industry code touched."""
    old = {i.key: i for i in before.items.prefetch_related("industries").order_by("number")}
    new = {i.key: i for i in after.items.prefetch_related("industries").order_by("number")}
    changes = _item_changes(old, new)
    moves = _moves(changes)
    by_code: dict[str, dict[str, list[str]]] = {}
    for change in changes:
        if change.change == "unchanged":
            continue
        for code in _codes(change.before) | _codes(change.after):
            kind = _code_kind(change, code, moves)
            by_code.setdefault(code, {}).setdefault(kind, []).append(change.key)
    industries = [
        IndustryChange(code, kind, sorted(keys))
        for code in sorted(by_code)
        for kind, keys in sorted(by_code[code].items())
    ]
    return EditionDiff(before, after, changes, industries)
