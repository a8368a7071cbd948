"""The demo's policies step: the real 2020 policies, and the demo restaurant sees rent relief
and a near miss with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from onestop.core.models import Notification
from onestop.demo import services as demo
from onestop.demo.steps_domains import load_policies, load_register
from onestop.enterprises.models import Enterprise
from onestop.policies.models import Policy, PolicyMatch, PolicyStatus
from onestop.policies.selectors import support_for_enterprise


@pytest.mark.django_db
def test_demo_restaurant_sees_rent_relief_and_a_near_miss(
    django_capture_on_commit_callbacks: Any,
) -> None:
    ctx = demo.DemoContext(password="demo-password-123")
    for step in (demo.load_agencies, demo.load_users, demo.load_enterprises,
                 demo.load_industries, load_register):  # fmt: skip
        step(ctx)
    with django_capture_on_commit_callbacks(execute=True):
        load_policies(ctx)
    assert Policy.objects.filter(status=PolicyStatus.PUBLISHED).count() >= 10
    restaurant = Enterprise.objects.get(credit_code=demo.DEMO_ENTERPRISES[0].credit_code)
    rent = PolicyMatch.objects.get(
        policy__code="bj-2020-rent-waiver-mar-apr", enterprise=restaurant
    )
    assert rent.eligible and rent.notified_at is not None
    owner_notes = Notification.objects.filter(recipient__email__startswith="owner@")
    assert owner_notes.filter(title_zh__contains="房租").exists()
    with translation.override("en"):
        eligible, near = support_for_enterprise(restaurant)
    assert "bj-2020-rent-waiver-mar-apr" in {item.policy.code for item in eligible}
    refund = next(i for i in near if i.policy.code == "bj-2020-ui-refund-sme-100pct")
    reasons = " ".join(c.sentence for c in refund.failing)
    assert "fell 21.4 % from 2019 to 2020 (28 to 22)" in reasons
    assert "at most 20 %" in reasons
    from onestop.policies.models import MatchRun

    sent = Notification.objects.count()
    matches = PolicyMatch.objects.count()
    runs = MatchRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        load_policies(ctx)  # idempotent: nothing new, nothing sent
    assert Notification.objects.count() == sent and PolicyMatch.objects.count() == matches
    assert MatchRun.objects.count() == runs  # nothing to match again: no run, no audit row
    assert ctx.tally["policies"]["unchanged"] >= 10
