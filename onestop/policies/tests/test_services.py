"""Policy services: save (rule checked, version bumps), publish, withdraw, take-up, and the
matching run (stored per policy and enterprise, notifies once, idempotent, survives a crash)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from onestop.conftest import Cast, build_cast
from onestop.core.errors import DomainError, ValidationFailed
from onestop.core.models import AuditEntry, Notification
from onestop.core.permissions import PermissionDenied
from onestop.enterprises.models import Enterprise
from onestop.enterprises.tests.factories import EnterpriseFactory, EnterpriseYearFactory
from onestop.policies.fields import ENTERPRISE_SCHEMA, enterprise_facts
from onestop.policies.models import MatchRun, MatchRunStatus, Policy, PolicyMatch, PolicyStatus
from onestop.policies.services import (
    policies_match_run,
    policy_match_confirm,
    policy_publish,
    policy_save,
    policy_withdraw,
)
from onestop.rules.evaluate import holds
from onestop.rules.parser import parse_rule

RENT = "enterprise.size in ['micro', 'small', 'medium'] && enterprise.industry_division == '62'"
FALL = "enterprise.revenue_2020 <= enterprise.revenue_2019 * 0.7"

FIELDS: dict[str, Any] = {
    "title_zh": "测试政策",
    "title_en": "Test policy",
    "valid_from": dt.date(2020, 3, 1),
    "valid_to": dt.date(2030, 12, 31),
    "takeup_mode": "automatic",
}


def make_policy(cast: Cast, code: str, rule: str, **extra: Any) -> Policy:
    policy = policy_save(
        actor=cast.officer_a, code=code, agency=cast.agency_a, rule=rule, **{**FIELDS, **extra}
    )
    return policy_publish(actor=cast.officer_a, policy=policy)


def restaurant(cast: Cast, **extra: Any) -> Enterprise:
    enterprise = cast.enterprise_a
    values = {"industry_code": "6210", "industry_division": "62", "industry_section": "H",
              "size_class": "small", "district": "110105", **extra}  # fmt: skip
    for name, value in values.items():
        setattr(enterprise, name, value)
    enterprise.save()
    return enterprise


@pytest.mark.django_db
def test_save_refuses_a_bad_rule_with_position(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        bad = "enterprise.size == 'small' &&\n  enterprise.turnover > 1"
        policy_save(actor=cast.officer_a, code="p", agency=cast.agency_a, rule=bad, **FIELDS)
    (error,) = caught.value.errors
    assert error.field == "rule" and error.code == "rule_unknown_field"
    assert str(error.message).startswith("Line 2, column 3: Unknown field 'enterprise.turnover'")
    assert not Policy.objects.exists()


@pytest.mark.django_db
def test_save_bumps_the_rule_version_only_when_the_rule_changes(cast: Cast) -> None:
    policy = policy_save(actor=cast.officer_a, code="p", agency=cast.agency_a, rule=RENT, **FIELDS)
    assert policy.rule_version == 1 and policy.status == PolicyStatus.DRAFT
    policy = policy_save(actor=cast.officer_a, policy=policy, title_en="Renamed")
    assert policy.rule_version == 1
    policy = policy_save(actor=cast.officer_a, policy=policy, rule=FALL)
    assert policy.rule_version == 2
    actions = list(AuditEntry.objects.filter(object_type__icontains="policy")
                   .order_by("id").values_list("action", flat=True))  # fmt: skip
    assert actions == ["policies.policy_create", "policies.policy_change", "policies.policy_change"]
    with pytest.raises(PermissionDenied):
        policy_save(actor=cast.officer_b, policy=policy, title_en="Not mine")
    with pytest.raises(PermissionDenied):
        policy_save(actor=cast.officer_b, code="q", agency=cast.agency_a, rule=RENT, **FIELDS)


@pytest.mark.django_db
def test_publish_and_withdraw(cast: Cast) -> None:
    policy = policy_save(actor=cast.officer_a, code="p", agency=cast.agency_a, rule=RENT, **FIELDS)
    with pytest.raises(DomainError):
        policy_withdraw(actor=cast.officer_a, policy=policy)
    policy = policy_publish(actor=cast.city_admin, policy=policy)
    assert policy.status == PolicyStatus.PUBLISHED and policy.published_at
    policy = policy_withdraw(actor=cast.officer_a, policy=policy)
    assert policy.status == PolicyStatus.WITHDRAWN


@pytest.mark.django_db
def test_run_stores_notifies_once_and_is_idempotent(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    restaurant(cast)
    EnterpriseFactory(industry_code="6110", industry_division="61", size_class="small")
    make_policy(cast, "rent", RENT)
    with django_capture_on_commit_callbacks(execute=True):
        run = policies_match_run()
    match = PolicyMatch.objects.get()
    assert match.enterprise == cast.enterprise_a and match.eligible and match.rule_version == 1
    assert match.notified_at is not None
    assert (run.added, run.removed, run.notified, run.status) == (1, 0, 1, MatchRunStatus.DONE)
    note = Notification.objects.get(recipient=cast.owner)
    assert "测试政策" in note.title_zh and "Test policy" in note.title_en
    assert note.link.endswith(f"/support/{match.pk}/")
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = policies_match_run()
    assert (again.added, again.removed, again.notified) == (0, 0, 0)
    assert Notification.objects.count() == 1 and PolicyMatch.objects.count() == 1


@pytest.mark.django_db
def test_rerun_follows_register_and_rule_changes(cast: Cast) -> None:
    enterprise = restaurant(cast)
    policy = make_policy(cast, "rent", RENT)
    policies_match_run()
    enterprise.size_class = "large"
    enterprise.save()
    run = policies_match_run()
    match = PolicyMatch.objects.get()
    assert run.removed == 1 and match.eligible is False and match.notified_at is not None
    policy = policy_save(actor=cast.officer_a, policy=policy,
                         rule="enterprise.industry_division == '62'")  # fmt: skip
    run = policies_match_run()
    match.refresh_from_db()
    assert match.eligible and match.rule_version == 2 and run.added == 1


@pytest.mark.django_db
def test_benefit_is_computed_in_sql_and_confirm_grants(cast: Cast) -> None:
    enterprise = restaurant(cast)
    EnterpriseYearFactory(enterprise=enterprise, year=2020, employees=12)
    make_policy(cast, "per-head", RENT, benefit_formula="enterprise.employees * 9906",
                benefit_unit="CNY")  # fmt: skip
    policies_match_run()
    match = PolicyMatch.objects.get()
    assert match.benefit == Decimal("118872.00")
    form = policy_match_confirm(actor=cast.owner, match=match)
    match.refresh_from_db()
    assert match.confirmed_by == cast.owner and match.granted_at is not None
    assert form["credit_code"] == enterprise.credit_code and form["benefit"] == "118872.00"
    with pytest.raises(PermissionDenied):
        policy_match_confirm(actor=cast.other_member, match=match)


@pytest.mark.django_db
def test_confirm_in_apply_mode_returns_the_form_and_does_not_grant(cast: Cast) -> None:
    restaurant(cast, contact_name="王经理")
    make_policy(cast, "apply", RENT, takeup_mode="apply")
    policies_match_run()
    match = PolicyMatch.objects.get()
    form = policy_match_confirm(actor=cast.owner, match=match)
    match.refresh_from_db()
    assert match.confirmed_at is not None and match.granted_at is None
    assert form["contact_name"] == "王经理" and form["policy"] == "apply"


def expected_pairs() -> set[tuple[int, int]]:
    pairs = set()
    for policy in Policy.objects.filter(status=PolicyStatus.PUBLISHED):
        rule = parse_rule(policy.rule, ENTERPRISE_SCHEMA)
        for enterprise in Enterprise.objects.all():
            if holds(rule.root, enterprise_facts(enterprise)):
                pairs.add((policy.pk, enterprise.pk))
    return pairs


def stored_pairs() -> set[tuple[int, int]]:
    """The stored eligible pairs; checks on the way that each policy's kept count agrees."""
    for policy in Policy.objects.exclude(matched_generation=None):
        stored = PolicyMatch.objects.filter(policy=policy, eligible=True).count()
        assert policy.eligible_count == stored, policy.code
    return set(PolicyMatch.objects.filter(eligible=True).values_list("policy_id", "enterprise_id"))


class Crash(Exception):
    pass


def test_a_run_that_dies_between_policies_is_completed_by_the_next(transactional_db: None) -> None:
    cast = build_cast()
    # Publishing enqueues a run per policy (run at once by the test task backend): publish
    # before the enterprises exist, so those runs find nothing.
    make_policy(cast, "rent", RENT)
    make_policy(cast, "fall", FALL)
    make_policy(cast, "small", "enterprise.size == 'small'")
    assert not PolicyMatch.objects.exists()
    restaurant(cast)
    for i in range(12):
        enterprise = EnterpriseFactory(size_class=["small", "large", "micro"][i % 3])
        EnterpriseYearFactory(enterprise=enterprise, year=2019, operating_revenue=100 + i)
        EnterpriseYearFactory(enterprise=enterprise, year=2020, operating_revenue=60 + 4 * i)
    before = MatchRun.objects.count()
    done: list[str] = []

    def die_after_first(policy: Policy) -> None:
        done.append(policy.code)
        raise Crash

    with pytest.raises(Crash):
        policies_match_run(after_policy=die_after_first)
    assert len(done) == 1
    assert MatchRun.objects.order_by("id").last().status == MatchRunStatus.RUNNING  # type: ignore[union-attr]
    assert stored_pairs() and stored_pairs() != expected_pairs()
    policies_match_run()
    assert stored_pairs() == expected_pairs()
    assert list(MatchRun.objects.order_by("id").values_list("status", flat=True)[before:]) == [
        MatchRunStatus.INTERRUPTED,
        MatchRunStatus.DONE,
    ]


def _database_url() -> str:
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def test_kill_9_mid_run_then_the_next_run_is_exactly_right(transactional_db: None) -> None:
    """A real ``onestop match-policies`` process is killed with SIGKILL after it committed its
    first policy; the next run ends with exactly the matches the rules give."""
    import os
    import signal
    import subprocess
    import sys
    import time

    cast = build_cast()
    for code, rule in (("rent", RENT), ("fall", FALL), ("small", "enterprise.size == 'small'")):
        make_policy(cast, code, rule)
    restaurant(cast)
    for i in range(30):
        enterprise = EnterpriseFactory(size_class=["small", "large", "micro"][i % 3])
        EnterpriseYearFactory(enterprise=enterprise, year=2019, operating_revenue=100 + i)
        EnterpriseYearFactory(enterprise=enterprise, year=2020, operating_revenue=50 + 3 * i)
    before = MatchRun.objects.count()
    env = {**os.environ, "DATABASE_URL": _database_url()}
    process = subprocess.Popen(
        [sys.executable, "-m", "onestop", "match-policies", "--pause", "30"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            run = MatchRun.objects.order_by("id")[before:].first()
            if run is not None and run.policies_done >= 1:
                break
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.2)
        else:
            pytest.fail("the matching process did not get through its first policy")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert stored_pairs() != expected_pairs()  # killed half-way
    policies_match_run()
    assert stored_pairs() == expected_pairs()
    statuses = list(MatchRun.objects.order_by("id").values_list("status", flat=True)[before:])
    assert statuses == [MatchRunStatus.INTERRUPTED, MatchRunStatus.DONE]


@pytest.mark.django_db
def test_reruns_recheck_only_what_changed(cast: Cast) -> None:
    from onestop.policies.models import ScreenChange

    enterprise = restaurant(cast)
    for size in ("small", "large", "micro"):
        EnterpriseFactory(size_class=size)
    policy = make_policy(cast, "rent", RENT)
    first = policies_match_run()
    assert first.changed == Enterprise.objects.count()  # the screen starts empty
    policy.refresh_from_db()
    assert (policy.matched_version, policy.matched_generation) == (1, first.generation)
    quiet = policies_match_run()
    assert (quiet.changed, quiet.added, quiet.removed) == (0, 0, 0)
    assert not ScreenChange.objects.exists()  # taken in by every policy, then forgotten
    enterprise.size_class = "large"
    enterprise.save()
    changed = policies_match_run()
    assert (changed.changed, changed.removed) == (1, 1)
    assert stored_pairs() == expected_pairs()
    policy = policy_save(actor=cast.officer_a, policy=policy, rule="enterprise.size == 'large'")
    full = policies_match_run()  # a new rule version: every enterprise again
    assert full.changed == 0 and stored_pairs() == expected_pairs()
