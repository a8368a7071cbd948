"""The demo data set: complete (every role), correct (valid codes, sourced facts), idempotent."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from onestop.core.models import Agency, AuditEntry, User
from onestop.core.roles import AGENCY_ROLES, OfficerLevel, Role
from onestop.demo import services
from onestop.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoRefused, demo_load
from onestop.enterprises.models import Enterprise, Membership, MembershipRole
from onestop.enterprises.validators import credit_code_problem

pytestmark = pytest.mark.django_db


def model_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


def test_loading_twice_changes_nothing_the_second_time():
    demo_load()
    after_first = model_counts()
    audit_first = list(AuditEntry.objects.values_list("id", flat=True))
    report = demo_load()
    assert model_counts() == after_first
    # No duplicate objects and no audit noise: the second run wrote nothing at all.
    assert list(AuditEntry.objects.values_list("id", flat=True)) == audit_first
    assert {"agencies", "users", "enterprises", "catalogue"} <= set(report.tally)
    for tally in report.tally.values():
        assert set(tally) == {"unchanged"}


def test_first_load_writes_one_audit_row_per_object():
    report = demo_load()
    assert report.tally["agencies"]["created"] == 25
    # The policy files add the issuing agencies the agency list lacks, each with its own row.
    assert AuditEntry.objects.filter(action="agency.create").count() == Agency.objects.count()
    assert report.tally["users"]["created"] == User.objects.count() == len(DEMO_ACCOUNTS)
    assert AuditEntry.objects.filter(action="user.create_demo").count() == len(DEMO_ACCOUNTS)
    assert AuditEntry.objects.filter(action="enterprise.create").count() == 2
    assert AuditEntry.objects.filter(action="enterprise.member_add").count() == 1
    system_rows = AuditEntry.objects.filter(action__in=["agency.create", "user.create_demo"])
    assert not system_rows.exclude(actor=None).exists()


def test_a_changed_data_file_updates_the_agency_once(monkeypatch):
    demo_load()
    data = json.loads(json.dumps(services.demo_agencies()))
    data["agencies"][0]["name_en"] = "Renamed agency"
    monkeypatch.setattr(services, "demo_agencies", lambda: data)
    report = demo_load()
    assert report.tally["agencies"]["updated"] == 1
    assert Agency.objects.get(code=data["agencies"][0]["code"]).name_en == "Renamed agency"
    assert AuditEntry.objects.filter(action="agency.update").count() == 1
    demo_load()
    assert AuditEntry.objects.filter(action="agency.update").count() == 1


def test_every_role_has_a_verified_demo_user_with_the_demo_password():
    demo_load()
    users = User.objects.filter(email__endswith="@demo.onestop.invalid")
    assert {u.role for u in users} == set(Role.values)
    for user in users:
        assert user.email_verified
        assert user.is_active
        assert user.check_password(DEMO_PASSWORD)
        if user.role in AGENCY_ROLES:
            assert user.agency is not None


def test_the_cast_of_demo_users():
    demo_load()
    district_amr = Agency.objects.get(code="bj_amr_district")
    officers = User.objects.filter(role=Role.OFFICER, agency=district_amr)
    assert set(officers.values_list("officer_level", flat=True)) == set(OfficerLevel.values)
    assert User.objects.filter(role=Role.OFFICER).exclude(agency=district_amr).exists()
    steward = User.objects.get(role=Role.DATA_STEWARD)
    assert steward.agency is not None
    assert steward.agency.code == "bj_commerce"
    investor = User.objects.get(role=Role.INVESTOR)
    assert investor.investor_kind == "company"
    admin = User.objects.get(role=Role.CITY_ADMIN)
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.exclude(pk=admin.pk).filter(is_staff=True).exists()


def test_demo_enterprises_have_valid_credit_codes_and_members():
    demo_load()
    catering = Enterprise.objects.get(name_en="Demo Catering Co., Ltd.")
    roles = dict(catering.memberships.values_list("user__email", "role"))
    assert roles == {
        "owner@demo.onestop.invalid": MembershipRole.OWNER,
        "member@demo.onestop.invalid": MembershipRole.MEMBER,
    }
    # Two enterprise accounts; the rest of the register is synthetic and has no members.
    accounts = Enterprise.objects.filter(memberships__isnull=False).distinct()
    assert accounts.count() == 2
    assert Enterprise.objects.count() > 1000
    for enterprise in accounts:
        assert credit_code_problem(enterprise.credit_code) is None
        assert enterprise.memberships.filter(role=MembershipRole.OWNER).count() == 1
    assert Membership.objects.count() == 3


def test_agencies_file_carries_its_sources_and_the_loaded_names():
    data = services.demo_agencies()
    assert data["sources"]["compiled_from"]["file"].startswith("procedures_beijing.json")
    record_ids = {record["id"] for record in data["sources"]["records"]}
    for agency in data["agencies"]:
        assert set(agency["sources"]) <= record_ids
    demo_load()
    amr = Agency.objects.get(code="bj_amr")
    assert amr.name_zh == "北京市市场监督管理局"
    assert amr.level == "municipal"


def test_load_demo_command_prints_the_accounts(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Demo data loaded" in out
    for account in DEMO_ACCOUNTS:
        assert account.email in out
    assert DEMO_PASSWORD in out


def test_refused_in_production(settings):
    settings.ONESTOP_ENV = "production"
    with pytest.raises(DemoRefused):
        demo_load()
    with pytest.raises(CommandError, match="ONESTOP_ENV=production"):
        call_command("load_demo")
    with pytest.raises(DemoRefused):
        services.demo_user_create(
            email="x@demo.onestop.invalid",
            password=DEMO_PASSWORD,
            display_name="x",
            role=Role.CITY_ADMIN,
        )
    assert not User.objects.exists()
    assert not Agency.objects.exists()


def test_demo_catering_can_take_up_support_today_and_sees_a_near_miss():
    """J4 in the demo: the real 2020 measures have ended, the demonstration policies are open."""
    from django.utils import timezone

    from onestop.policies.selectors import support_for_enterprise

    demo_load()
    catering = Enterprise.objects.get(name_en="Demo Catering Co., Ltd.")
    eligible, near = support_for_enterprise(catering, day=timezone.localdate())
    assert "demo-catering-rent-relief" in {item.policy.code for item in eligible}
    assert "demo-sme-job-retention-refund" in {item.policy.code for item in near}
    assert not {item.policy.code for item in eligible} & {"bj-2020-rent-waiver-mar-apr"}
