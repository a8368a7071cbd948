"""Size class under the 2011 SME standard: every industry group's boundaries, from the data file.

Each case is built from data/sme_size_thresholds_2011.json (not from the code under test): for
every group, tier (large, medium, small) and indicator, the indicator exactly at the tier's bound,
one unit above and one unit below, with the group's other indicators held exactly at the tier's
bounds; then the OR rule for micro and the AND rule for the tiers above it.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from onestop.enterprises.size import DATA_FILE, basis_text, classify, industry_group

DATA = json.loads(DATA_FILE.read_text("utf-8"))
INDUSTRIES = DATA["sme_2011"]["industries"]
TIER_BLOCK = {"large": "sme_ceiling", "medium": "medium", "small": "small"}
TIER_BELOW = {"large": "medium", "medium": "small", "small": "micro"}
CLASSIFICATION_CSV = Path(__file__).parents[2] / "access" / "data" / "gbt4754_2017.csv"


def _bounds(industry: dict[str, Any], tier: str) -> dict[str, int]:
    return {c["indicator"]: c["value"] for c in industry[TIER_BLOCK[tier]]["conditions"]}


def _sample_code(industry: dict[str, Any]) -> str:
    """A GB/T 4754-2017 class code the file places in this group."""
    codes = industry["gbt4754_2017"]
    if codes.get("classes"):
        return str(codes["classes"][0])
    if codes.get("groups"):
        return str(codes["groups"][0]) + "0"
    division = next(d for d in codes["divisions"] if d not in codes.get("excludes", []))
    with CLASSIFICATION_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "class" and row["code"].startswith(division):
                if row["code"][:3] in {"591"} and industry["id"] == "warehousing":
                    continue
                return row["code"]
    raise AssertionError(f"no class found for {industry['id']}")


def _figures(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "employees": values.get("employees"),
        "operating_revenue": values.get("operating_revenue"),
        "total_assets": values.get("total_assets"),
    }


def _boundary_cases() -> list[Any]:
    cases = []
    for industry in INDUSTRIES:
        code = _sample_code(industry)
        for tier in ("large", "medium", "small"):
            bounds = _bounds(industry, tier)
            for indicator, bound in bounds.items():
                money = indicator != "employees"
                steps: list[tuple[str, Any, str]] = [
                    ("at", bound, tier),
                    ("one_above", bound + 1, tier),
                    ("one_below", bound - 1, TIER_BELOW[tier]),
                ]
                if money:
                    steps.append(("cent_below", Decimal(bound) - Decimal("0.01"), TIER_BELOW[tier]))
                for label, value, expected in steps:
                    figures = dict(bounds)
                    figures[indicator] = value
                    cases.append(
                        pytest.param(
                            code,
                            _figures(figures),
                            expected,
                            id=f"{industry['id']}-{tier}-{indicator}-{label}",
                        )
                    )
    return cases


@pytest.mark.parametrize(("code", "figures", "expected"), _boundary_cases())
def test_boundaries_of_every_industry_group(
    code: str, figures: dict[str, Any], expected: str
) -> None:
    size, basis = classify(code, year=2020, **figures)
    assert size == expected, basis


def test_one_unit_below_stays_within_the_tier_below() -> None:
    """Precondition of the boundary cases: a tier's bound minus one still meets the lower
    tier's bound for that indicator (so "one below" drops exactly one tier)."""
    for industry in INDUSTRIES:
        for tier, below in (("large", "medium"), ("medium", "small")):
            upper, lower = _bounds(industry, tier), _bounds(industry, below)
            for indicator in upper:
                assert upper[indicator] - 1 >= lower[indicator], (industry["id"], indicator)


def _two_indicator_industries() -> list[Any]:
    return [
        pytest.param(industry, id=industry["id"])
        for industry in INDUSTRIES
        if len(industry["indicators"]) == 2
    ]


@pytest.mark.parametrize("industry", _two_indicator_industries())
def test_micro_needs_only_one_indicator_under_the_small_bound(industry: dict[str, Any]) -> None:
    first, second = industry["indicators"]
    large, small = _bounds(industry, "large"), _bounds(industry, "small")
    for low, high in ((first, second), (second, first)):
        figures = {low: small[low] - 1, high: large[high] * 10}
        size, basis = classify(_sample_code(industry), year=2020, **_figures(figures))
        assert size == "micro"
        assert basis["rule"] == "any_below"
        assert [c[0] for c in basis["checks"]] == [low]


@pytest.mark.parametrize("industry", _two_indicator_industries())
def test_large_needs_every_indicator_at_the_ceiling(industry: dict[str, Any]) -> None:
    """Under the ceiling on ANY indicator keeps an enterprise an SME (the 2011 OR rule)."""
    first, second = industry["indicators"]
    large, medium = _bounds(industry, "large"), _bounds(industry, "medium")
    size, _basis = classify(
        _sample_code(industry),
        year=2020,
        **_figures({first: large[first] * 5, second: large[second] - 1}),
    )
    assert size == "medium"
    size, basis = classify(
        _sample_code(industry),
        year=2020,
        **_figures({first: large[first], second: large[second]}),
    )
    assert size == "large"
    assert basis["rule"] == "all_at_least"
    assert {c[0] for c in basis["checks"]} == {first, second}
    assert medium[first] < large[first]


@pytest.mark.parametrize("industry", INDUSTRIES, ids=[i["id"] for i in INDUSTRIES])
def test_2011_standard_and_2017_statistical_table_agree(industry: dict[str, Any]) -> None:
    stats = {i["id"]: i for i in DATA["statistical_2017"]["industries"]}[industry["id"]]
    assert stats["gbt4754_2017"] == industry["gbt4754_2017"]
    for row in stats["thresholds"]:
        indicator = row["indicator"]
        assert row["large"]["min"] == _bounds(industry, "large")[indicator]
        assert row["medium"]["min"] == _bounds(industry, "medium")[indicator]
        assert row["small"]["min"] == _bounds(industry, "small")[indicator]
        assert row["micro"]["max_exclusive"] == _bounds(industry, "small")[indicator]


def test_every_class_of_the_classification_is_placed_once() -> None:
    """Each GB/T 4754-2017 class falls in exactly one group, or in the not-covered list."""
    not_covered = DATA["sme_2011"]["not_covered"]
    with CLASSIFICATION_CSV.open(encoding="utf-8") as handle:
        classes = [row["code"] for row in csv.DictReader(handle) if row["level"] == "class"]
    assert len(classes) > 1000
    for code in classes:
        group = industry_group(code)
        uncovered = code[:2] in not_covered["divisions"] or code in not_covered["classes"]
        assert (group is None) == uncovered, code


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("6210", "catering"),  # 正餐服务
        ("6110", "accommodation"),  # 旅游饭店
        ("7291", "leasing_business_services"),  # 旅行社
        ("8760", "other_unlisted"),  # 电影放映
        ("5910", "transport"),  # 装卸搬运 (591 with transport)
        ("5920", "warehousing"),  # 通用仓储
        ("7010", "real_estate_development"),
        ("7020", "property_management"),
        ("7030", "other_unlisted"),
        ("7040", None),  # own-property leasing: not covered
        ("5311", None),  # railway
        ("6621", None),  # banking
        ("6513", "software_it"),
        ("0111", "agriculture"),
        ("3011", "industry"),
        ("4710", "construction"),
        ("5110", "wholesale"),
        ("5211", "retail"),
        ("6010", "postal"),
        ("6311", "information_transmission"),
    ],
)
def test_known_classes_map_to_their_group(code: str, group: str | None) -> None:
    assert industry_group(code) == group


def test_missing_figure_leaves_the_class_open_unless_micro_is_certain() -> None:
    size, basis = classify(
        "6210", year=2020, employees=50, operating_revenue=None, total_assets=None
    )
    assert size == ""
    assert basis["missing"] == ["operating_revenue"]
    size, basis = classify(
        "6210", year=2020, employees=5, operating_revenue=None, total_assets=None
    )
    assert size == "micro"


def test_not_covered_and_no_industry() -> None:
    assert classify("6621", employees=5, operating_revenue=1, total_assets=1)[1]["rule"] == (
        "not_covered"
    )
    assert classify("", employees=5, operating_revenue=1, total_assets=1) == (
        "",
        {"group": None, "year": None, "size": "", "rule": "no_industry"},
    )


def test_the_deciding_rule_reads_well_in_both_languages() -> None:
    _size, micro = classify(
        "6210", year=2020, employees=8, operating_revenue=Decimal("80.00"), total_assets=None
    )
    with translation.override("en"):
        text = basis_text(micro)
    assert text.startswith("Micro: Catering, 2020 figures:")
    assert "employees 8 < 10 persons" in text
    assert "operating revenue 80 < 100 (10,000 CNY)" in text
    with translation.override("zh-hans"):
        assert "餐饮业" in basis_text(micro)

    _size, small = classify(
        "6210", year=2020, employees=25, operating_revenue=Decimal("150.5"), total_assets=None
    )
    with translation.override("en"):
        text = basis_text(small)
    assert text.startswith("Small: Catering, 2020 figures: employees 25 ≥ 10 persons")
    assert "operating revenue 150.5 ≥ 100" in text
    assert "Not one tier higher because employees 25 < 100 persons" in text
