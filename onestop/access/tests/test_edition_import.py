"""Importing a negative-list edition: validated whole, all or nothing, idempotent."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from onestop.access.models import Edition, Item
from onestop.access.services.checker import access_check
from onestop.access.services.negative_lists import SHIPPED_DIR, edition_import
from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401
from onestop.core.errors import ValidationFailed
from onestop.core.models import AuditEntry

NATIONAL = SHIPPED_DIR / "negative_list_national_2020.json"


def _national() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NATIONAL.read_text(encoding="utf-8"))
    return data


def _fields(data: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        edition_import(actor=None, data=data)
    return {error.field: str(error.message) for error in caught.value.errors}


def test_shipped_editions_are_loaded(access_data: list[Edition]) -> None:  # noqa: F811
    national = Edition.objects.get(code="national-2020")
    ftz = Edition.objects.get(code="ftz-2020")
    assert national.items.count() == 33
    assert ftz.items.count() == 30
    assert national.decree_en == "NDRC and MOFCOM Decree No. 32"
    assert national.superseded_by["decree"]["en"] == "NDRC and MOFCOM Decree No. 47"
    film = national.items.get(number=31)
    assert {link.code: link.coverage for link in film.industries.all()}["8760"] == "partial"
    assert "院线" in film.question["text"]["zh"]
    later = Edition.objects.get(code="national-2021")
    assert later.items.count() == 31
    assert later.decree_en == "NDRC and MOFCOM Decree No. 47"
    assert (later.effective.isoformat(), later.repeal and later.repeal.isoformat()) == (
        "2022-01-01",
        "2024-11-01",
    )
    assert later.superseded_by["decree"]["en"] == "NDRC and MOFCOM Decree 2024 No. 23"
    assert not later.items.filter(key__in=["auto", "sat_tv_receivers"]).exists()
    assert later.items.get(number=29).key == "film"
    latest = Edition.objects.get(code="national-2024")
    assert latest.items.count() == 29
    assert latest.decree_en == "NDRC and MOFCOM Decree 2024 No. 23"
    assert (latest.effective.isoformat(), latest.repeal) == ("2024-11-01", None)
    assert not latest.items.filter(key__in=["printing", "tcm"]).exists()
    assert ftz.superseded_by["decree"]["en"] == "NDRC and MOFCOM Decree No. 48"
    ftz_later = Edition.objects.get(code="ftz-2021")
    assert ftz_later.items.count() == 27
    assert ftz_later.decree_en == "NDRC and MOFCOM Decree No. 48"
    assert (ftz_later.effective.isoformat(), ftz_later.repeal) == ("2022-01-01", None)
    assert ftz_later.superseded_by == {}
    gone = ["auto", "sat_tv_receivers", "social_survey"]
    assert not ftz_later.items.filter(key__in=gone).exists()
    surveys = ftz_later.items.get(key="market_research")
    assert {sub["key"] for sub in surveys.sub_measures} == {"audience", "social_survey"}
    assert surveys.uncertain


def test_reimporting_the_same_file_writes_nothing(access_data: Any) -> None:  # noqa: F811
    before = AuditEntry.objects.count()
    ids = list(Item.objects.values_list("id", flat=True))
    result = edition_import(actor=None, data=_national())
    assert result.outcome == "unchanged"
    assert AuditEntry.objects.count() == before
    assert list(Item.objects.values_list("id", flat=True)) == ids


def test_a_changed_file_replaces_the_items_and_the_checker_sees_it(
    access_data: Any,  # noqa: F811
) -> None:
    def allowed() -> str:
        return access_check(
            activities=["2311"], foreign_share=60, date=dt.date(2021, 6, 1)
        ).verdict.allowed

    assert allowed() == "no"  # printing: Chinese control
    data = _national()
    data["items"][5]["measure"] = "equity_cap"
    data["items"][5]["max_foreign_share"] = 70
    result = edition_import(actor=None, data=data)
    assert result.outcome == "updated"
    assert Item.objects.get(edition__code="national-2020", number=6).max_foreign_share == 70
    assert AuditEntry.objects.filter(action="access.edition_import").exists()
    assert allowed() == "yes"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["items"][0]["industries"].append({"code": "9999", "coverage": "full"}),
            "items.0.industries.3.code",
        ),
        (lambda d: d["items"][1].__setitem__("number", 1), "items.1.number"),
        (
            lambda d: d["items"][2].__setitem__("max_foreign_share", 120),
            "items.2.max_foreign_share",
        ),
        (
            lambda d: d["items"][2].__setitem__("max_foreign_share", "half"),
            "items.2.max_foreign_share",
        ),
        (lambda d: d["edition"].__setitem__("effective", "2020-13-01"), "edition.effective"),
        (lambda d: d["edition"].__setitem__("repeal", "2019-01-01"), "edition.repeal"),
        (lambda d: d["items"][30].pop("question"), "items.30.question"),
        (lambda d: d["items"][4]["summary"].pop("zh"), "items.4.summary.zh"),
        (lambda d: d["items"][4].__setitem__("measure", "forbidden"), "items.4.measure"),
        (lambda d: d.__setitem__("format", "other"), "format"),
    ],
    ids=[
        "unknown code",
        "duplicate number",
        "share above 100",
        "share not a number",
        "bad date",
        "repeal before effect",
        "partial coverage without question",
        "missing Chinese text",
        "unknown measure",
        "wrong format",
    ],
)
def test_a_bad_file_is_refused_whole(change: Any, field: str, access_data: Any) -> None:  # noqa: F811
    data = copy.deepcopy(_national())
    data["edition"]["code"] = "national-2020"
    data["items"][3]["summary"]["en"] = "CHANGED"  # a valid change that must not land
    change(data)
    before = AuditEntry.objects.count()
    fields = _fields(data)
    assert field in fields, fields
    assert Item.objects.get(edition__code="national-2020", number=4).summary_en != "CHANGED"
    assert AuditEntry.objects.count() == before


def test_every_error_is_listed_at_once(access_data: Any) -> None:  # noqa: F811
    data = _national()
    data["items"][0]["industries"][0]["code"] = "XX"
    data["items"][1]["number"] = 1
    data["items"][2]["max_foreign_share"] = -1
    assert {"items.0.industries.0.code", "items.1.number", "items.2.max_foreign_share"} <= set(
        _fields(data)
    )


def test_command_imports_and_refuses(access_data: Any, tmp_path: Path) -> None:  # noqa: F811
    call_command("import_edition", str(NATIONAL), verbosity=0)
    bad = _national()
    bad["items"][0]["number"] = 2
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(CommandError, match=r"items\.1\.number"):
        call_command("import_edition", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_edition", str(tmp_path / "missing.json"))
