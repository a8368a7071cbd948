"""The clocks' round: reminders once, escalation to the head once, approval by silence."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from onestop.applications.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseAlert,
    CaseEvent,
    CaseState,
    ServiceCaseRule,
)
from onestop.applications.services import (
    case_return,
    clocks_escalate,
    clocks_remind,
    clocks_run,
    silence_consent_apply,
)
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import Mini, submitted_mini
from onestop.conftest import Cast
from onestop.core.models import AuditEntry, Notification
from onestop.core.workdays import add_working_days

pytestmark = pytest.mark.django_db


def _registration(application: Application, mini: Mini) -> Case:
    return Case.objects.select_related("clock").get(
        application=application, service=mini.registration
    )


def test_reminders_go_to_the_agency_once_then_to_the_assignee(
    cast: Cast, mini: Mini, officers: Officers, django_capture_on_commit_callbacks: Any
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _registration(application, mini)
    assert case.due_on is not None
    # the due date is 3 working days out: inside the 3-day window
    start = case.clock.started_on  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        assert clocks_remind(today=start) == 1
        assert clocks_remind(today=start) == 0  # once per case per reminder
    agency_a = {officers.clerk_a.pk, officers.reviewer_a.pk, officers.head_a.pk}
    reminded = set(
        Notification.objects.filter(kind="applications.case_due_soon").values_list(
            "recipient_id", flat=True
        )
    )
    assert reminded == agency_a  # nobody has claimed it yet: every officer of the agency
    Case.objects.filter(pk=case.pk).update(assignee=officers.clerk_a)
    day_before = add_working_days(start, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert clocks_remind(today=day_before) == 1
    last = Notification.objects.filter(kind="applications.case_due_soon").order_by("-id")[0]
    assert last.recipient == officers.clerk_a
    assert set(CaseAlert.objects.values_list("kind", flat=True)) == {"remind_3", "remind_1"}
    assert AuditEntry.objects.filter(action="case.remind").count() == 2


def test_overdue_cases_are_escalated_to_the_head_once(
    cast: Cast, mini: Mini, officers: Officers, django_capture_on_commit_callbacks: Any
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _registration(application, mini)
    assert case.due_on is not None
    late = add_working_days(case.due_on, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert clocks_escalate(today=case.due_on) == 0  # due today is not overdue
        assert clocks_escalate(today=late) == 1
        assert clocks_escalate(today=late) == 0
    heads = Notification.objects.filter(kind="applications.case_overdue")
    assert [n.recipient for n in heads] == [officers.head_a]


def test_paused_cases_are_neither_reminded_nor_escalated(
    cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _registration(application, mini)
    case_return(actor=officers.clerk_a, case=case, version=1, correction_request="Sign it.")
    assert case.due_on is not None
    assert clocks_remind(today=case.due_on) == 0
    assert clocks_escalate(today=add_working_days(case.due_on, 5)) == 0


def test_silence_means_consent_approves_when_the_clock_runs_out(
    cast: Cast, mini: Mini, officers: Officers, django_capture_on_commit_callbacks: Any
) -> None:
    ServiceCaseRule.objects.create(
        service=mini.registration,
        silence_consent=True,
        basis_en="Local rule: filing deemed accepted when not refused in time.",
    )
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _registration(application, mini)
    assert case.silence_consent and case.due_on is not None
    other = submitted_mini(cast.investor, mini)  # no rule on the licence; same registration
    assert silence_consent_apply(today=case.due_on) == 0  # not yet run out
    with django_capture_on_commit_callbacks(execute=True):
        run = clocks_run(today=add_working_days(case.due_on, 1))
    assert run.approved_by_silence == 2
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED
    assert CaseEvent.objects.filter(case=case, action="approve_by_silence", actor=None).exists()
    entry = AuditEntry.objects.get(action="case.approve_by_silence", object_id=str(case.pk))
    assert entry.actor is None
    # the licence waited for the registration: it starts now
    licence = Case.objects.get(application=application, service=mini.licence)
    assert licence.state == CaseState.SUBMITTED and licence.due_on is not None
    assert Notification.objects.filter(
        recipient=cast.owner, kind="applications.case_approved_by_silence"
    ).exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    # nothing left to escalate for the approved ones; the round is repeatable
    assert clocks_run(today=add_working_days(case.due_on, 1)).approved_by_silence == 0
    assert other.pk != application.pk


def test_run_clocks_command(cast: Cast, mini: Mini, capsys: Any) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _registration(application, mini)
    assert case.due_on is not None
    call_command("run_clocks", "--today", add_working_days(case.due_on, 2).isoformat())
    out = capsys.readouterr().out
    assert "escalated: 1" in out and "approved by silence: 0" in out


def test_silence_consent_rule_needs_a_basis_and_an_administrator(
    cast: Cast, mini: Mini, officers: Officers
) -> None:
    from django.core.exceptions import PermissionDenied

    from onestop.applications.services import service_case_rule_save
    from onestop.core.errors import ValidationFailed

    with pytest.raises(PermissionDenied):
        service_case_rule_save(
            actor=officers.head_a, service=mini.registration, silence_consent=True, basis_en="x"
        )
    with pytest.raises(ValidationFailed):
        service_case_rule_save(
            actor=cast.city_admin, service=mini.registration, silence_consent=True
        )
    rule = service_case_rule_save(
        actor=cast.city_admin,
        service=mini.registration,
        silence_consent=True,
        basis_zh="地方性法规第十条",
        basis_en="Local regulation, art. 10",
    )
    assert rule.silence_consent and rule.basis_en == "Local regulation, art. 10"
    assert AuditEntry.objects.filter(action="service_case_rule.save").count() == 1
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    assert _registration(application, mini).silence_consent


def test_admin_lists_load(cast: Cast, mini: Mini, client: Any) -> None:
    from onestop.conftest import make_user
    from onestop.core.roles import Role

    submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    admin = make_user("super@example.com", Role.CITY_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in ("application", "case", "certificate", "servicecaserule"):
        assert client.get(f"/admin/applications/{model}/").status_code == 200
    assert client.get("/admin/applications/servicecaserule/add/").status_code == 200


def test_escalation_again_when_the_due_date_moved(
    cast: Cast, mini: Mini, officers: Officers, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    from onestop.applications.services import case_resubmit

    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = _registration(application, mini)
    assert case.due_on is not None
    first_due = case.due_on
    assert clocks_escalate(today=add_working_days(first_due, 1)) == 1
    case = case_return(actor=officers.clerk_a, case=case, version=1, correction_request="Sign.")
    later = add_working_days(first_due, 4)
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    case = case_resubmit(actor=cast.owner, case=case)
    assert case.due_on is not None and case.due_on > first_due
    assert clocks_escalate(today=add_working_days(case.due_on, 1)) == 1
    assert clocks_escalate(today=add_working_days(case.due_on, 2)) == 0
