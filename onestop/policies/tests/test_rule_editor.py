"""The policy officer's rule editor: saving drafts, the rule's errors with their position, bad
dates, the check with its count, the live check, creating, publishing and withdrawing, the
legal basis."""
# ruff: noqa: RUF001 - Chinese document numbers use full-width brackets

from __future__ import annotations

import re

import pytest
from django.test import Client

from onestop.conftest import Cast
from onestop.policies.models import Policy, PolicyStatus
from onestop.policies.services import policies_match_run
from onestop.policies.tests.page_data import RENT_RELIEF_RULE, catering_sme

pytestmark = pytest.mark.django_db


# ----- the rule editor -----------------------------------------------------------------------


def _draft(cast: Cast) -> Policy:
    from onestop.policies.services import policy_save
    from onestop.policies.tests.page_data import policy_values

    return policy_save(
        actor=None,
        policy=None,
        code="draft-relief",
        agency=cast.agency_a,
        legal_basis=[],
        **policy_values(),
    )


def _form(**overrides: str) -> dict[str, str]:
    form = {
        "title_zh": "餐饮企业房租减免",
        "title_en": "Rent relief for catering SMEs",
        "rule": RENT_RELIEF_RULE,
        "takeup_mode": "automatic",
        "valid_from": "2020-02-01",
        "valid_to": "",
        "action": "save",
    }
    form.update(overrides)
    return form


def test_officer_of_another_agency_cannot_edit(cast: Cast, client: Client) -> None:
    draft = _draft(cast)
    client.force_login(cast.officer_b)
    assert client.get(f"/policies/{draft.code}/edit/").status_code == 403
    response = client.post(f"/policies/{draft.code}/edit/", _form(title_zh="改掉"))
    assert response.status_code == 403
    assert client.post(f"/policies/{draft.code}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.title_zh == "餐饮企业房租减免" and draft.status == PolicyStatus.DRAFT
    client.force_login(cast.owner)
    assert client.get(f"/policies/{draft.code}/edit/").status_code == 403


def test_officer_saves_the_draft(cast: Cast, client: Client) -> None:
    draft = _draft(cast)
    client.force_login(cast.officer_a)
    response = client.post(f"/policies/{draft.code}/edit/", _form(title_en="Rent relief 2020"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title_en == "Rent relief 2020"


@pytest.mark.usefixtures("english")
def test_a_rule_syntax_error_is_shown_with_its_position(cast: Cast, client: Client) -> None:
    draft = _draft(cast)
    client.force_login(cast.officer_a)
    bad_rule = "enterprise.industry_section == 'H'\n&& enterprise.size in ['small'"
    response = client.post(f"/policies/{draft.code}/edit/", _form(rule=bad_rule))
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert re.search(r"Line 2, column \d+", body), body
    assert 'id="id_rule_error"' in body  # the message sits at the field
    draft.refresh_from_db()
    assert draft.rule == RENT_RELIEF_RULE  # nothing saved


@pytest.mark.usefixtures("english")
def test_an_unknown_field_is_shown_with_its_position(cast: Cast, client: Client) -> None:
    draft = _draft(cast)
    client.force_login(cast.officer_a)
    response = client.post(
        f"/policies/{draft.code}/edit/", _form(rule="enterprise.seats > 3", action="check")
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Line 1, column 1" in body and "enterprise.seats" in body


@pytest.mark.usefixtures("english")
def test_bad_dates_are_refused(cast: Cast, client: Client) -> None:
    draft = _draft(cast)
    client.force_login(cast.officer_a)
    reversed_dates = client.post(
        f"/policies/{draft.code}/edit/", _form(valid_from="2020-06-01", valid_to="2020-01-31")
    )
    assert reversed_dates.status_code == 422
    assert "The end date must be the same as or after the start date (2020-06-01)" in (
        reversed_dates.content.decode()
    )
    nonsense = client.post(f"/policies/{draft.code}/edit/", _form(valid_from="2020-13-45"))
    assert nonsense.status_code == 422
    assert "Enter a valid date" in nonsense.content.decode()
    draft.refresh_from_db()
    assert str(draft.valid_from) == "2020-02-01"


@pytest.mark.usefixtures("english")
def test_check_counts_matching_enterprises_without_saving(cast: Cast, client: Client) -> None:
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    policies_match_run(actor=None)  # the count reads the register as the last run saw it
    draft = _draft(cast)
    client.force_login(cast.officer_a)
    response = client.post(
        f"/policies/{draft.code}/edit/",
        _form(rule="enterprise.industry_division == '62'", action="check"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 enterprise in the register matches this rule." in body
    assert "Demo Catering Co., Ltd." in body  # the sample, in the page language
    draft.refresh_from_db()
    assert draft.rule == RENT_RELIEF_RULE


@pytest.mark.usefixtures("english")
def test_live_check_fragment(cast: Cast, client: Client) -> None:
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    policies_match_run(actor=None)
    client.force_login(cast.officer_a)
    ok = client.post("/policies/check/", {"rule": "enterprise.industry_division == '61'"})
    assert ok.status_code == 200
    assert "0 enterprises in the register match this rule." in ok.content.decode()
    assert "<html" not in ok.content.decode()  # only the fragment
    bad = client.post("/policies/check/", {"rule": "enterprise.size =="})
    assert re.search(r"Line 1, column \d+", bad.content.decode())
    client.force_login(cast.owner)
    assert client.post("/policies/check/", {"rule": "true"}).status_code == 403


def test_officer_creates_a_policy_for_their_agency_only(cast: Cast, client: Client) -> None:
    client.force_login(cast.officer_a)
    form = _form(code="new-relief", agency="agency-a")
    assert client.post("/policies/new/", form).status_code == 302
    assert Policy.objects.get(code="new-relief").agency == cast.agency_a
    other = client.post("/policies/new/", {**form, "code": "other-relief", "agency": "agency-b"})
    assert other.status_code == 422
    assert not Policy.objects.filter(code="other-relief").exists()


def test_publish_and_withdraw_with_confirmation(cast: Cast, client: Client) -> None:
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    policies_match_run(actor=None)
    draft = _draft(cast)
    client.force_login(cast.officer_a)
    confirm = client.get(f"/policies/{draft.code}/publish/")
    assert confirm.status_code == 200
    assert 'data-testid="match-count"' in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.DRAFT  # looking at the question changes nothing
    assert client.post(f"/policies/{draft.code}/publish/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.PUBLISHED
    # A published policy is no longer edited in place.
    assert client.get(f"/policies/{draft.code}/edit/").status_code == 302
    assert client.get(f"/policies/{draft.code}/withdraw/").status_code == 200
    assert client.post(f"/policies/{draft.code}/withdraw/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.WITHDRAWN
    # Still public, marked as withdrawn, so links from past confirmations keep working.
    client.logout()
    withdrawn = client.get(f"/policies/{draft.code}/")
    assert withdrawn.status_code == 200 and "govuk-tag--red" in withdrawn.content.decode()
    assert draft.title_zh not in client.get("/policies/").content.decode()


def test_the_editor_sets_the_legal_basis_and_keeps_further_documents(
    cast: Cast, client: Client
) -> None:
    draft = _draft(cast)
    second = {"title_zh": "第二个文件", "title_en": "Second document", "number": "2号"}
    Policy.objects.filter(pk=draft.pk).update(
        legal_basis=[{"title_zh": "旧", "number": "1号", "number_uncertain": True}, second]
    )
    client.force_login(cast.officer_a)
    form = client.get(f"/policies/{draft.code}/edit/").content.decode()
    assert 'name="basis_number" value="1号"' in form
    response = client.post(
        f"/policies/{draft.code}/edit/",
        _form(
            basis_title_zh="若干措施",
            basis_title_en="Several measures",
            basis_number="京政办发〔2020〕7号",
            basis_item="一、2",
            basis_url="http://example.com/measures",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    first = draft.legal_basis[0]
    assert first["number"] == "京政办发〔2020〕7号"
    assert "number_uncertain" not in first  # a new number is the officer's own
    assert first["url"] == "http://example.com/measures"
    assert draft.legal_basis[1] == second
    bad = client.post(f"/policies/{draft.code}/edit/", _form(basis_url="not a link"))
    assert bad.status_code == 422


@pytest.mark.usefixtures("english")
def test_live_check_of_a_huge_rule_says_it_is_too_long(cast: Cast, client: Client) -> None:
    client.force_login(cast.officer_a)
    response = client.post("/policies/check/", {"rule": "enterprise.employees > 1 && " * 3000})
    assert response.status_code == 200
    assert 'data-testid="rule-problems"' in response.content.decode()
