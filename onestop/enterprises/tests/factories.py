"""Factories for register tests (also used by the policies tests).

``EnterpriseFactory`` writes the model directly (fast) with a valid credit code, a Chaoyang
catering business by default; ``size_class`` is whatever you pass (blank by default). To have the
size computed as the services do, call
``onestop.enterprises.services.enterprise_size_refresh(enterprise=...)`` after adding years.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.models import Enterprise, EnterpriseYear, Ownership


class EnterpriseFactory(factory.django.DjangoModelFactory[Enterprise]):
    """Use `.create()` / `.build()` (typed) rather than calling the class."""

    class Meta:
        model = Enterprise
        django_get_or_create = ("credit_code",)

    credit_code = factory.Sequence(lambda n: credit_code_from_number(900_000 + n))
    name_zh = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Enterprise {n} Co., Ltd.")
    registered_on = dt.date(2015, 6, 1)
    district = "110105"
    industry_code = "6210"
    industry_division = factory.LazyAttribute(lambda o: o.industry_code[:2])
    industry_section = "H"
    ownership = Ownership.DOMESTIC
    registered_capital = Decimal("100.00")
    tags = ""


class EnterpriseYearFactory(factory.django.DjangoModelFactory[EnterpriseYear]):
    """Use `.create()` / `.build()` (typed) rather than calling the class."""

    class Meta:
        model = EnterpriseYear
        django_get_or_create = ("enterprise", "year")

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2020
    employees = 8
    operating_revenue = Decimal("80.00")
    total_assets = Decimal("50.00")


def load_industry_classes() -> int:
    """Load the shipped GB/T 4754-2017 table into IndustryClass, fast (no search fields).

    The register checks industry codes against IndustryClass; tests that save or import
    register records call this first (the access tests' ``classification`` fixture does the
    full import with search fields, which takes longer). Returns the number of classes.
    """
    import csv
    from pathlib import Path

    from onestop.access.models import IndustryClass

    path = Path(__file__).parents[2] / "access" / "data" / "gbt4754_2017.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    known = dict(IndustryClass.objects.values_list("code", "pk"))
    for level in ("section", "division", "group", "class"):
        new = [
            IndustryClass(
                code=row["code"],
                level=level,
                parent_id=known.get(row["parent"]) if row["parent"] else None,
                name_zh=row["name_zh"],
                name_en=row["name_en"] or "",
            )
            for row in rows
            if row["level"] == level and row["code"] not in known
        ]
        IndustryClass.objects.bulk_create(new, batch_size=500)
        known = dict(IndustryClass.objects.values_list("code", "pk"))
    return IndustryClass.objects.filter(level="class").count()
