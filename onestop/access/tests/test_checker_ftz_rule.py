"""Which edition answers when an edition is out of date, tested with small throwaway editions:
every shipped repeal now has its successor loaded (the 2020 lists -> 2021, national 2021 ->
2024; the 2021 FTZ list and the 2024 national list have no repeal date), so these situations
no longer happen with the shipped data alone.

1. After an edition's repeal with no successor loaded, the checker answers from that edition
   with a warning naming the missing successor.
2. Inside a pilot FTZ, an out-of-date FTZ edition never gives a stricter answer than a
   national edition issued since (docs/access.md, "Which edition answers").

The throwaway editions lie in the future (2030-2032), after every shipped edition: a test FTZ
list in force 2030-01-01, repealed 2031-01-01 by a successor that is never loaded ("Decree No.
99"), capping car making (3611) at 50 %; a test national list issued on 2032-01-01 with only
a performing-arts item (8810, Chinese control).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onestop.access.services.checker import access_check
from onestop.access.services.checker_text import check_result_data
from onestop.access.services.negative_lists import edition_import
from onestop.access.tests.negative_list_fixtures import (  # noqa: F401
    access_data,
    access_world,
    import_out_of_date_ftz,
    small_edition_data,
    small_item,
)

NEVER_STRICTER = "a pilot free trade zone is never more restrictive than the national list"


@pytest.fixture
def out_of_date_ftz(access_data: Any) -> None:  # noqa: F811
    import_out_of_date_ftz()


@pytest.fixture
def national_since(out_of_date_ftz: None) -> None:
    edition_import(
        actor=None,
        data=small_edition_data(
            "national-test",
            "national",
            "2032-01-01",
            [small_item(1, "performing_arts", "8810", "chinese_control", 49)],
        ),
    )


def _check(code: str, share: int, on: dt.date, language: str = "en") -> dict[str, Any]:
    result = access_check(activities=[code], foreign_share=share, place="inside_ftz", date=on)
    return check_result_data(result, language)


def test_in_force_no_warning(out_of_date_ftz: None) -> None:
    data = _check("3611", 70, dt.date(2030, 6, 1))
    assert (data["edition"]["code"], data["allowed"], data["warnings"]) == ("ftz-test", "no", [])


def test_after_the_repeal_the_old_edition_answers_with_a_warning(out_of_date_ftz: None) -> None:
    data = _check("3611", 70, dt.date(2031, 6, 1))
    assert (data["edition"]["code"], data["allowed"]) == ("ftz-test", "no")
    assert len(data["warnings"]) == 1
    assert "Decree No. 99" in data["warnings"][0] and "2031-01-01" in data["warnings"][0]
    chinese = _check("3611", 70, dt.date(2031, 6, 1), "zh-hans")
    assert "第99号令" in chinese["warnings"][0]
    # The 2024 national list (allowing car making) was issued before the FTZ list's repeal:
    # it is not "issued since", so the FTZ answer stands.
    assert NEVER_STRICTER not in data["warnings"][0]


def test_a_national_list_issued_since_and_more_open_answers(national_since: None) -> None:
    data = _check("3611", 70, dt.date(2032, 6, 1))
    assert (data["edition"]["code"], data["allowed"]) == ("national-test", "yes")
    assert any("Decree No. 99" in w for w in data["warnings"])
    assert any(NEVER_STRICTER in w for w in data["warnings"])


def test_the_ftz_list_stands_where_it_is_more_open(national_since: None) -> None:
    # Performing arts: not in the test FTZ list, Chinese control in the test national list.
    data = _check("8810", 70, dt.date(2032, 6, 1))
    assert (data["edition"]["code"], data["allowed"]) == ("ftz-test", "yes")
    assert len(data["warnings"]) == 1 and "Decree No. 99" in data["warnings"][0]
    other = [a for a in data["alternatives"] if a["kind"] == "other_place"]
    assert other and other[0]["allowed"] == "no"


def test_the_shipped_ftz_list_is_up_to_date_so_the_rule_is_idle(access_data: Any) -> None:  # noqa: F811
    # Car making at 70 % inside a pilot FTZ on a 2022 date: the 2021 FTZ list answers itself.
    data = _check("3611", 70, dt.date(2022, 6, 1))
    assert (data["edition"]["code"], data["allowed"], data["warnings"]) == ("ftz-2021", "yes", [])
