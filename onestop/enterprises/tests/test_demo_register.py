"""Demo register: the two demo enterprises' records and a synthetic register, idempotent."""

from __future__ import annotations

import pytest

from onestop.core.models import AuditEntry
from onestop.demo.services import DEMO_ENTERPRISES
from onestop.enterprises.demo import SYNTHETIC_COUNT, demo_register_load
from onestop.enterprises.models import Enterprise, EnterpriseYear

pytestmark = pytest.mark.usefixtures("industries")


@pytest.fixture
def codes() -> dict[str, str]:
    for spec in DEMO_ENTERPRISES:
        Enterprise.objects.create(
            credit_code=spec.credit_code, name_zh=spec.name_zh, name_en=spec.name_en
        )
    return {spec.key: spec.credit_code for spec in DEMO_ENTERPRISES}


def test_demo_enterprises_get_full_records(codes: dict[str, str]) -> None:
    tally = list(demo_register_load(codes))
    catering = Enterprise.objects.get(credit_code=codes["catering"])
    assert (catering.industry_code, catering.district) == ("6210", "110105")
    assert catering.size_class in {"small", "micro"} and catering.size_year == 2020
    revenue = {y.year: y.operating_revenue or 0 for y in catering.years.all()}
    assert revenue[2020] < revenue[2019] * 7 / 10  # down by more than 30 %
    tech = Enterprise.objects.get(credit_code=codes["tech"])
    assert tech.district == "110108" and "high_tech" in tech.tag_list
    assert tech.industry_section == "I"
    assert Enterprise.objects.count() == 2 + SYNTHETIC_COUNT
    assert tally.count(("register_synthetic", "created")) == SYNTHETIC_COUNT


def test_second_run_adds_and_writes_nothing(codes: dict[str, str]) -> None:
    list(demo_register_load(codes))
    enterprises, years = Enterprise.objects.count(), EnterpriseYear.objects.count()
    audit = AuditEntry.objects.count()
    tally = list(demo_register_load(codes))
    assert {outcome for _step, outcome in tally} == {"unchanged"}
    assert (Enterprise.objects.count(), EnterpriseYear.objects.count()) == (enterprises, years)
    assert AuditEntry.objects.count() == audit
