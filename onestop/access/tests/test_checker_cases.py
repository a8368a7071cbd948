"""Runs the policy officer's cases in cases/*.yaml against the access checker.

Each case gives the proposal (industry or industries, foreign share, largest single foreign
investor's share, form, place, date, answers to clarifying questions) and what is expected:
``allowed`` (yes / no / depends), ``classification``, ``item`` (the number of the item the
verdict rests on), ``edition``, ``fix`` (words of what would satisfy a broken condition),
``note`` (a general note the proposal breaks), ``question`` (an open question), ``warning``
(words, or a list of words each some warning must contain), ``uncertain``,
``other_place_allowed`` (the verdict inside / outside a pilot FTZ instead), or
``error`` (the field refused) with ``message``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from onestop.access.api.negative_list_schemas import AccessCheckOut
from onestop.access.services.checker import access_check
from onestop.access.services.checker_text import check_result_data
from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401
from onestop.core.api_render import json_answer
from onestop.core.errors import ValidationFailed

CASES_DIR = Path(__file__).parent / "cases"


def _word(value: Any) -> str:
    """YAML reads a bare yes / no as a boolean; the cases mean the verdict word."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _load() -> list[Any]:
    found = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            found.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return found


CASES = _load()


def _run(case: dict[str, Any], language: str = "en") -> dict[str, Any]:
    activities = case.get("industries") or [case["industry"]]
    date = case.get("date")
    result = access_check(
        activities=[str(code) for code in activities],
        foreign_share=case["foreign_share"],
        single_share=case.get("single_share"),
        form=case.get("form", "company"),
        place=case.get("place", "outside_ftz"),
        date=date if isinstance(date, dt.date) else None,
        answers={str(k): _word(v) for k, v in (case.get("answers") or {}).items()},
    )
    return check_result_data(result, language)


def _as_the_api_sends_it(data: dict[str, Any]) -> Any:
    return json.loads(json_answer(data).content)


@pytest.mark.parametrize("case", CASES)
def test_case(case: dict[str, Any], access_data: Any) -> None:  # noqa: F811
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(ValidationFailed) as caught:
            _run(case)
        fields = {error.field: str(error.message) for error in caught.value.errors}
        assert expect["error"] in fields, fields
        if "message" in expect:
            assert expect["message"] in fields[expect["error"]]
        return
    data = _run(case)
    # The API sends the answer without validating it against its schema, so it must already
    # be exactly what the schema gives, in both languages.
    for answer in (data, _run(case, "zh-hans")):
        validated = AccessCheckOut.model_validate(answer).model_dump(mode="json")
        assert _as_the_api_sends_it(answer) == validated
    items = [item for activity in data["activities"] for item in activity["items"]]
    if "allowed" in expect:
        assert data["allowed"] == _word(expect["allowed"]), data["explanation"]["en"]
    if "classification" in expect:
        assert data["classification"] == expect["classification"]
    if "edition" in expect:
        assert data["edition"]["code"] == expect["edition"]
    if "item" in expect:
        numbers = [i["number"] for i in items if i["status"] in ("applies", "open")]
        assert expect["item"] in numbers, numbers
        if data["allowed"] == "no":
            broken = [i for i in items if i["allowed"] == "no"]
            if broken:
                assert expect["item"] in [i["number"] for i in broken]
    if "fix" in expect:
        fixes = [c["satisfied_by"] for i in items for c in i["conditions"] if c["met"] is False]
        assert any(expect["fix"] in fix for fix in fixes), fixes
    if "note" in expect:
        assert expect["note"] in [n["key"] for n in data["notes"] if n["broken"]], data["notes"]
    if "question" in expect:
        assert expect["question"] in [q["key"] for q in data["questions"]]
    if "warning" in expect:
        wanted = expect["warning"] if isinstance(expect["warning"], list) else [expect["warning"]]
        for words in wanted:
            assert any(words in w for w in data["warnings"]), data["warnings"]
    else:
        assert not data["warnings"] or case.get("date") is None
    if "uncertain" in expect:
        assert any(i["uncertain"] for i in items) == expect["uncertain"]
    if "other_place_allowed" in expect:
        other = [a for a in data["alternatives"] if a["kind"] == "other_place"]
        assert other and other[0]["allowed"] == _word(expect["other_place_allowed"])


def test_every_item_of_every_edition_has_a_case(access_data: Any) -> None:  # noqa: F811
    from onestop.access.models import Item

    covered: set[tuple[str, int]] = set()
    for param in CASES:
        case = param.values[0]
        expect = case["expect"]
        if "item" in expect:
            edition = expect.get("edition") or (
                "ftz-2020" if case.get("place") == "inside_ftz" else "national-2020"
            )
            covered.add((edition, expect["item"]))
    missing = [
        f"{item.edition.code} #{item.number}"
        for item in Item.objects.select_related("edition")
        if (item.edition.code, item.number) not in covered
    ]
    assert not missing, missing
