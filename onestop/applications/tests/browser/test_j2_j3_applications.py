"""J2, second half, and J3, in Chinese and in English.

J2: the owner of an enterprise opening a wholly foreign-owned restaurant in Chaoyang starts an
application from the licence finder's plan (on a phone), uploads each document once, checks
the answers, submits and sees the parallel agency cases on one timeline.

J3: the officers of each agency work their queue. The enterprise-name case is returned for
correction: the applicant's timeline shows the clock paused; the applicant replaces a document
and resubmits; the clock runs again with a later due date. Every case is accepted, reviewed,
approved and given its certificate (dependent cases start as their prerequisites are
approved). The applicant downloads a certificate PDF; anyone checks one on the public
/verify/ page; a revoked certificate and an unknown code say so.

The catalogue, the classification and the negative lists are loaded through their importers,
as the catalogue's own J2 test does. Officers sign in by session cookie (signing in through
the form is the core tests' business).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from onestop.access.services.checker_data import checker_data_invalidate
from onestop.access.services.industries import industries_import_file
from onestop.access.services.negative_lists import editions_import_shipped
from onestop.applications import services
from onestop.applications.models import Application, Case, CaseState
from onestop.applications.tests.helpers import pdf_bytes
from onestop.catalogue.importer import catalogue_import
from onestop.conftest import make_user
from onestop.core.models import Agency
from onestop.core.roles import OfficerLevel, Role
from onestop.enterprises.models import Enterprise, Membership, MembershipRole

pytestmark = pytest.mark.browser

ANSWERS: dict[str, Any] = {
    "district": "110105",  # Chaoyang
    "foreign_share": "100",
    "small_restaurant": "no",
    "chain_restaurant": "no",
    "public_gathering_place": "yes",
    "renovation": "yes",
    "discharges_sewage_to_network": "yes",
    "employs_staff": "yes",
    "activities": [],
    "annual_vat_sales_cny": "2000000",
}
JOURNEY = "open_restaurant"
RETURNED_SERVICE = "name_declaration"  # the enterprise-name self-declaration
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(transactional_db: None, settings: Any, tmp_path: Path) -> Any:
    settings.ONESTOP_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    industries_import_file()
    editions_import_shipped()
    checker_data_invalidate()
    catalogue_import(actor=None)
    enterprise = Enterprise.objects.create(
        credit_code="91110105MA01ABCD13",
        name_zh="北京示范餐饮有限公司",
        name_en="Demo Catering Co., Ltd.",
    )
    owner = make_user("owner@example.com", Role.ENTERPRISE, display_name="Wang Fang")
    Membership.objects.create(user=owner, enterprise=enterprise, role=MembershipRole.OWNER)
    yield {"owner": owner, "enterprise": enterprise}
    checker_data_invalidate()


def _officer(agency: Agency, level: str = OfficerLevel.REVIEWER) -> Any:
    return make_user(
        f"{level}-{agency.code}@example.com",
        Role.OFFICER,
        agency=agency,
        officer_level=level,
        display_name=f"{level} {agency.code}",
    )


def _context_page(
    new_browser_page: Any, live_server: Any, user: Any, language: str, **options: Any
) -> Any:
    """A page signed in as ``user`` (session cookie), in ``language``."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["catalogue.finder"] = {JOURNEY: dict(ANSWERS)}  # J2's first half, answered
    session.save()
    page = new_browser_page(**options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return page


def _name(obj: Any, field: str, language: str) -> str:
    return str(getattr(obj, f"{field}_en" if language == "en" else f"{field}_zh"))


def _act(page: Any, action: str, **fields: str) -> None:
    """Open the action's section on the case page, fill its fields and send it."""
    form = page.locator(f"form:has(input[name='action'][value='{action}'])").last
    details = page.locator("details").filter(has=form)
    if details.count() and details.first.get_attribute("open") is None:
        details.first.locator("summary").click()
    for name, value in fields.items():
        form.locator(f"[name='{name}']").fill(value)
    form.locator("button[type='submit']").click()


def _fits_the_phone(page: Any) -> None:
    """Nothing makes the page wider than the phone (a table may scroll inside its wrapper)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def _expected_error_status(page: Any, status: int) -> None:
    """A deliberate 4xx page: Chromium logs it as a console error; take exactly that one."""
    logged = [p for p in page.problems if f"status of {status}" in p]
    assert len(logged) == 1, page.problems
    page.problems.remove(logged[0])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_j2_apply_once_and_j3_officers_decide(
    world: Any, new_browser_page: Any, live_server: Any, t: Any, language: str
) -> None:
    owner = world["owner"]

    # ----- J2: the applicant, on a phone ---------------------------------------------------
    page = _context_page(new_browser_page, live_server, owner, language, viewport=PHONE)
    page.goto(f"/services/finder/{JOURNEY}/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your procedures", language))
    page.get_by_test_id("apply").scroll_into_view_if_needed()
    # Where the business will be decides which negative list answers: outside an FTZ unless
    # the applicant says otherwise.
    expect(page.get_by_label(t("Outside a pilot free trade zone", language))).to_be_checked()
    expect(page.get_by_label(t("Inside a pilot free trade zone", language))).not_to_be_checked()
    page.shot("01-plan-start-button", full_page=False)
    page.get_by_role("button", name=t("Start an application", language)).click()

    # The task list: the profile is done, each document asked for once.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your application", language))
    application = Application.objects.get()
    expect(page.get_by_test_id("progress")).to_be_visible()
    _fits_the_phone(page)
    page.shot("02-task-list")
    to_upload = list(
        application.documents.filter(obtainable_from_other_agency=False).order_by("pk")
    )
    assert len(to_upload) > 20
    names = [_name(d, "name", language) for d in to_upload]
    assert len(set(names)) == len(names)  # each once
    page.get_by_role("link", name=t("Business profile", language)).click()
    expect(page.get_by_test_id("profile")).to_contain_text(
        "朝阳区" if language != "en" else "Chaoyang District"
    )
    page.shot("03-profile")
    page.get_by_role("link", name=t("Continue", language)).click()

    # Upload each document once. The first try is a wrong file: refused at the field.
    first = to_upload[0]
    page.locator(f"a[href$='/documents/{first.pk}/']").click()
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a scan"}]
    )
    page.get_by_role("button", name=t("Upload", language), exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_be_visible()
    _expected_error_status(page, 422)
    page.shot("04-upload-wrong-type")
    for index, slot in enumerate(to_upload):
        if index:
            page.locator(f"a[href$='/documents/{slot.pk}/']").click()
        page.locator("input[type='file']").set_input_files(
            files=[
                {
                    "name": f"document-{index + 1}.pdf",
                    "mimeType": "application/pdf",
                    "buffer": pdf_bytes(f"{language}-{index}"),
                }
            ]
        )
        page.get_by_role("button", name=t("Upload", language), exact=True).click()
        expect(page.get_by_test_id("documents")).to_be_visible()
    page.shot("05-task-list-done")

    # Check your answers, then send.
    page.get_by_role("link", name=t("Check your answers and submit", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Check your answers before you apply", language)
    )
    _fits_the_phone(page)
    page.shot("06-check-your-answers")
    page.get_by_role("button", name=t("Accept and send", language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Application submitted", language))
    expect(page.get_by_test_id("reference")).to_have_text(application.reference)
    page.shot("07-confirmation")

    # One timeline: the first-stage cases run in parallel, the others wait.
    page.get_by_role("link", name=t("Follow your application", language)).click()
    cases = page.get_by_test_id("cases")
    started = Case.objects.filter(application=application, state=CaseState.SUBMITTED)
    assert started.count() >= 3
    expect(cases.locator("tbody tr")).to_have_count(application.cases.count())
    expect(cases).to_contain_text(t("Submitted", language))
    expect(cases).to_contain_text(t("Waiting for an earlier procedure", language))
    _fits_the_phone(page)
    page.shot("08-timeline-parallel")

    # ----- J3: the officers ----------------------------------------------------------------
    officers: dict[int, Any] = {}
    officer_pages: dict[int, Any] = {}

    def officer_page(agency: Agency) -> Any:
        if agency.pk not in officers:
            officers[agency.pk] = _officer(agency)
            officer_pages[agency.pk] = _context_page(
                new_browser_page, live_server, officers[agency.pk], language
            )
        return officer_pages[agency.pk]

    # A case past its due date is flagged in words in its agency's queue (the due date is
    # moved back in the record: nobody waits for a deadline in a test).
    late = Case.objects.get(application=application, service__identifier="fir_initial_report")
    Case.objects.filter(pk=late.pk).update(due_on=dt.date(2026, 11, 2))
    officer = officer_page(late.agency)
    officer.goto("/officer/cases/")
    late_row = officer.get_by_test_id("queue-row").filter(has_text=application.reference)
    expect(late_row).to_contain_text(t("Overdue", language))
    expect(late_row.locator(".govuk-tag--red")).to_be_visible()
    officer.shot("09a-queue-overdue")
    officer.get_by_label(t("Only overdue cases", language)).check()
    officer.get_by_role("button", name=t("Filter", language)).click()
    expect(officer.get_by_test_id("queue-row")).to_have_count(1)

    returned = Case.objects.get(application=application, service__identifier=RETURNED_SERVICE)
    officer = officer_page(returned.agency)
    officer.goto("/officer/cases/")
    expect(officer.get_by_role("heading", level=1)).to_have_text(t("Work queue", language))
    expect(officer.get_by_test_id("queue")).to_contain_text(application.reference)
    officer.shot("09-queue")
    row = officer.get_by_test_id("queue-row").filter(
        has=officer.get_by_role("link", name=_name(returned.service.current, "title", language))
    )
    row.get_by_role("button", name=re.compile(t("Claim", language))).click()
    expect(officer.locator(".govuk-notification-banner")).to_be_visible()
    row.get_by_role("link").first.click()
    expect(officer.get_by_test_id("state")).to_have_text(t("Submitted", language))
    officer.shot("10-case")
    request = (
        "企业名称中的字号与已登记名称近似，请另拟字号并上传新的名称申报材料。"  # noqa: RUF001
        if language != "en"
        else "The trade name is too close to a registered one: choose another and upload "
        "the new name declaration."
    )
    _act(officer, "return", correction_request=request)
    expect(officer.get_by_test_id("state")).to_have_text(t("Correction requested", language))
    expect(officer.get_by_test_id("clock")).to_contain_text(
        t("Paused: correction requested", language)
    )
    officer.shot("11-returned")

    # The applicant sees the paused clock and exactly what to fix.
    returned.refresh_from_db()
    due_before = returned.due_on
    page.reload()
    expect(page.get_by_test_id(f"case-{returned.pk}")).to_contain_text(
        t("Paused: correction requested", language)
    )
    page.shot("12-timeline-paused")
    page.get_by_role("link", name=re.compile(t("See what to correct", language))).click()
    expect(page.get_by_test_id("correction-request")).to_have_text(request)
    _fits_the_phone(page)
    page.shot("13-correction")
    page.get_by_test_id("documents").get_by_role("link").first.click()
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "name-v2.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("v2")}]
    )
    page.get_by_role("button", name=t("Upload", language), exact=True).click()
    expect(page.get_by_test_id("documents")).to_contain_text("name-v2.pdf")
    # A week passes before the applicant answers (moved back in the record, not waited for).
    clock = returned.clock
    assert clock is not None and clock.paused_on is not None
    clock.paused_on = clock.paused_on - dt.timedelta(days=7)
    clock.save(update_fields=["paused_on"])
    page.get_by_role("button", name=t("Send the correction", language)).click()
    expect(page.get_by_test_id(f"case-{returned.pk}")).to_contain_text(t("Submitted", language))
    returned.refresh_from_db()
    assert returned.due_on is not None and due_before is not None
    assert returned.due_on > due_before  # the clock resumed with a later due date
    expect(page.get_by_test_id(f"case-{returned.pk}")).to_contain_text(returned.due_on.isoformat())
    expect(page.get_by_test_id("timeline")).to_contain_text(t("Corrected and sent again", language))
    page.shot("14-resubmitted")

    # Every agency works its cases, stage by stage, up to the certificate.
    shots = 0
    for _round in range(10):
        open_cases = list(
            Case.objects.filter(application=application)
            .exclude(state__in=(CaseState.CERTIFICATE_ISSUED, CaseState.WAITING))
            .select_related("agency")
            .order_by("pk")
        )
        if not open_cases:
            break
        for case in open_cases:
            officer = officer_page(case.agency)
            officer.goto(f"/officer/cases/{case.pk}/")
            for action, state in (
                ("accept", "Accepted"),
                ("start_review", "Under review"),
                ("approve", "Approved"),
                ("issue", "Certificate issued"),
            ):
                _act(officer, action, **({"comment": "OK"} if action != "issue" else {}))
                expect(officer.get_by_test_id("state")).to_have_text(t(state, language))
                if shots < 1 and action == "approve":
                    officer.shot("15-approved")
            if shots < 1:
                officer.shot("16-certificate-issued")
                shots += 1
    assert not application.cases.exclude(state=CaseState.CERTIFICATE_ISSUED).exists()

    # The applicant downloads a certificate PDF.
    food = Case.objects.get(application=application, service__identifier="food_business_licence")
    page.reload()
    _fits_the_phone(page)
    page.shot("17-all-certificates")
    link = page.get_by_test_id(f"case-{food.pk}").get_by_role("link", name=re.compile("PDF"))
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    text = text.replace("\x00", "")  # the CJK font's two-byte codes, as pypdf reads them
    assert food.certificate.number in text
    assert "食品经营许可" in text

    # Anyone checks it on the public page (signed out, typed in).
    visitor = new_browser_page()
    visitor.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    visitor.goto("/verify/")
    visitor.get_by_label(t("Verification code", language)).fill(food.certificate.code.lower())
    visitor.shot("18-verify-form")
    visitor.get_by_role("button", name=t("Check", language), exact=True).click()
    expect(visitor.get_by_test_id("verdict")).to_contain_text(t("Genuine and valid", language))
    expect(visitor.get_by_test_id("certificate")).to_contain_text(food.certificate.number)
    visitor.shot("19-verify-genuine")

    # A revoked certificate says when and why.
    seal = Case.objects.get(application=application, service__identifier="seal_engraving_filing")
    head = _officer(seal.agency, OfficerLevel.HEAD)
    services.certificate_revoke(
        actor=head, certificate=seal.certificate, reason="Seal reported lost."
    )
    visitor.goto(f"/verify/{seal.certificate.code}/")
    expect(visitor.get_by_test_id("verdict")).to_have_text(
        t("This certificate has been revoked", language)
    )
    expect(visitor.get_by_test_id("revoked-reason")).to_have_text("Seal reported lost.")
    visitor.shot("20-verify-revoked")

    # An unknown code: a clear "not issued by us" page (404).
    visitor.goto("/verify/")
    visitor.get_by_label(t("Verification code", language)).fill("NOTAREALCODE2026")
    visitor.get_by_role("button", name=t("Check", language), exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        t("No certificate has this code", language)
    )
    _expected_error_status(visitor, 404)
    visitor.shot("21-verify-unknown")
