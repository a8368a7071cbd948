"""Reads: the applicant's applications and timeline, the officer queue, case access."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from onestop.applications.models import Case, CaseState
from onestop.applications.selectors import (
    application_for_user,
    application_timeline,
    applications_for_user,
    case_for_officer,
    document_visible_to_case_agency,
    officer_queue,
)
from onestop.applications.services import case_accept, case_claim, case_return
from onestop.applications.tests.conftest import Officers
from onestop.applications.tests.helpers import DRAWING, ID_CARD, LEASE, Mini, submitted_mini
from onestop.conftest import Cast
from onestop.core.documents import can_view_document
from onestop.core.errors import ValidationFailed
from onestop.core.workdays import add_working_days
from onestop.enterprises.models import Membership, MembershipRole

pytestmark = pytest.mark.django_db


def test_applications_for_user_and_enterprise_members(cast: Cast, mini: Mini) -> None:
    mine = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    theirs = submitted_mini(cast.investor, mini)
    assert list(applications_for_user(cast.owner)) == [mine]
    assert list(applications_for_user(cast.investor)) == [theirs]
    Membership.objects.create(
        user=cast.other_member, enterprise=cast.enterprise_a, role=MembershipRole.MEMBER
    )
    assert mine in applications_for_user(cast.other_member)
    assert application_for_user(cast.owner, mine.reference) == mine
    with pytest.raises(PermissionDenied):
        application_for_user(cast.investor, mine.reference)
    with pytest.raises(Http404):
        application_for_user(cast.owner, "OS-1999-000000")


def test_timeline_shows_every_case_with_due_date_and_events(
    cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    registration = application.cases.get(service=mini.registration)
    case_return(actor=officers.clerk_a, case=registration, version=1, correction_request="Sign.")
    with translation.override("zh-hans"):
        timeline = application_timeline(application)
    first, second = timeline.cases
    assert first.state == CaseState.RETURNED and first.paused and not first.overdue
    assert [e.action for e in first.events] == ["submitted", "return"]
    assert first.due_on == registration.due_on
    assert second.state == CaseState.WAITING and second.due_on is None
    assert second.waiting_for == ["设立登记"]
    assert sorted(d.requirement for d in second.documents) == sorted([LEASE, DRAWING])
    assert {d.requirement for d in timeline.documents} >= {ID_CARD, LEASE, DRAWING}
    assert timeline.missing_documents == []


def test_officer_queue_by_due_date_with_filters(cast: Cast, mini: Mini, officers: Officers) -> None:
    first = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    second = submitted_mini(cast.investor, mini)
    case_one = first.cases.get(service=mini.registration)
    case_two = second.cases.get(service=mini.registration)
    Case.objects.filter(pk=case_two.pk).update(due_on=add_working_days(case_one.due_on, -5))  # type: ignore[arg-type]
    queue = officer_queue(officers.clerk_a)
    assert [c.pk for c in queue.rows] == [case_two.pk, case_one.pk]  # earliest due first
    assert queue.total == 2 and not queue.has_next
    # agency B has only waiting cases: not in its queue yet
    assert officer_queue(officers.clerk_b).rows == []
    case_claim(actor=officers.clerk_a, case=case_one, version=1)
    assert [c.pk for c in officer_queue(officers.clerk_a, assignee="me").rows] == [case_one.pk]
    assert [c.pk for c in officer_queue(officers.clerk_a, assignee="none").rows] == [case_two.pk]
    case_accept(actor=officers.clerk_a, case=case_one, version=2)
    assert [c.pk for c in officer_queue(officers.clerk_a, state="accepted").rows] == [case_one.pk]
    today = case_one.due_on
    overdue = officer_queue(officers.clerk_a, overdue=True, today=today)
    assert [c.pk for c in overdue.rows] == [case_two.pk] and overdue.is_overdue(overdue.rows[0])
    page = officer_queue(officers.clerk_a, page_size=1)
    assert len(page.rows) == 1 and page.has_next
    assert officer_queue(officers.clerk_a, page=2, page_size=1).rows[0].pk == case_one.pk
    with pytest.raises(ValidationFailed):
        officer_queue(officers.clerk_a, state="nonsense")
    with pytest.raises(PermissionDenied):
        officer_queue(cast.owner)


def test_case_for_officer_is_403_for_another_agency(
    cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    case = application.cases.get(service=mini.registration)
    assert case_for_officer(officers.clerk_a, case.pk) == case
    assert case_for_officer(cast.city_admin, case.pk) == case
    with pytest.raises(PermissionDenied):
        case_for_officer(officers.clerk_b, case.pk)
    with pytest.raises(PermissionDenied):
        case_for_officer(cast.owner, case.pk)
    with pytest.raises(Http404):
        case_for_officer(officers.clerk_a, 999_999)


def test_documents_are_visible_to_agencies_holding_a_case_needing_them(
    cast: Cast, mini: Mini, officers: Officers
) -> None:
    application = submitted_mini(cast.owner, mini, enterprise=cast.enterprise_a)
    slots = {s.requirement: s.document for s in application.documents.all()}
    id_card, drawing = slots[ID_CARD], slots[DRAWING]
    assert id_card is not None and drawing is not None
    # agency A's registration needs the ID card, agency B's licence the drawing
    assert can_view_document(officers.clerk_a, id_card)
    assert not can_view_document(officers.clerk_a, drawing)
    assert can_view_document(officers.clerk_b, drawing)
    assert not can_view_document(officers.clerk_b, id_card)
    assert not can_view_document(cast.investor, id_card)
    assert document_visible_to_case_agency(officers.reviewer_b, drawing)
