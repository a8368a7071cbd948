"""The register in a browser: an enterprise's record with its size class and the reason, in
Chinese and English; a back-office import with its progress (htmx polling) and row errors."""
# ruff: noqa: RUF001 - agencies write Chinese headers with full-width brackets, as here

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from onestop.conftest import Cast, build_cast
from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.models import ImportRun, ImportStatus
from onestop.enterprises.services import enterprise_register_save, enterprise_year_save
from onestop.enterprises.tests.factories import load_industry_classes

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db: None) -> Cast:
    load_industry_classes()
    cast = build_cast()
    enterprise = enterprise_register_save(
        actor=None,
        credit_code=cast.enterprise_a.credit_code,
        name_zh="北京示范餐饮有限公司",
        name_en="Demo Catering Co., Ltd.",
        industry_code="6210",
        district="110105",
        registered_on="2016-03-18",
        registered_capital="100",
        tags=["hard_hit"],
    )
    for year, employees, revenue, assets in ((2019, 12, "150", "60"), (2020, 8, "80", "55")):
        enterprise_year_save(
            actor=None,
            enterprise=enterprise,
            year=year,
            employees=employees,
            operating_revenue=revenue,
            total_assets=assets,
        )
    return cast


def _signed_in(new_browser_page: Any, live_server: Any, user: Any, language: str) -> Any:
    client = Client()
    client.force_login(user)
    page = new_browser_page()
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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_enterprise_sees_its_size_class_and_why(
    world: Cast, new_browser_page: Any, live_server: Any, t: Any, language: str
) -> None:
    page = _signed_in(new_browser_page, live_server, world.owner, language)
    page.goto("/enterprises/register/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Demo Catering Co., Ltd." if language == "en" else "北京示范餐饮有限公司"
    )
    reason = page.locator("#size-reason")
    expect(page.locator("#size-class strong")).to_have_text(t("Micro", language))
    if language == "en":
        expect(reason).to_contain_text("Micro: Catering, 2020 figures:")
        expect(reason).to_contain_text("employees 8 < 10 persons")
        expect(reason).to_contain_text("operating revenue 80 < 100 (10,000 CNY)")
        expect(page.locator("main")).to_contain_text("Chaoyang District")
    else:
        expect(reason).to_contain_text("餐饮业")
        expect(page.locator("main")).to_contain_text("朝阳区")
    rows = page.locator("#figures tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2020")
    page.shot(f"{language}-record")
    page.set_viewport_size({"width": 375, "height": 800})
    page.shot(f"{language}-record-phone")


def test_back_office_import_shows_progress_and_row_errors(
    world: Cast, new_browser_page: Any, live_server: Any, t: Any, tmp_path: Path
) -> None:
    language = "zh-hans"
    good = credit_code_from_number(61)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    file = tmp_path / "朝阳区商务局报送.csv"
    file.write_bytes(
        (
            "统一社会信用代码,企业名称,行业代码,所属区,年度,从业人员（人）,营业收入（万元）\n"
            f"{good},朝阳小面馆,6210,朝阳区,2020,6,45\n"
            f"{bad},代码有误的公司,6210,朝阳区,2020,6,45\n"
            f"{credit_code_from_number(62)},人数为负的公司,6210,朝阳区,2020,-3,45\n"
            f"{credit_code_from_number(63)},行业未知的公司,9999,朝阳区,2020,6,45\n"
        ).encode("gbk")
    )
    page = _signed_in(new_browser_page, live_server, world.city_admin, language)
    page.goto("/enterprises/register/imports/")
    page.shot("upload-form")
    page.locator("input[type=file]").set_input_files(str(file))
    page.get_by_role("button", name=t("Upload and import", language)).click()
    expect(page.locator("#import-status")).to_have_text(t("Done", language))
    expect(page.locator("#import-ok")).to_have_text("1")
    expect(page.locator("#import-failed")).to_have_text("3")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text(bad)
    expect(errors.nth(1)).to_contain_text("-3")
    expect(errors.nth(2)).to_contain_text("9999")
    expect(page.locator("main")).to_contain_text("GBK")
    page.shot("import-done-with-errors")

    # A long import still running: the page polls and updates itself (no reload).
    run = ImportRun.objects.create(
        file_name="全市企业名录.xlsx",
        status=ImportStatus.RUNNING,
        encoding="XLSX",
        rows_total=1_000_000,
        rows_done=250_000,
        rows_ok=249_990,
        rows_failed=10,
    )
    page.goto(f"/enterprises/register/imports/{run.pk}/")
    expect(page.locator("#import-percent")).to_contain_text("25")
    page.evaluate("window.__notReloaded = true")
    page.shot("import-running")
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.DONE, rows_done=1_000_000, rows_ok=999_980, rows_failed=20
    )
    expect(page.locator("#import-status")).to_have_text(t("Done", language), timeout=5000)
    expect(page.locator("#import-ok")).to_have_text(re.compile(r"^999,?980$"))  # zh: no grouping
    assert page.evaluate("window.__notReloaded") is True
    page.shot("import-finished-by-polling")
