"""The policy pages: support for me (why, why not, one-click take-up), the public pages and the
statistics (the rule editor and publishing: ``test_rule_editor``)."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.test import Client
from django.utils import timezone, translation

from onestop.conftest import Cast
from onestop.core.models import AuditEntry
from onestop.enterprises.models import Enterprise
from onestop.policies import selectors
from onestop.policies.models import Policy, PolicyMatch
from onestop.policies.services import policies_match_run
from onestop.policies.tests.page_data import (
    catering_sme,
    published_policies,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catering(cast: Cast) -> tuple[Policy, Policy]:
    """The owner's enterprise is the catering SME; the two policies are agency A's."""
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    return published_policies(agency=cast.agency_a)


def _text(response: object) -> str:
    """The page's visible text, tags removed, entities decoded, spaces collapsed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html)))


def _match(cast: Cast, policy: Policy) -> PolicyMatch:
    return PolicyMatch.objects.get(policy=policy, enterprise=cast.enterprise_a)


# ----- support for me ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_support_shows_why_and_why_not(
    cast: Cast, client: Client, catering: tuple[Policy, Policy], language: str
) -> None:
    rent, deep = catering
    client.force_login(cast.owner)
    client.post("/language/", {"language": language})
    with translation.override(language):
        response = client.get("/support/")
        assert response.status_code == 200
        html = response.content.decode()
        eligible = html.split('id="near"')[0]
        near = html.split('id="near"')[1]
        assert rent.localized("title", language) in eligible
        assert deep.localized("title", language) in near
        enterprise = Enterprise.objects.get(pk=cast.enterprise_a.pk)
        why = selectors.explain_for_enterprise(rent, enterprise)
        why_not = selectors.explain_for_enterprise(deep, enterprise)
        met = [c.sentence for c in why.clauses if c.passed]
        missed = [c.sentence for c in why_not.clauses if not c.passed]
    assert met and missed
    text = _text(response)
    for sentence in met:
        assert sentence in text
    for sentence in missed:
        assert sentence in text.split(deep.localized("title", language))[1]
    assert "京政办发〔2020〕7号" in text  # legal basis on the card  # noqa: RUF001
    assert "2020-02-01" in text  # validity
    assert f'action="/support/{_match(cast, rent).pk}/confirm/"' in html


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/support/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_enterprise_sees_only_its_own_support(
    cast: Cast, client: Client, catering: tuple[Policy, Policy]
) -> None:
    rent, _deep = catering
    match = _match(cast, rent)
    client.force_login(cast.other_member)
    page = client.get("/support/")
    assert page.status_code == 200
    assert cast.enterprise_b.name_zh in page.content.decode()
    assert f"/support/{match.pk}/" not in page.content.decode()
    assert client.get(f"/support/?enterprise={cast.enterprise_a.pk}").status_code == 403
    assert client.get(f"/support/{match.pk}/").status_code == 403
    assert client.post(f"/support/{match.pk}/confirm/").status_code == 403
    match.refresh_from_db()
    assert match.confirmed_at is None


def test_a_member_of_several_enterprises_chooses(
    cast: Cast, client: Client, catering: tuple[Policy, Policy]
) -> None:
    from onestop.enterprises.models import Membership

    Membership.objects.create(user=cast.owner, enterprise=cast.enterprise_b, role="member")
    client.force_login(cast.owner)
    choose = client.get("/support/")
    assert choose.status_code == 200
    assert 'name="enterprise"' in choose.content.decode()
    chosen = client.get(f"/support/?enterprise={cast.enterprise_a.pk}")
    assert catering[0].title_zh in chosen.content.decode()
    assert client.get("/support/?enterprise=987654").status_code == 403


def test_confirm_in_one_click_and_twice_is_harmless(
    cast: Cast, client: Client, catering: tuple[Policy, Policy]
) -> None:
    rent, _deep = catering
    match = _match(cast, rent)
    client.force_login(cast.owner)
    first = client.post(f"/support/{match.pk}/confirm/")
    assert first.status_code == 302 and first["Location"] == f"/support/{match.pk}/"
    match.refresh_from_db()
    assert match.confirmed_at is not None and match.confirmed_by == cast.owner
    assert match.granted_at is not None  # automatic take-up: granted at once
    confirmed_at = match.confirmed_at
    day = timezone.localtime(confirmed_at).date().isoformat()
    audits = AuditEntry.objects.count()
    second = client.post(f"/support/{match.pk}/confirm/")
    assert second.status_code == 302
    match.refresh_from_db()
    assert match.confirmed_at == confirmed_at
    assert AuditEntry.objects.count() == audits  # nothing written the second time
    page = client.get(f"/support/{match.pk}/")
    assert page.status_code == 200
    assert day in page.content.decode()
    assert "govuk-panel--confirmation" in page.content.decode()
    # The list shows the state too.
    assert day in client.get("/support/").content.decode()


def test_confirm_needs_post_with_csrf(cast: Cast, catering: tuple[Policy, Policy]) -> None:
    match = _match(cast, catering[0])
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.owner)
    assert client.get(f"/support/{match.pk}/confirm/").status_code == 405
    assert client.post(f"/support/{match.pk}/confirm/").status_code == 403
    match.refresh_from_db()
    assert match.confirmed_at is None


@pytest.mark.usefixtures("english")
def test_apply_mode_opens_a_filled_in_form(cast: Cast, client: Client) -> None:
    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    from onestop.policies.services import policies_match_run, policy_publish, policy_save
    from onestop.policies.tests.page_data import policy_values

    policy = policy_save(
        actor=None,
        policy=None,
        code="apply-relief",
        agency=cast.agency_a,
        legal_basis=[],
        **policy_values(takeup_mode="apply"),
    )
    policy_publish(actor=None, policy=policy)
    policies_match_run(actor=None)
    match = _match(cast, policy)
    client.force_login(cast.owner)
    # The one click leads to the form, filled in from the register.
    assert client.post(f"/support/{match.pk}/confirm/")["Location"] == f"/support/{match.pk}/apply/"
    form = client.get(f"/support/{match.pk}/apply/")
    body = form.content.decode()
    assert "王丽" in body and "010-65001234" in body and "Chaoyang District" in body
    assert cast.enterprise_a.credit_code in body
    # Without the declaration: an error summary, nothing confirmed.
    bad = client.post(f"/support/{match.pk}/apply/", {})
    assert bad.status_code == 422
    assert "There is a problem" in bad.content.decode()
    assert "Tick the declaration" in bad.content.decode()
    match.refresh_from_db()
    assert match.confirmed_at is None
    sent = client.post(f"/support/{match.pk}/apply/", {"declaration": "on"})
    assert sent.status_code == 302
    match.refresh_from_db()
    assert match.confirmed_at is not None
    assert "Application sent" in client.get(f"/support/{match.pk}/").content.decode()


def test_a_user_without_an_enterprise_is_told_so(cast: Cast, client: Client) -> None:
    client.force_login(cast.investor)
    response = client.get("/support/")
    assert response.status_code == 200
    assert "/policies/" in response.content.decode()


# ----- public pages ------------------------------------------------------------------------


def test_public_list_and_detail_show_published_only(
    cast: Cast, client: Client, catering: tuple[Policy, Policy]
) -> None:
    rent, _deep = catering
    from onestop.policies.services import policy_save
    from onestop.policies.tests.page_data import policy_values

    draft = policy_save(
        actor=None,
        policy=None,
        code="secret-draft",
        agency=cast.agency_a,
        legal_basis=[],
        **policy_values(title_zh="未发布草稿"),
    )
    listing = client.get("/policies/").content.decode()
    assert rent.title_zh in listing and "未发布草稿" not in listing
    detail = client.get("/policies/rent-relief/")
    assert detail.status_code == 200
    body = _text(detail)
    assert "京政办发〔2020〕7号" in body and rent.rule.splitlines()[0] in body  # noqa: RUF001
    assert client.get(f"/policies/{draft.code}/").status_code == 404
    client.force_login(cast.officer_b)
    assert client.get(f"/policies/{draft.code}/").status_code == 404
    client.force_login(cast.officer_a)
    assert client.get(f"/policies/{draft.code}/").status_code == 200


def test_detail_in_english(cast: Cast, client: Client, catering: tuple[Policy, Policy]) -> None:
    client.post("/language/", {"language": "en"})
    body = client.get("/policies/rent-relief/").content.decode()
    assert "Rent relief for catering SMEs" in body
    assert "Measures for SMEs responding to the COVID-19 outbreak" in body


# ----- statistics ----------------------------------------------------------------------------


def test_stats_chart_and_table(cast: Cast, client: Client, catering: tuple[Policy, Policy]) -> None:
    rent, _deep = catering
    match = _match(cast, rent)
    client.force_login(cast.owner)
    client.post(f"/support/{match.pk}/confirm/")
    client.force_login(cast.officer_a)
    response = client.get(f"/policies/{rent.code}/stats/")
    assert response.status_code == 200
    body = response.content.decode()
    stats = selectors.policy_takeup_stats(rent)
    assert stats["eligible"] == 1 and stats["confirmed"] == 1
    assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert 'data-testid="funnel-table"' in body
    assert re.search(r'data-testid="eligible">\s*1\s*<', body)
    assert re.search(r'data-testid="confirmed">\s*1\s*<', body)
    client.force_login(cast.officer_b)
    assert client.get(f"/policies/{rent.code}/stats/").status_code == 403


@pytest.mark.usefixtures("english")
def test_an_ended_policy_is_shown_apart_and_cannot_be_taken_up(cast: Cast, client: Client) -> None:
    import datetime as dt

    from onestop.policies.services import policy_publish, policy_save
    from onestop.policies.tests.page_data import policy_values

    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    ended = policy_save(
        actor=None,
        policy=None,
        code="feb-2020-rent",
        agency=cast.agency_a,
        legal_basis=[],
        **policy_values(title_en="February 2020 rent waiver", valid_to=dt.date(2020, 2, 29)),
    )
    policy_publish(actor=None, policy=ended)
    policies_match_run(actor=None)
    match = _match(cast, ended)
    client.force_login(cast.owner)
    body = client.get("/support/").content.decode()
    assert "You qualify for 0 policies" in body
    part = body.split('data-testid="ended-policies"')[1]
    assert "February 2020 rent waiver" in part
    assert "This policy ended on 2020-02-29" in part
    assert f"/support/{match.pk}/confirm/" not in body
    response = client.post(f"/support/{match.pk}/confirm/", follow=True)
    assert "This policy ended on 2020-02-29" in response.content.decode()
    match.refresh_from_db()
    assert match.confirmed_at is None
    listing = _text(client.get("/policies/"))
    assert "February 2020 rent waiver" in listing and "Ended" in listing


@pytest.mark.usefixtures("english")
def test_conditions_outside_the_rule_are_said(
    cast: Cast, client: Client, catering: tuple[Policy, Policy]
) -> None:
    rent, _deep = catering
    Policy.objects.filter(pk=rent.pk).update(
        not_in_rule_zh="租用国有企业房产", not_in_rule_en="Rents premises from a state-owned firm"
    )
    client.force_login(cast.owner)
    support = client.get("/support/").content.decode()
    assert "Rents premises from a state-owned firm" in support
    assert "The register does not show this: the agency checks it." in support
    detail = client.get(f"/policies/{rent.code}/").content.decode()
    assert "Rents premises from a state-owned firm" in detail


@pytest.mark.usefixtures("english")
def test_a_benefit_formula_gives_the_amount_everywhere(cast: Cast, client: Client) -> None:
    from onestop.policies.services import policy_publish, policy_save
    from onestop.policies.tests.page_data import policy_values

    catering_sme(owner=cast.owner, code=cast.enterprise_a.credit_code)
    # A tenth of the 2020 revenue (310 x 10,000 CNY): 31 x 10,000 CNY.
    policy = policy_save(
        actor=None,
        policy=None,
        code="revenue-subsidy",
        agency=cast.agency_a,
        legal_basis=[],
        **policy_values(benefit_formula="enterprise.revenue_2020 * 0.1", benefit_unit="万元"),
    )
    policy_publish(actor=None, policy=policy)
    policies_match_run(actor=None)
    client.force_login(cast.owner)
    card = _text(client.get("/support/"))
    assert "31 万元" in card
    match = _match(cast, policy)
    client.post(f"/support/{match.pk}/confirm/")
    client.force_login(cast.officer_a)
    stats = client.get(f"/policies/{policy.code}/stats/").content.decode()
    assert re.search(r'data-testid="amount">\s*31\s*<', stats)
    assert "万元" in stats
