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
