"""The demo data set and its loader.

``demo_load()`` runs the steps in ``DEMO_STEPS`` in order, in one transaction. Each step reads
its facts from ``onestop/demo/data/`` (or from constants here), writes through the domain's
services (actor None = system load, one audit row per write) and is idempotent: it looks each
record up by its natural key (agency code, email, credit code) and only creates what is
missing or updates what changed, so a second run writes nothing.

To add demo data for a new domain, write ``def load_<thing>(ctx: DemoContext) -> None`` that
calls that domain's services and ``ctx.count(...)``, and append it to ``DEMO_STEPS`` after the
steps whose records it needs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import editions_import_shipped
from onestop.catalogue.importer import load_catalogue
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.models import Agency, User
from onestop.core.roles import InvestorKind, OfficerLevel, Role
from onestop.core.services import agency_create, agency_update
from onestop.demo.steps_domains import load_applications, load_policies, load_register
from onestop.enterprises.models import Enterprise, Membership, MembershipRole
from onestop.enterprises.services import enterprise_account_create, enterprise_member_add
from onestop.enterprises.validators import credit_code_check_character, credit_code_problem

DATA_DIR = Path(__file__).resolve().parent / "data"

# One password for every demo account. Demo data is refused when ONESTOP_ENV=production, so
# this well-known password can never guard a real deployment.
DEMO_PASSWORD = "onestop-demo-2020"
# .invalid is reserved (RFC 2606): mail to these addresses can never reach anyone.
DEMO_EMAIL_DOMAIN = "demo.onestop.invalid"


class DemoRefused(DomainError):
    def __init__(self) -> None:
        super().__init__(
            code="demo_refused_in_production",
            message=_(
                "Demo data (and its accounts with a published password) cannot be loaded "
                "when ONESTOP_ENV=production."
            ),
            status=403,
        )


def demo_allowed() -> bool:
    return getattr(settings, "ONESTOP_ENV", "demo") != "production"


def _refuse_in_production() -> None:
    if not demo_allowed():
        raise DemoRefused


# ----- the data set ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoEnterprise:
    """A made-up enterprise. The credit code's first 17 characters are invented (division
    code of the district + an organisation code); the check character is computed."""

    key: str
    code_17: str
    name_zh: str
    name_en: str

    @property
    def credit_code(self) -> str:
        return self.code_17 + credit_code_check_character(self.code_17)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str
    label: str  # what the account is, for the printed table
    agency: str = ""  # agency code
    officer_level: str = ""
    investor_kind: str = ""
    country: str = ""
    language: str = "zh-hans"
    enterprise: str = ""  # DemoEnterprise.key
    membership: str = ""  # MembershipRole
    superuser: bool = False


DEMO_ENTERPRISES = (
    # 110105 = Chaoyang District, 110108 = Haidian District (GB/T 2260).
    DemoEnterprise(
        "catering", "91110105MA0CATER1", "北京示范餐饮有限公司", "Demo Catering Co., Ltd."
    ),
    DemoEnterprise(
        "tech", "91110108MA0TECH01", "北京示范科技有限公司", "Demo Technology Co., Ltd."
    ),
)


def _email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


DEMO_ACCOUNTS = (
    DemoAccount(
        _email("owner"),
        "王芳",
        Role.ENTERPRISE,
        "Enterprise owner (Demo Catering Co., a restaurant SME)",
        enterprise="catering",
        membership=MembershipRole.OWNER,
    ),
    DemoAccount(
        _email("member"),
        "李强",
        Role.ENTERPRISE,
        "Enterprise member (Demo Catering Co.)",
        enterprise="catering",
        membership=MembershipRole.MEMBER,
    ),
    DemoAccount(
        _email("owner2"),
        "张伟",
        Role.ENTERPRISE,
        "Enterprise owner (Demo Technology Co.)",
        enterprise="tech",
        membership=MembershipRole.OWNER,
    ),
    DemoAccount(
        _email("investor"),
        "Anna Schmidt",
        Role.INVESTOR,
        "Foreign investor (company registered abroad)",
        investor_kind=InvestorKind.COMPANY,
        country="Germany",
        language="en",
    ),
    DemoAccount(
        _email("clerk"),
        "赵敏",
        Role.OFFICER,
        "Officer, clerk (district market regulation)",
        agency="bj_amr_district",
        officer_level=OfficerLevel.CLERK,
    ),
    DemoAccount(
        _email("reviewer"),
        "陈刚",
        Role.OFFICER,
        "Officer, reviewer (district market regulation)",
        agency="bj_amr_district",
        officer_level=OfficerLevel.REVIEWER,
    ),
    DemoAccount(
        _email("head"),
        "刘洋",
        Role.OFFICER,
        "Officer, head of agency (district market regulation)",
        agency="bj_amr_district",
        officer_level=OfficerLevel.HEAD,
    ),
    DemoAccount(
        _email("fire-clerk"),
        "孙丽",
        Role.OFFICER,
        "Officer, clerk (fire and rescue)",
        agency="bj_fire",
        officer_level=OfficerLevel.CLERK,
    ),
    DemoAccount(
        _email("manager"),
        "周杰",
        Role.SERVICE_MANAGER,
        "Service manager (looks after enterprises' requests)",
    ),
    DemoAccount(
        _email("steward"),
        "吴静",
        Role.DATA_STEWARD,
        "Data steward (municipal commerce bureau)",
        agency="bj_commerce",
    ),
    DemoAccount(
        _email("admin"),
        "郑涛",
        Role.CITY_ADMIN,
        "City administrator (also Django admin superuser)",
        superuser=True,
    ),
)


@cache
def demo_agencies() -> dict[str, Any]:
    """The agencies data file (facts copied from the shared data set, with their sources)."""
    with (DATA_DIR / "agencies.json").open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


# ----- the loader ------------------------------------------------------------------------


@dataclass
class DemoContext:
    """What the steps share: the password for new accounts and the tally of what they did."""

    password: str
    tally: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, step: str, outcome: str) -> None:
        """``outcome`` is ``created``, ``updated`` or ``unchanged``."""
        self.tally.setdefault(step, Counter())[outcome] += 1


LoaderStep = Callable[[DemoContext], None]


def demo_user_create(
    *,
    email: str,
    password: str,
    display_name: str,
    role: str,
    agency: Agency | None = None,
    officer_level: str = "",
    investor_kind: str = "",
    country: str = "",
    language: str = "zh-hans",
    superuser: bool = False,
) -> User:
    """Create a demo account: email already verified, role given directly. Demo only."""
    _refuse_in_production()
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            display_name=display_name,
            role=role,
            agency=agency,
            officer_level=officer_level,
            investor_kind=investor_kind,
            country=country,
            language=language,
            is_staff=superuser,
            is_superuser=superuser,
            email_verified_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action="user.create_demo",
            obj=user,
            changes={
                "email": user.email,
                "role": role,
                "agency": agency.code if agency else None,
                "officer_level": officer_level,
                "superuser": superuser,
            },
        )
    return user


AGENCY_DATA_FIELDS = ("name_zh", "name_en", "level")


def load_agencies(ctx: DemoContext) -> None:
    for record in demo_agencies()["agencies"]:
        fields = {name: record[name] for name in AGENCY_DATA_FIELDS}
        agency = Agency.objects.filter(code=record["code"]).first()
        if agency is None:
            agency_create(actor=None, code=record["code"], **fields)
            ctx.count("agencies", "created")
        elif any(getattr(agency, name) != value for name, value in fields.items()):
            agency_update(actor=None, agency=agency, **fields)
            ctx.count("agencies", "updated")
        else:
            ctx.count("agencies", "unchanged")


def load_users(ctx: DemoContext) -> None:
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={a.agency for a in DEMO_ACCOUNTS})
    }
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(email__iexact=account.email).exists():
            ctx.count("users", "unchanged")
            continue
        demo_user_create(
            email=account.email,
            password=ctx.password,
            display_name=account.display_name,
            role=account.role,
            agency=agencies[account.agency] if account.agency else None,
            officer_level=account.officer_level,
            investor_kind=account.investor_kind,
            country=account.country,
            language=account.language,
            superuser=account.superuser,
        )
        ctx.count("users", "created")


def load_enterprises(ctx: DemoContext) -> None:
    for spec in DEMO_ENTERPRISES:
        problem = credit_code_problem(spec.credit_code)
        if problem:  # the data set itself is wrong: stop loudly
            raise ValueError(f"demo enterprise {spec.key}: credit code {problem}")
        accounts = [a for a in DEMO_ACCOUNTS if a.enterprise == spec.key]
        users = {a.email: User.objects.get(email__iexact=a.email) for a in accounts}
        enterprise = Enterprise.objects.filter(credit_code=spec.credit_code).first()
        if enterprise is None:
            owner = next(a for a in accounts if a.membership == MembershipRole.OWNER)
            enterprise = enterprise_account_create(
                owner=users[owner.email],
                credit_code=spec.credit_code,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
            )
            ctx.count("enterprises", "created")
        else:
            ctx.count("enterprises", "unchanged")
        for account in accounts:
            user = users[account.email]
            if Membership.objects.filter(user=user, enterprise=enterprise).exists():
                continue
            enterprise_member_add(
                actor=None, enterprise=enterprise, user=user, role=account.membership
            )
            ctx.count("memberships", "created")


def load_industries(ctx: DemoContext) -> None:
    """GB/T 4754-2017, from the copy shipped in onestop/access/data: imported whole, and only
    what changed is written (a second run writes nothing)."""
    report = industries_import_file()
    tally = ctx.tally.setdefault("industries", Counter())
    for outcome, n in (
        ("created", len(report.created)),
        ("updated", len(report.updated)),
        ("unchanged", report.unchanged),
    ):
        if n:
            tally[outcome] += n


def load_negative_lists(ctx: DemoContext) -> None:
    """The 2020 national and FTZ negative lists shipped in onestop/access/data/negative_lists
    (needs the industries: item codes are checked against them). Unchanged files write nothing."""
    for result in editions_import_shipped():
        ctx.count("negative_list_editions", result.outcome)


DEMO_STEPS: list[tuple[str, LoaderStep]] = [
    ("agencies", load_agencies),
    ("users", load_users),
    ("enterprises", load_enterprises),
    ("industries", load_industries),
    ("negative_lists", load_negative_lists),
    ("catalogue", load_catalogue),
    ("register", load_register),
    ("policies", load_policies),
    ("applications", load_applications),
]


@dataclass
class DemoReport:
    tally: dict[str, Counter[str]]
    accounts: tuple[DemoAccount, ...]
    password: str


def demo_load(*, password: str = DEMO_PASSWORD) -> DemoReport:
    """Load (or top up) the whole demo data set in one transaction. Refused in production."""
    _refuse_in_production()
    ctx = DemoContext(password=password)
    with transaction.atomic():
        for _name, step in DEMO_STEPS:
            step(ctx)
    return DemoReport(tally=ctx.tally, accounts=DEMO_ACCOUNTS, password=password)
