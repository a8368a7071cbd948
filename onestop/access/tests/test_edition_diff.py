"""The edition diff: removed, added, relaxed, tightened, reworded, moved, per item and per
code."""

from __future__ import annotations

from typing import Any

from onestop.access.models import Edition
from onestop.access.selectors.edition_diff import edition_diff
from onestop.access.services.negative_lists import edition_import
from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401
from onestop.access.tests.test_edition_import import _national


def _later_national(code: str) -> dict[str, Any]:
    """The shipped 2020 national file as a new edition ``code`` in force from 2022, to edit."""
    data = _national()
    data["edition"]["code"] = code
    data["edition"]["effective"] = "2022-01-01"
    data["edition"].pop("repeal")
    return data


def _changes(before: str, after: str) -> dict[str, Any]:
    diff = edition_diff(Edition.objects.get(code=before), Edition.objects.get(code=after))
    return {c.key: c for c in diff.items}


def test_national_to_ftz_2020(access_data: Any) -> None:  # noqa: F811
    changes = _changes("national-2020", "ftz-2020")
    assert {k for k, c in changes.items() if c.change == "removed"} == {
        "fishing",
        "printing",
        "tcm",
    }
    assert changes["seeds_wheat_corn"].change == "relaxed"  # corn: control -> 34 % floor
    assert changes["rare_earth_mining"].change == "reworded"  # the FTZ adds a sentence
    assert changes["film"].change == "unchanged"
    assert not [c for c in changes.values() if c.change in ("added", "tightened")]


def test_a_later_edition_that_tightens_adds_and_relaxes(access_data: Any) -> None:  # noqa: F811
    data = _later_national("national-test")
    by_key = {item["key"]: item for item in data["items"]}
    by_key["auto"]["max_foreign_share"] = 40  # tightened (50 -> 40)
    by_key["auto"]["min_chinese_share"] = 60
    by_key["performing_arts"]["measure"] = "equity_cap"  # relaxed (49 -> 70)
    by_key["performing_arts"]["max_foreign_share"] = 70
    data["items"] = [item for item in data["items"] if item["key"] != "postal"]
    new = dict(by_key["social_survey"], number=99, key="new_item")
    data["items"].append(new)
    edition_import(actor=None, data=data)
    changes = _changes("national-2020", "national-test")
    assert changes["auto"].change == "tightened"
    assert changes["performing_arts"].change == "relaxed"
    assert changes["postal"].change == "removed"
    assert changes["new_item"].change == "added"
    diff = edition_diff(
        Edition.objects.get(code="national-2020"), Edition.objects.get(code="national-test")
    )
    per_code = {(c.code, c.change): c.keys for c in diff.industries}
    assert per_code[("6010", "removed")] == ["postal"]
    assert per_code[("7249", "added")] == ["new_item"]
    assert ("3611", "tightened") in per_code


def test_a_loaded_successor_answers_from_its_date(access_data: Any) -> None:  # noqa: F811
    import datetime as dt

    from onestop.access.services.checker import access_check

    data = _later_national("national-next")
    edition_import(actor=None, data=data)
    later = access_check(activities=["6210"], foreign_share=70, date=dt.date(2023, 1, 1))
    assert later.verdict.edition.code == "national-next"
    assert later.verdict.warnings == []
    assert [k for k, v in later.alternatives if v.edition.code == "national-2020"] == [
        "other_edition"
    ]
    earlier = access_check(activities=["6210"], foreign_share=70, date=dt.date(2021, 12, 31))
    assert earlier.verdict.edition.code == "national-2020"


def test_national_2020_to_2021(access_data: Any) -> None:  # noqa: F811
    """What the sources say changed: the car and satellite-TV receiver items were removed
    (MOFCOM, 2021-12-30); market research and medical institutions now say "joint venture"
    only, which the checker treats the same (reworded); nothing was added or tightened."""
    changes = _changes("national-2020", "national-2021")
    assert {k for k, c in changes.items() if c.change == "removed"} == {"auto", "sat_tv_receivers"}
    assert {k for k, c in changes.items() if c.change == "reworded"} == {
        "market_research",
        "medical",
    }
    assert not [c for c in changes.values() if c.change in ("added", "tightened", "relaxed")]
    assert changes["film"].change == "unchanged"
    diff = edition_diff(
        Edition.objects.get(code="national-2020"), Edition.objects.get(code="national-2021")
    )
    assert {c.code for c in diff.industries if c.change == "removed"} == {
        "3611",
        "3612",
        "3932",
        "3933",
    }


def test_national_2021_to_2024(access_data: Any) -> None:  # noqa: F811
    """The sources: the two remaining manufacturing items were removed, nothing else."""
    changes = _changes("national-2021", "national-2024")
    assert {k for k, c in changes.items() if c.change == "removed"} == {"printing", "tcm"}
    assert {c.change for k, c in changes.items() if k not in ("printing", "tcm")} == {"unchanged"}


def test_ftz_2020_to_2021(access_data: Any) -> None:  # noqa: F811
    """What the sources say changed in the FTZ list (MOFCOM 2021-12-30, NDRC 2021-12-27): the
    car and satellite-TV receiver items were removed (no manufacturing item left); market
    research is open except radio/TV audience surveys (Chinese control); the social-survey ban
    gave way to a 67 % Chinese floor, in the same item as the audience surveys (30 - 3 = 27).
    Medical institutions now say "joint venture" only, as in the national list (reworded)."""
    changes = _changes("ftz-2020", "ftz-2021")
    assert {k for k, c in changes.items() if c.change == "removed"} == {
        "auto",
        "sat_tv_receivers",
    }
    # The social-survey ban moved into the market-research item as its social_survey part,
    # and a ban became a 33 % cap.
    moved = changes["social_survey"]
    assert moved.change == "moved" and moved.direction == "relaxed"
    assert moved.moved_to is not None and moved.moved_to.key == "market_research"
    assert moved.moved_to.edition.code == "ftz-2021"
    # Market research: general research freed, and the social surveys that moved in compared
    # with the ban they were: relaxed on both counts.
    assert changes["market_research"].change == "relaxed"
    assert changes["market_research"].details == ["general", "social_survey"]
    assert changes["medical"].change == "reworded"
    assert {c.change for k, c in changes.items() if k not in ("market_research", "medical")} == {
        "removed",
        "moved",
        "unchanged",
    }
    diff = edition_diff(Edition.objects.get(code="ftz-2020"), Edition.objects.get(code="ftz-2021"))
    per_code = {(c.code, c.change): c.keys for c in diff.industries}
    assert {code for code, change in per_code if change == "removed"} == {
        "3611",
        "3612",
        "3932",
        "3933",
    }
    # 7249 (social surveys) left the social_survey item and joined market_research: one row,
    # relaxed, naming both items; before the moves were modelled it showed as removed and as
    # tightened.
    assert [(c.change, c.keys) for c in diff.industries if c.code == "7249"] == [
        ("relaxed", ["market_research", "social_survey"])
    ]
    assert per_code[("7242", "relaxed")] == ["market_research"]
    assert len(diff.after.items.all()) == 27


def test_ftz_2021_back_to_2020(access_data: Any) -> None:  # noqa: F811
    """The same move read backwards: a 33 % cap became a ban again."""
    changes = _changes("ftz-2021", "ftz-2020")
    moved = changes["social_survey"]
    assert moved.change == "moved" and moved.direction == "tightened"
    assert moved.moved_from is not None and moved.moved_from.key == "market_research"
    assert changes["market_research"].change == "tightened"
    assert changes["market_research"].details == ["general", "social_survey"]
    assert {k for k, c in changes.items() if c.change == "added"} == {"auto", "sat_tv_receivers"}
    diff = edition_diff(Edition.objects.get(code="ftz-2021"), Edition.objects.get(code="ftz-2020"))
    assert [(c.change, c.keys) for c in diff.industries if c.code == "7249"] == [
        ("tightened", ["market_research", "social_survey"])
    ]


def test_a_move_that_keeps_the_measure(access_data: Any) -> None:  # noqa: F811
    """An item folded into another as a part, with the same measure and codes: "moved", its
    code "moved" too, and the receiving item only reworded."""
    data = _later_national("national-folded")
    by_key = {item["key"]: item for item in data["items"]}
    survey = by_key["social_survey"]
    research = by_key["market_research"]
    research["sub_measures"].append(
        {"key": "social_survey", "subject": survey["summary"], "measure": "prohibited"}
    )
    research["question"]["options"].append(
        {"value": "social", "label": survey["summary"], "applies": "social_survey"}
    )
    research["industries"].append({"code": "7249", "coverage": "partial"})
    data["items"] = [item for item in data["items"] if item["key"] != "social_survey"]
    edition_import(actor=None, data=data)
    changes = _changes("national-2020", "national-folded")
    assert changes["social_survey"].change == "moved"
    assert changes["social_survey"].direction == "unchanged"
    # Its wording changed (a new part, a new code), but nothing was relaxed or tightened.
    assert changes["market_research"].change == "reworded"
    assert changes["market_research"].details == []
    diff = edition_diff(
        Edition.objects.get(code="national-2020"), Edition.objects.get(code="national-folded")
    )
    assert [(c.change, c.keys) for c in diff.industries if c.code == "7249"] == [
        ("moved", ["market_research", "social_survey"])
    ]


def test_a_whole_item_that_takes_in_a_moved_measure(access_data: Any) -> None:  # noqa: F811
    """An item without parts is split into its old measure and the social-survey ban moved in
    from its own item: the ban is no stricter for having moved, so the receiving item is not
    "tightened"; the moved item keeps its measure."""
    data = _later_national("national-split")
    by_key = {item["key"]: item for item in data["items"]}
    survey = by_key["social_survey"]
    receiving = next(
        item
        for item in data["items"]
        if not item.get("sub_measures") and item["measure"] == "jv_only"
    )
    receiving["sub_measures"] = [
        {"key": "general", "subject": receiving["summary"], "measure": "jv_only"},
        {"key": "social_survey", "subject": survey["summary"], "measure": "prohibited"},
    ]
    receiving["industries"].append({"code": "7249", "coverage": "partial"})
    data["items"] = [item for item in data["items"] if item["key"] != "social_survey"]
    edition_import(actor=None, data=data)
    changes = _changes("national-2020", "national-split")
    assert changes["social_survey"].change == "moved"
    assert changes["social_survey"].direction == "unchanged"
    assert changes["social_survey"].moved_to.key == receiving["key"]
    # Strictest part before (counting the ban where it was) and after: both prohibited.
    assert changes[receiving["key"]].change == "reworded"
