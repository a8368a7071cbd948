"""Register services: save a record and a year's figures, field errors, size recomputed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from onestop.conftest import Cast
from onestop.core.errors import ValidationFailed
from onestop.core.models import AuditEntry
from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.enterprises.selectors import enterprise_latest_year
from onestop.enterprises.services import enterprise_register_save, enterprise_year_save

pytestmark = pytest.mark.usefixtures("industries")

CODE = credit_code_from_number(4242, district="110105")


def _errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


def test_create_record_derives_industry_division_and_section() -> None:
    enterprise = enterprise_register_save(
        actor=None,
        credit_code=CODE.lower(),
        name_zh="示范餐饮有限公司",
        name_en="Demo Catering Co., Ltd.",
        industry_code="6210",
        district="朝阳区",
        ownership="外商投资",
        registered_capital="1,200.5",
        tags="high_tech、specialised",
        registered_on="2015/06/01",
    )
    enterprise.refresh_from_db()
    assert enterprise.credit_code == CODE
    assert (enterprise.industry_code, enterprise.industry_division) == ("6210", "62")
    assert enterprise.industry_section == "H"
    assert enterprise.district == "110105"
    assert enterprise.ownership == "foreign"
    assert enterprise.registered_capital == Decimal("1200.50")
    assert enterprise.tags == ",high_tech,specialised,"
    assert enterprise.size_class == ""
    assert enterprise.size_basis["rule"] == "no_figures"
    assert AuditEntry.objects.filter(action="enterprise.register_save").count() == 1


def test_years_are_kept_apart_and_size_follows_the_latest_year() -> None:
    enterprise = enterprise_register_save(
        actor=None, credit_code=CODE, name_zh="示范餐饮", industry_code="6210"
    )
    enterprise_year_save(
        actor=None,
        enterprise=enterprise,
        year=2019,
        employees=40,
        operating_revenue="900",
        total_assets="300",
    )
    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.size_year) == ("small", 2019)
    enterprise_year_save(
        actor=None,
        enterprise=enterprise,
        year=2020,
        employees=8,
        operating_revenue="80",
        total_assets="200",
    )
    enterprise.refresh_from_db()
    assert (enterprise.size_class, enterprise.size_year) == ("micro", 2020)
    assert enterprise.size_basis["checks"] == [
        ["employees", "<", 10, 8],
        ["operating_revenue", "<", 100, 80],
    ]
    years = {r.year: r for r in EnterpriseYear.objects.filter(enterprise=enterprise)}
    assert years[2019].employees == 40 and years[2019].operating_revenue == Decimal("900.00")
    assert years[2020].employees == 8
    # Re-saving 2019 changes only 2019; the size still follows 2020.
    enterprise_year_save(
        actor=None,
        enterprise=enterprise,
        year=2019,
        employees=41,
        operating_revenue="901",
        total_assets=None,
    )
    assert EnterpriseYear.objects.get(enterprise=enterprise, year=2020).employees == 8
    assert EnterpriseYear.objects.get(enterprise=enterprise, year=2019).employees == 41
    enterprise.refresh_from_db()
    assert enterprise.size_year == 2020
    latest = enterprise_latest_year(enterprise)
    assert latest is not None and latest.year == 2020


def test_industry_change_recomputes_the_size() -> None:
    enterprise = enterprise_register_save(
        actor=None, credit_code=CODE, name_zh="示范", industry_code="6210"
    )
    enterprise_year_save(
        actor=None,
        enterprise=enterprise,
        year=2020,
        employees=15,
        operating_revenue="60",
        total_assets="10",
    )
    enterprise.refresh_from_db()
    assert enterprise.size_class == "micro"  # catering: revenue 60 < 100
    enterprise_register_save(actor=None, credit_code=CODE, industry_code="6513")
    enterprise.refresh_from_db()
    assert enterprise.size_class == "small"  # software: 15 >= 10 and 60 >= 50
    assert enterprise.size_basis["group"] == "software_it"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"credit_code": "91110105MA01ABCD14"}, "credit_code", "invalid_credit_code"),
        ({"industry_code": "9999"}, "industry_code", "unknown_industry"),
        ({"industry_code": "62"}, "industry_code", "unknown_industry"),
        ({"district": "310101"}, "district", "unknown_district"),
        ({"tags": "high_tech,unicorn"}, "tags", "unknown_tag"),
        ({"registered_on": "2015-13-01"}, "registered_on", "invalid_date"),
        ({"registered_capital": "-5"}, "registered_capital", "negative"),
        ({"registered_capital": "lots"}, "registered_capital", "invalid_number"),
        ({"contact_email": "not-an-address"}, "contact_email", "invalid_email"),
        ({"ownership": "state"}, "ownership", "unknown_ownership"),
        ({"colour": "red"}, "colour", "invalid"),
    ],
)
def test_bad_register_values_name_the_field(fields: dict[str, str], field: str, code: str) -> None:
    arguments = {"credit_code": CODE, "name_zh": "示范", **fields}
    with pytest.raises(ValidationFailed) as exc:
        enterprise_register_save(actor=None, **arguments)
    assert _errors(exc) == {field: code}
    assert not Enterprise.objects.filter(credit_code=CODE).exists()


def test_new_record_needs_a_chinese_name() -> None:
    with pytest.raises(ValidationFailed) as exc:
        enterprise_register_save(actor=None, credit_code=CODE, industry_code="6210")
    assert _errors(exc) == {"name_zh": "required"}


@pytest.mark.parametrize(
    ("figures", "field", "code"),
    [
        ({"employees": -1}, "employees", "negative"),
        ({"employees": "3.5"}, "employees", "invalid_number"),
        ({"operating_revenue": "-0.01"}, "operating_revenue", "negative"),
        ({"total_assets": "12abc"}, "total_assets", "invalid_number"),
        ({"year": 1989}, "year", "year_out_of_range"),
        ({"year": 2999}, "year", "year_out_of_range"),
        ({"year": "20x0"}, "year", "invalid_year"),
    ],
)
def test_bad_figures_name_the_field_and_write_nothing(
    figures: dict[str, object], field: str, code: str
) -> None:
    enterprise = enterprise_register_save(
        actor=None, credit_code=CODE, name_zh="示范", industry_code="6210"
    )
    arguments: dict[str, object] = {
        "year": 2020,
        "employees": 5,
        "operating_revenue": "10",
        "total_assets": "10",
        **figures,
    }
    with pytest.raises(ValidationFailed) as exc:
        enterprise_year_save(actor=None, enterprise=enterprise, **arguments)  # type: ignore[arg-type]
    assert _errors(exc) == {field: code}
    assert not EnterpriseYear.objects.filter(enterprise=enterprise).exists()


def test_only_data_stewards_and_city_admins_write(cast: Cast) -> None:
    for name in ("owner", "officer_a", "investor"):
        with pytest.raises(PermissionDenied):
            enterprise_register_save(
                actor=cast.member(name), credit_code=CODE, name_zh="示范", industry_code="6210"
            )
    saved = enterprise_register_save(
        actor=cast.city_admin, credit_code=CODE, name_zh="示范", industry_code="6210"
    )
    assert saved.pk is not None
