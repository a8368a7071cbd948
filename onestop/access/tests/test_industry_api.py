"""The public industry API: search, sections, one node, and a 404 problem with suggestions."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("classification")

URL = "/api/v1/industries"


def test_search_gives_both_names_and_says_when_english_is_missing(client: Client):
    response = client.get(URL, {"q": "canyin", "limit": "3"})
    assert response.status_code == 200
    first, second = response.json()[:2]
    assert first == {
        "code": "62",
        "level": "division",
        "name": "餐饮业",
        "name_zh": "餐饮业",
        "name_en": "Catering Services",
        "name_en_missing": False,
        "name_en_source": "translation",
        "parent_code": "H",
    }
    assert second["code"] == "624"
    assert second["name_en"] == "" and second["name_en_missing"] is True
    assert len(response.json()) == 3


def test_names_follow_accept_language(client: Client):
    found = client.get(URL, {"q": "cy"}, headers={"Accept-Language": "en"}).json()
    by_code = {item["code"]: item for item in found}
    assert by_code["62"]["name"] == "Catering Services"
    assert by_code["6241"]["name"] == "餐饮配送服务"  # no English name: the Chinese one


def test_without_a_query_the_sections(client: Client):
    sections = client.get(URL).json()
    assert [s["code"] for s in sections][:3] == ["A", "B", "C"]
    assert len(sections) == 20


def test_a_bad_limit_is_a_validation_problem(client: Client):
    response = client.get(URL, {"q": "62", "limit": "500"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "query.limit"


def test_one_node_with_its_ancestors_and_children(client: Client):
    response = client.get(f"{URL}/876")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "876" and body["level"] == "group"
    assert [a["code"] for a in body["ancestors"]] == ["R", "87"]
    assert [c["code"] for c in body["children"]] == ["8760"]
    assert body["children"][0]["name_en_missing"] is True


def test_an_unknown_code_is_a_404_problem_with_the_closest_codes(client: Client):
    response = client.get(f"{URL}/8769", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "industry_not_found"
    assert body["status"] == 404
    assert body["instance"] == f"{URL}/8769"
    assert "8769" in body["title"]
    assert "8760" in body["detail"]
    assert [s["code"] for s in body["suggestions"]][:3] == ["8760", "8770", "8750"]
    assert {"name_zh", "name_en", "name_en_missing"} <= set(body["suggestions"][0])
