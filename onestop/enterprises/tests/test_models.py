"""Register model basics: generated credit codes are valid and distinct, tags, year rows."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.models import EnterpriseYear
from onestop.enterprises.tags import tags_from_db, tags_to_db
from onestop.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from onestop.enterprises.validators import credit_code_problem


@pytest.mark.parametrize("number", [0, 1, 30, 31, 999_999, 123_456_789, 31**8 - 1])
def test_generated_credit_codes_pass_the_checksum(number: int) -> None:
    assert credit_code_problem(credit_code_from_number(number)) is None


def test_generated_credit_codes_are_distinct() -> None:
    codes = {credit_code_from_number(n, district="110108") for n in range(5000)}
    assert len(codes) == 5000


def test_tags_round_trip_sorted_with_commas() -> None:
    stored = tags_to_db(["specialised", "high_tech", "high_tech"])
    assert stored == ",high_tech,specialised,"
    assert tags_from_db(stored) == ["high_tech", "specialised"]
    assert tags_to_db([]) == ""


@pytest.mark.django_db
def test_one_figures_row_per_enterprise_and_year() -> None:
    row = EnterpriseYearFactory.create(year=2019)
    EnterpriseYearFactory.create(enterprise=row.enterprise, year=2020)
    assert row.enterprise.years.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseYear.objects.create(enterprise=row.enterprise, year=2019)


@pytest.mark.django_db
def test_factory_enterprise_has_valid_code_and_tag_list() -> None:
    enterprise = EnterpriseFactory.create(tags=",gazelle,high_tech,")
    assert credit_code_problem(enterprise.credit_code) is None
    assert enterprise.tag_list == ["gazelle", "high_tech"]
