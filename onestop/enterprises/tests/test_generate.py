"""The synthetic register: valid codes, realistic shares, pandemic drop, sizes, idempotent."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from onestop.enterprises.generate import SECTORS, generate_enterprises
from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.enterprises.size import classify
from onestop.enterprises.validators import credit_code_problem

pytestmark = pytest.mark.usefixtures("industries")


def test_generated_register_looks_like_beijing() -> None:
    report = generate_enterprises(2000, seed=7, batch_size=700)
    assert report.count == 2000 and report.batches == 3
    enterprises = list(Enterprise.objects.all())
    assert len(enterprises) == 2000
    assert all(credit_code_problem(e.credit_code) is None for e in enterprises)
    assert all(e.credit_code[2:8] == e.district for e in enterprises)
    districts = Counter(e.district for e in enterprises)
    assert [d for d, _n in districts.most_common(2)] in (["110105", "110108"], ["110108", "110105"])
    assert districts["110119"] < districts["110105"] / 10  # Yanqing far smaller than Chaoyang
    assert len(districts) == 16
    sizes = Counter(e.size_class for e in enterprises)
    assert sizes["micro"] + sizes["small"] > 0.8 * 2000
    assert sizes["large"] > 0 and sizes["medium"] > sizes["large"]
    divisions = Counter(e.industry_division for e in enterprises)
    assert {"62", "52", "65", "72", "61", "87"} <= set(divisions)
    assert all(
        e.name_zh.startswith("北京") and e.name_en.startswith("Beijing ") for e in enterprises
    )


def test_sizes_are_those_of_the_size_function() -> None:
    generate_enterprises(300, seed=3)
    for enterprise in Enterprise.objects.all():
        latest = enterprise.years.order_by("-year").first()
        assert latest is not None
        expected, _basis = classify(
            enterprise.industry_code,
            employees=latest.employees,
            operating_revenue=latest.operating_revenue,
            total_assets=latest.total_assets,
            year=latest.year,
        )
        assert enterprise.size_class == expected
        assert enterprise.size_year == latest.year == 2020


def test_pandemic_sectors_lose_revenue_in_2020() -> None:
    generate_enterprises(1500, seed=11)
    hit = {s.code for s in SECTORS if s.pandemic}
    ratios: dict[bool, list[Decimal]] = {True: [], False: []}
    by_enterprise: dict[int, dict[int, Decimal]] = {}
    for row in EnterpriseYear.objects.select_related("enterprise"):
        assert row.operating_revenue is not None
        by_enterprise.setdefault(row.enterprise_id, {})[row.year] = row.operating_revenue
        by_enterprise[row.enterprise_id][0] = Decimal(int(row.enterprise.industry_code in hit))
    for years in by_enterprise.values():
        if 2019 in years and years[2019] > 0:
            ratios[bool(years[0])].append(years[2020] / years[2019])
    median_hit = sorted(ratios[True])[len(ratios[True]) // 2]
    median_rest = sorted(ratios[False])[len(ratios[False]) // 2]
    assert median_hit < Decimal("0.7") < median_rest
    assert sum(r < Decimal("0.7") for r in ratios[True]) > len(ratios[True]) / 2


def test_same_seed_twice_adds_nothing() -> None:
    generate_enterprises(200, seed=5)
    codes = set(Enterprise.objects.values_list("credit_code", flat=True))
    years = EnterpriseYear.objects.count()
    generate_enterprises(200, seed=5)
    assert set(Enterprise.objects.values_list("credit_code", flat=True)) == codes
    assert EnterpriseYear.objects.count() == years
    generate_enterprises(10, seed=6)
    assert Enterprise.objects.count() == 210


def test_every_sector_is_a_class_of_the_classification(industries: int) -> None:
    from onestop.access.models import IndustryClass

    codes = {s.code for s in SECTORS}
    assert (
        set(
            IndustryClass.objects.filter(code__in=codes, level="class").values_list(
                "code", flat=True
            )
        )
        == codes
    )
