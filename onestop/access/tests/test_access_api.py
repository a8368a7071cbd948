"""The access API: the check, the editions, the diff; 422s name their fields."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from onestop.access.models import Edition
from onestop.access.tests.negative_list_fixtures import (  # noqa: F401
    access_data,
    access_world,
    import_out_of_date_ftz,
    small_edition_data,
    small_item,
)

CHECK = "/api/v1/access/check"


def _post(client: Client, body: dict[str, Any], language: str = "en") -> Any:
    return client.post(
        CHECK,
        data=json.dumps(body),
        content_type="application/json",
        headers={"Accept-Language": language},
    )


def _fields(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_cinema_depends_then_allowed(client: Client, access_data: Any) -> None:  # noqa: F811
    body = {"activities": ["8760"], "foreign_share": 70, "date": "2021-06-01"}
    data = _post(client, body).json()
    assert data["allowed"] == "depends"
    assert data["questions"][0]["key"] == "film"
    assert data["activities"][0]["items"][0]["number"] == 31
    assert data["edition"]["code"] == "national-2020"
    assert data["alternatives"][0]["kind"] == "other_place"
    assert data["alternatives"][0]["edition"]["code"] == "ftz-2020"
    assert data["licence_reminder"]["url"]
    body["answers"] = {"film": "no"}
    data = _post(client, body).json()
    assert data["allowed"] == "yes"
    assert "院线" not in data["explanation"]["en"]
    assert data["explanation"]["zh"] and data["explanation"]["en"]


def test_over_the_cap_says_what_would_satisfy(client: Client, access_data: Any) -> None:  # noqa: F811
    body = {
        "activities": ["8810"],
        "foreign_share": 50,
        "date": "2021-06-01",
        "answers": {"performing_arts": "yes"},
    }
    data = _post(client, body).json()
    assert data["allowed"] == "no"
    condition = data["activities"][0]["items"][0]["conditions"][0]
    assert condition["met"] is False
    assert condition["satisfied_by"] == "at most 49 % foreign"
    chinese = _post(client, body, "zh-hans").json()
    assert "49" in chinese["activities"][0]["items"][0]["conditions"][0]["satisfied_by"]


def test_a_date_after_the_repeal_warns(client: Client, access_data: Any) -> None:  # noqa: F811
    body = {"activities": ["6210"], "foreign_share": 100, "place": "inside_ftz"}
    # Every shipped repeal has its successor loaded: inside the FTZ, 2021 follows 2020.
    data = _post(client, {**body, "date": "2023-03-01"}).json()
    assert data["allowed"] == "yes"
    assert data["edition"]["code"] == "ftz-2021"
    assert not data["warnings"]
    data = _post(client, body).json()  # today
    assert data["edition"]["code"] == "ftz-2021"
    assert not data["warnings"]
    # Outside the FTZ every national edition up to 2024 is loaded: no warning.
    data = _post(client, {**body, "place": "outside_ftz", "date": "2023-03-01"}).json()
    assert data["edition"]["code"] == "national-2021"
    assert not data["warnings"]
    data = _post(client, {**body, "place": "outside_ftz"}).json()  # today
    assert data["edition"]["code"] == "national-2024"
    assert not data["warnings"]
    # A (throwaway) FTZ edition repealed in 2031 by a successor that is not loaded: after the
    # repeal it still answers, with a warning naming the successor's decree.
    import_out_of_date_ftz()
    data = _post(client, {**body, "date": "2031-06-01"}).json()
    assert data["allowed"] == "yes"
    assert data["edition"]["code"] == "ftz-test"
    assert any("Decree No. 99" in w for w in data["warnings"])


def test_bad_input_names_the_field(client: Client, access_data: Any) -> None:  # noqa: F811
    base = {"activities": ["6210"], "foreign_share": 70, "date": "2021-06-01"}
    assert "body.foreign_share" in _fields(_post(client, {**base, "foreign_share": 101}))
    assert "body.foreign_share" in _fields(_post(client, {**base, "foreign_share": -1}))
    assert "body.single_share" in _fields(_post(client, {**base, "single_share": 80}))
    assert "body.form" in _fields(_post(client, {**base, "form": "trust"}))
    assert "body.date" in _fields(_post(client, {**base, "date": "2019-01-01"}))
    assert "body.activities" in _fields(_post(client, {**base, "activities": []}))
    unknown = _fields(_post(client, {**base, "activities": ["6210", "8769"]}))
    assert "8769" in unknown["body.activities.1"]
    assert "8760" in unknown["body.activities.1"]  # the closest code is suggested
    assert "body.answers.film" in _fields(
        _post(client, {**base, "activities": ["8760"], "answers": {"film": "maybe"}})
    )


def test_editions(client: Client, access_data: Any) -> None:  # noqa: F811
    listed = client.get("/api/v1/access/editions").json()
    assert {e["code"] for e in listed} == {
        "national-2020",
        "ftz-2020",
        "national-2021",
        "ftz-2021",
        "national-2024",
    }
    national = Edition.objects.get(code="national-2020")
    data = client.get(f"/api/v1/access/editions/{national.pk}").json()
    assert len(data["items"]) == 33
    assert data["items"][30]["key"] == "film"
    assert {"code": "8760", "coverage": "partial"} in data["items"][30]["industries"]
    later = Edition.objects.get(code="national-2021")
    data = client.get(f"/api/v1/access/editions/{later.pk}").json()
    assert len(data["items"]) == 31
    assert data["items"][28]["key"] == "film"
    ftz = Edition.objects.get(code="ftz-2021")
    data = client.get(f"/api/v1/access/editions/{ftz.pk}").json()
    assert len(data["items"]) == 27
    assert data["items"][24]["key"] == "film"
    assert data["items"][13]["key"] == "market_research"
    assert client.get("/api/v1/access/editions/987654").status_code == 404


def test_diff(client: Client, access_data: Any) -> None:  # noqa: F811
    data = client.get("/api/v1/access/diff?from=national-2020&to=ftz-2020").json()
    changes = {c["key"]: c["change"] for c in data["items"]}
    assert changes["fishing"] == changes["printing"] == changes["tcm"] == "removed"
    assert changes["seeds_wheat_corn"] == "relaxed"
    assert changes["film"] == "unchanged"
    assert data["counts"]["removed"] == 3
    assert {"code": "2311", "change": "removed", "items": ["printing"]} in data["industries"]
    back = client.get("/api/v1/access/diff?from=ftz-2020&to=national-2020").json()
    assert {c["key"]: c["change"] for c in back["items"]}["fishing"] == "added"
    later = client.get("/api/v1/access/diff?from=national-2020&to=national-2021").json()
    assert {c["key"] for c in later["items"] if c["change"] == "removed"} == {
        "auto",
        "sat_tv_receivers",
    }
    assert later["counts"]["removed"] == 2 and not later["counts"].get("added")
    ftz = client.get("/api/v1/access/diff?from=ftz-2020&to=ftz-2021").json()
    assert {c["key"] for c in ftz["items"] if c["change"] == "removed"} == {
        "auto",
        "sat_tv_receivers",
    }
    assert ftz["counts"]["removed"] == 2 and not ftz["counts"].get("added")
    moved = next(c for c in ftz["items"] if c["key"] == "social_survey")
    assert moved["change"] == "moved" and moved["direction"] == "relaxed"
    assert moved["moved_to"] == "market_research" and moved["moved_from"] is None
    # The other side of a moved item is the item that holds it there.
    assert moved["from_number"] == 17 and moved["to_number"] == 14
    assert {"code": "7249", "change": "relaxed", "items": ["market_research", "social_survey"]} in (
        ftz["industries"]
    )
    bad = client.get("/api/v1/access/diff?from=national-2099&to=ftz-2020")
    assert "query.from" in _fields(bad)
