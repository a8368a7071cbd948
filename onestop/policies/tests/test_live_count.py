"""The rule editor's live count reads the screening table as the last matching run left it;
it says so, and says how much of the register has changed since (taken in by the next run)."""

from __future__ import annotations

import pytest
from django.test import Client

from onestop.conftest import Cast
from onestop.enterprises import changes
from onestop.enterprises.codes import credit_code_from_number
from onestop.policies.services import policies_match_run
from onestop.policies.tests.page_data import catering_sme

pytestmark = pytest.mark.django_db

RULE = {"rule": "enterprise.industry_division == '62'"}


def _check(client: Client) -> str:
    response = client.post("/policies/check/", RULE)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("english")
def test_the_count_says_which_changes_it_does_not_include_yet(cast: Cast, client: Client) -> None:
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    policies_match_run(actor=None)
    client.force_login(cast.officer_a)
    body = _check(client)
    assert "1 enterprise in the register matches this rule." in body
    assert "Counted on the register as it was at its last check" in body
    assert 'data-testid="changes-waiting"' not in body  # nothing changed since

    catering_sme(owner=cast.owner, code=credit_code_from_number(77))  # a second restaurant
    body = _check(client)
    assert "1 enterprise in the register matches this rule." in body  # still the last run's
    assert "1 enterprise has changed since then; the count includes it after the next" in body

    changes.record_everything()
    body = _check(client)
    assert "changed in bulk since then" in body

    policies_match_run(actor=None)
    body = _check(client)
    assert "2 enterprises in the register match this rule." in body
    assert 'data-testid="changes-waiting"' not in body


def test_pending_counts_each_enterprise_once(cast: Cast) -> None:
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)  # 1 record + 2 years
    policies_match_run(actor=None)
    assert not changes.pending()
    catering_sme(owner=cast.owner, code=credit_code_from_number(78))
    waiting = changes.pending()
    assert (waiting.everything, waiting.enterprises) == (False, 1)
