"""Demo register data: the two demo enterprises' full records, and a synthetic register.

- Demo Catering Co. (Chaoyang, 6210 restaurants): a small enterprise whose 2020 revenue fell by
  about 40 % against 2019 - the case the rent-relief and other pandemic measures are about.
- Demo Technology Co. (Haidian, 6513 application software): high-tech, Zhongguancun.
- ``SYNTHETIC_COUNT`` generated enterprises (fixed seed): districts, industries and sizes as
  ``generate.py`` draws them.

Idempotent: records and figures go through the register services, which write nothing when
nothing changed; the synthetic register is generated only when some of its enterprises are
missing (a second run adds nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from onestop.enterprises.clean import industry_sections
from onestop.enterprises.generate import generate_enterprises, synthetic_enterprises
from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.enterprises.services import enterprise_register_save, enterprise_year_save

SYNTHETIC_COUNT = 2000
SYNTHETIC_SEED = 2020

# credit code -> (register fields, {year: (employees, revenue, assets)}); money in 10,000 CNY.
DEMO_REGISTER: dict[str, tuple[dict[str, Any], dict[int, tuple[int, str, str]]]] = {
    "catering": (
        {
            "registered_on": dt.date(2016, 3, 18),
            "district": "110105",
            "industry_code": "6210",
            "ownership": "domestic",
            "registered_capital": "100",
            "tags": ["hard_hit"],
            "contact_name": "王芳",
            "contact_phone": "010-65001234",
            "contact_email": "owner@demo.onestop.invalid",
        },
        {2019: (28, "420.00", "180.00"), 2020: (22, "250.00", "170.00")},
    ),
    "tech": (
        {
            "registered_on": dt.date(2012, 9, 6),
            "district": "110108",
            "industry_code": "6513",
            "ownership": "domestic",
            "registered_capital": "1000",
            "tags": ["high_tech", "zhongguancun", "tech_sme"],
            "contact_name": "李明",
            "contact_phone": "010-82001234",
            "contact_email": "",
        },
        {2019: (45, "1800.00", "1500.00"), 2020: (52, "2300.00", "1900.00")},
    ),
}


def demo_register_load(credit_codes: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Yields (step, outcome) pairs. ``credit_codes``: demo enterprise key -> credit code."""
    for key, (fields, years) in DEMO_REGISTER.items():
        enterprise = Enterprise.objects.get(credit_code=credit_codes[key])
        before = enterprise.updated_at
        enterprise = enterprise_register_save(
            actor=None, credit_code=enterprise.credit_code, **fields
        )
        yield "register", "updated" if enterprise.updated_at != before else "unchanged"
        for year, (employees, revenue, assets) in years.items():
            existed = EnterpriseYear.objects.filter(enterprise=enterprise, year=year).first()
            row = enterprise_year_save(
                actor=None,
                enterprise=enterprise,
                year=year,
                employees=employees,
                operating_revenue=revenue,
                total_assets=assets,
            )
            if existed is None:
                yield "register_years", "created"
            elif existed.employees != row.employees or existed.operating_revenue != (
                row.operating_revenue
            ):
                yield "register_years", "updated"
            else:
                yield "register_years", "unchanged"
    codes = [
        record["credit_code"]
        for record, _years in synthetic_enterprises(
            SYNTHETIC_COUNT, SYNTHETIC_SEED, industry_sections()
        )
    ]
    present = Enterprise.objects.filter(credit_code__in=codes).count()
    if present == len(codes):
        yield "register_synthetic", "unchanged"
        return
    generate_enterprises(SYNTHETIC_COUNT, SYNTHETIC_SEED)
    for _ in range(len(codes) - present):
        yield "register_synthetic", "created"
