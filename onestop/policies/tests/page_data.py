"""Data for the policy page tests: a catering SME hit by the pandemic and two policies.

Everything goes through the services (the register's and the policy engine's), as in real use:
the enterprise's revenue fell 38 % from 2019 to 2020; "rent relief" needs a fall of at least
30 % (it qualifies), "deep-hit subsidy" needs at least 50 % (a near miss).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from onestop.core.models import Agency, User
from onestop.enterprises.models import Enterprise, MembershipRole
from onestop.enterprises.services import (
    enterprise_member_add,
    enterprise_register_save,
    enterprise_year_save,
)
from onestop.enterprises.tests.factories import load_industry_classes
from onestop.policies.models import Policy
from onestop.policies.services import policies_match_run, policy_publish, policy_save

CATERING_CODE = "91110105MA01ABCD13"

RENT_RELIEF_RULE = (
    "enterprise.industry_section == 'H'\n"
    "&& enterprise.size in ['micro', 'small', 'medium']\n"
    "&& enterprise.revenue_2020 <= enterprise.revenue_2019 * 0.7"
)
DEEP_HIT_RULE = (
    "enterprise.industry_section == 'H'\n"
    "&& enterprise.size in ['micro', 'small', 'medium']\n"
    "&& enterprise.revenue_2020 <= enterprise.revenue_2019 * 0.5"
)
LEGAL_BASIS = [
    {
        "title_zh": "北京市人民政府办公厅关于应对新型冠状病毒感染的肺炎疫情影响"
        "促进中小微企业持续健康发展的若干措施",
        "title_en": "Measures for SMEs responding to the COVID-19 outbreak (the 16 measures)",
        "number": "京政办发〔2020〕7号",  # noqa: RUF001
        "item": "一、2",
        "url": "",
    }
]


@dataclass
class Catering:
    enterprise: Enterprise
    rent_relief: Policy
    deep_hit: Policy


def catering_sme(*, owner: User, code: str = CATERING_CODE) -> Enterprise:
    """A small restaurant in Chaoyang whose revenue fell 38 % in 2020; ``owner`` owns it."""
    load_industry_classes()
    enterprise = enterprise_register_save(
        actor=None,
        credit_code=code,
        name_zh="北京示范餐饮有限公司",
        name_en="Demo Catering Co., Ltd.",
        industry_code="6210",
        district="110105",
        registered_on="2016-04-12",
        tags="hard_hit",
        contact_name="王丽",
        contact_phone="010-65001234",
    )
    enterprise_year_save(
        actor=None,
        enterprise=enterprise,
        year=2019,
        employees=40,
        operating_revenue="500",
        total_assets="300",
    )
    enterprise_year_save(
        actor=None,
        enterprise=enterprise,
        year=2020,
        employees=38,
        operating_revenue="310",
        total_assets="280",
    )
    if not enterprise.memberships.filter(user=owner).exists():
        enterprise_member_add(
            actor=None, enterprise=enterprise, user=owner, role=MembershipRole.OWNER
        )
    enterprise.refresh_from_db()
    return enterprise


def policy_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title_zh": "餐饮企业房租减免",
        "title_en": "Rent relief for catering SMEs",
        "summary_zh": "受疫情影响、营业收入下降三成以上的中小微餐饮住宿企业，免收房租。",  # noqa: RUF001
        "summary_en": "Catering and accommodation SMEs whose revenue fell by at least 30 % "
        "pay no rent for three months.",
        "rule": RENT_RELIEF_RULE,
        "benefit_formula": "",
        "benefit_unit": "",
        "benefit_note_zh": "免收3个月房租",
        "benefit_note_en": "Three months' rent waived",
        "takeup_mode": "automatic",
        "budget": None,
        "valid_from": dt.date(2020, 2, 1),
        "valid_to": None,
    }
    values.update(overrides)
    return values


def published_policies(*, agency: Agency, officer: User | None = None) -> tuple[Policy, Policy]:
    """The rent relief (qualifies) and the deep-hit subsidy (near miss), published and run."""
    rent = policy_save(
        actor=officer,
        policy=None,
        code="rent-relief",
        agency=agency,
        legal_basis=LEGAL_BASIS,
        **policy_values(),
    )
    deep = policy_save(
        actor=officer,
        policy=None,
        code="deep-hit-subsidy",
        agency=agency,
        legal_basis=LEGAL_BASIS,
        **policy_values(
            title_zh="重点受困企业补贴",
            title_en="Subsidy for the hardest-hit enterprises",
            summary_zh="营业收入下降一半以上的中小微餐饮住宿企业，给予一次性补贴。",  # noqa: RUF001
            summary_en="A one-off subsidy for catering and accommodation SMEs whose revenue "
            "fell by half or more.",
            rule=DEEP_HIT_RULE,
            benefit_note_zh="一次性补贴",
            benefit_note_en="A one-off subsidy",
            takeup_mode="apply",
        ),
    )
    for policy in (rent, deep):
        policy_publish(actor=officer, policy=policy)
    policies_match_run(actor=None)
    rent.refresh_from_db()
    deep.refresh_from_db()
    return rent, deep
