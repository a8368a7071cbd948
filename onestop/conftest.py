"""Fixtures every test can use: immediate tasks, fast hashing, uploads kept in a temporary
folder (never ./var/private), and the named cast of users.

The cast (reused by every permission test):
- ``owner``        an enterprise owner (enterprise A)
- ``other_member`` a member of another enterprise (enterprise B)
- ``officer_a``    a clerk of agency A
- ``officer_b``    a clerk of agency B
- ``anonymous``    nobody signed in (None)
- ``city_admin``   a city administrator
- ``investor``     a foreign investor (company abroad)
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.utils import timezone, translation

from onestop.core.models import Agency, User
from onestop.core.roles import InvestorKind, OfficerLevel, Role
from onestop.enterprises.models import Enterprise, Membership, MembershipRole

CAST_PASSWORD = "correct-horse-battery-staple"

# Property tests check behaviour, not speed (speed is for the benchmarks): no per-example
# deadline, which a busy machine (CI beside other work) would otherwise trip at random.
hypothesis.settings.register_profile("onestop", deadline=None)
hypothesis.settings.load_profile("onestop")


@pytest.fixture(scope="session")
def _private_media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("private-media")


@pytest.fixture(autouse=True)
def _language_of_the_site() -> Iterator[None]:
    """Each test starts (and leaves) in the site's default language: a request activates the
    reader's language in the thread and leaves it there, which would make a later test's
    messages depend on which test ran before it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, _private_media_dir: Path) -> None:
    settings.ONESTOP_PRIVATE_MEDIA_ROOT = _private_media_dir
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "http://testserver"


def make_user(
    email: str, role: str, *, agency: Agency | None = None, verified: bool = True, **extra: Any
) -> User:
    return User.objects.create_user(
        email,
        CAST_PASSWORD,
        display_name=extra.pop("display_name", email.split("@")[0]),
        role=role,
        agency=agency,
        email_verified_at=timezone.now() if verified else None,
        **extra,
    )


@dataclass
class Cast:
    agency_a: Agency
    agency_b: Agency
    enterprise_a: Enterprise
    enterprise_b: Enterprise
    owner: User
    other_member: User
    officer_a: User
    officer_b: User
    city_admin: User
    investor: User
    anonymous: None = None

    NAMES = (
        "owner",
        "other_member",
        "officer_a",
        "officer_b",
        "city_admin",
        "investor",
        "anonymous",
    )

    def member(self, name: str) -> User | None:
        return getattr(self, name)


def build_cast() -> Cast:
    agency_a = Agency.objects.create(code="agency-a", name_zh="甲局", name_en="Agency A")
    agency_b = Agency.objects.create(code="agency-b", name_zh="乙局", name_en="Agency B")
    enterprise_a = Enterprise.objects.create(
        credit_code="91110105MA01ABCD13", name_zh="甲公司", name_en="Company A"
    )
    enterprise_b = Enterprise.objects.create(
        credit_code="91110108MA02EFGH2T", name_zh="乙公司", name_en="Company B"
    )
    owner = make_user("owner@example.com", Role.ENTERPRISE)
    Membership.objects.create(user=owner, enterprise=enterprise_a, role=MembershipRole.OWNER)
    other = make_user("member-b@example.com", Role.ENTERPRISE)
    Membership.objects.create(user=other, enterprise=enterprise_b, role=MembershipRole.MEMBER)
    return Cast(
        agency_a=agency_a,
        agency_b=agency_b,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        owner=owner,
        other_member=other,
        officer_a=make_user(
            "officer-a@example.com", Role.OFFICER, agency=agency_a, officer_level=OfficerLevel.CLERK
        ),
        officer_b=make_user(
            "officer-b@example.com", Role.OFFICER, agency=agency_b, officer_level=OfficerLevel.CLERK
        ),
        city_admin=make_user("admin@example.com", Role.CITY_ADMIN),
        investor=make_user(
            "investor@example.com", Role.INVESTOR, investor_kind=InvestorKind.COMPANY
        ),
    )


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


def _append_only_migration() -> Any:
    return importlib.import_module("onestop.core.migrations.0002_audit_append_only")


@pytest.fixture
def _audit_log_append_only_again(django_db_blocker: Any) -> Iterator[None]:
    """Torn down after the database is emptied: puts the audit log's guard triggers back."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            _append_only_migration().forwards(None, editor)
        # Leave no connection open once the database is blocked again.
        connection.close()


@pytest.fixture
def transactional_db(_audit_log_append_only_again: None, transactional_db: None) -> Iterator[None]:
    """pytest-django's transactional_db, able to empty the append-only audit log afterwards.

    Live-server tests commit for real, so pytest-django empties every table after each test;
    the audit log's triggers refuse that. They are lifted for the clean-up only.
    """
    yield
    from django.db import connection

    with connection.schema_editor() as editor:
        _append_only_migration().backwards(None, editor)
