"""Register pages and API: the record with its size reason in both languages, the back-office
list, an upload imported by the task with its progress and row errors."""
# ruff: noqa: RUF001 - Chinese messages use full-width brackets

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from onestop.conftest import Cast
from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.models import Enterprise, ImportRun, ImportStatus
from onestop.enterprises.services import enterprise_register_save, enterprise_year_save

pytestmark = pytest.mark.usefixtures("industries")


@pytest.fixture
def catering(cast: Cast) -> Enterprise:
    enterprise = enterprise_register_save(
        actor=None,
        credit_code=cast.enterprise_a.credit_code,
        industry_code="6210",
        district="110105",
        tags=["hard_hit"],
    )
    for year, employees, revenue in ((2019, 12, "150"), (2020, 8, "80")):
        enterprise_year_save(
            actor=None,
            enterprise=enterprise,
            year=year,
            employees=employees,
            operating_revenue=revenue,
            total_assets="50",
        )
    enterprise.refresh_from_db()
    return enterprise


def test_owner_sees_size_and_reason_in_chinese_and_english(
    client: Client, cast: Cast, catering: Enterprise
) -> None:
    client.force_login(cast.owner)
    url = reverse("enterprises:record", args=[catering.pk])
    page = client.get(url).content.decode()
    assert "微型" in page or "Micro" in page  # the class label (translated once the lead adds .po)
    assert "餐饮业" in page and "朝阳区" in page
    assert "2019" in page and "150" in page and "2020" in page
    client.cookies["onestop_language"] = "en"
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Micro: Catering, 2020 figures:" in page
    assert "employees 8 &lt; 10 persons" in page
    assert "operating revenue 80 &lt; 100 (10,000 CNY)" in page
    assert "Hard hit by the pandemic" in page and "Chaoyang District" in page
    assert "正餐服务" in page and "No official English name" in page  # 6210 has none


def test_mine_goes_straight_to_the_one_record(client: Client, cast: Cast) -> None:
    client.force_login(cast.owner)
    response = client.get(reverse("enterprises:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:record", args=[cast.enterprise_a.pk])


def test_officers_search_the_register(client: Client, cast: Cast, catering: Enterprise) -> None:
    enterprise_register_save(
        actor=None,
        credit_code=credit_code_from_number(31, district="110108"),
        name_zh="海淀软件有限公司",
        name_en="Haidian Software",
        industry_code="6513",
        district="110108",
    )
    client.force_login(cast.officer_b)
    url = reverse("enterprises:register")
    assert "海淀软件有限公司" in client.get(url, {"q": "软件"}).content.decode()
    found = client.get(url, {"q": "软件"}).content.decode()
    assert catering.name_zh not in found
    by_code = client.get(url, {"q": catering.credit_code[:10]}).content.decode()
    assert catering.name_zh in by_code and "海淀软件" not in by_code
    by_size = client.get(url, {"size": "micro"}).content.decode()
    assert catering.name_zh in by_size and "海淀软件" not in by_size
    bad = client.get(url, {"district": "999999"})
    assert bad.status_code == 200  # an unknown filter value is ignored, with the form's error


def test_upload_runs_the_import_and_shows_row_errors(
    client: Client, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    good = credit_code_from_number(41)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    text = (
        "统一社会信用代码,企业名称,行业代码,年度,从业人员,营业收入\n"
        f"{good},好公司,6210,2020,5,40\n"
        f"{bad},坏公司,6210,2020,5,40\n"
        f"{credit_code_from_number(42)},负数公司,6210,2020,-4,40\n"
    )
    upload = SimpleUploadedFile("agency.csv", text.encode("gbk"), content_type="text/csv")
    client.force_login(cast.city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("enterprises:imports"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:import_run", args=[run.pk])
    assert run.status == ImportStatus.DONE  # the task ran (immediate backend in tests)
    assert (run.rows_ok, run.rows_failed, run.encoding) == (1, 2, "GBK")
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-errors"' in page and bad in page and "-4" in page
    assert "hx-trigger" not in page  # finished: no more polling
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"')
    report = client.get(reverse("enterprises:import_report", args=[run.pk]))
    assert report.status_code == 200
    assert bad in b"".join(report.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert Enterprise.objects.filter(credit_code=good).exists()


def test_row_errors_are_shown_in_the_readers_language(client: Client, cast: Cast) -> None:
    """Stored in each language by the import; records from before that show their one text."""
    run = ImportRun.objects.create(
        file_name="agency.csv",
        status=ImportStatus.FAILED,
        message="文件为空。",
        message_texts={"zh-hans": "文件为空。", "en": "The file is empty."},
        errors=[
            {"row": 3, "column": "从业人员", "value": "-4", "code": "negative",
             "message": "从业人员人数不能为负数（-4）。",
             "messages": {"zh-hans": "从业人员人数不能为负数（-4）。",
                          "en": "The number of employees cannot be negative (-4)."}},
            {"row": 4, "column": "年度", "value": "20x0", "code": "invalid_year",
             "message": "Not a year: 20x0."},
        ],
    )  # fmt: skip
    client.force_login(cast.city_admin)
    url = reverse("enterprises:import_run", args=[run.pk])
    page = client.get(url).content.decode()
    assert "从业人员人数不能为负数（-4）。" in page and "文件为空。" in page
    client.cookies["onestop_language"] = "en"
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The number of employees cannot be negative (-4)." in page
    assert "The file is empty." in page and "文件为空" not in page
    assert "Not a year: 20x0." in page  # an older record: its one stored text


def test_upload_of_another_file_type_is_refused_with_the_reason(client: Client, cast: Cast) -> None:
    client.force_login(cast.city_admin)
    upload = SimpleUploadedFile("register.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("enterprises:imports"), {"file": upload})
    assert response.status_code == 422
    assert ".csv" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_running_import_page_polls_and_offers_a_refresh_link(client: Client, cast: Cast) -> None:
    run = ImportRun.objects.create(
        file_name="big.csv", status=ImportStatus.RUNNING, rows_total=1000, rows_done=250
    )
    client.force_login(cast.city_admin)
    page = client.get(reverse("enterprises:import_run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="25"' in page  # 25 %
    assert reverse("enterprises:import_run", args=[run.pk]) in page


def test_api_own_record_for_members_all_for_officers(
    client: Client, cast: Cast, catering: Enterprise
) -> None:
    client.force_login(cast.owner)
    mine = client.get("/api/v1/enterprises/register").json()
    assert [row["credit_code"] for row in mine["items"]] == [catering.credit_code]
    record = client.get(f"/api/v1/enterprises/{catering.pk}/register").json()
    assert record["size"]["size_class"] == "micro" and record["size"]["year"] == 2020
    assert [y["year"] for y in record["years"]] == [2020, 2019]
    assert record["tags"] == ["hard_hit"]
    client.force_login(cast.other_member)
    assert client.get(f"/api/v1/enterprises/{catering.pk}/register").status_code == 403
    theirs = client.get("/api/v1/enterprises/register").json()["items"]
    assert [row["credit_code"] for row in theirs] == [cast.enterprise_b.credit_code]
    client.force_login(cast.officer_a)
    assert client.get("/api/v1/enterprises/register").json()["count"] >= 2


def test_api_writes_name_the_bad_field(client: Client, cast: Cast, catering: Enterprise) -> None:
    client.force_login(cast.city_admin)
    response = client.post(
        "/api/v1/enterprises/register",
        {"credit_code": catering.credit_code, "industry_code": "9999"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].endswith("industry_code")
    response = client.put(
        f"/api/v1/enterprises/{catering.pk}/register/years/2021",
        {"employees": -1, "operating_revenue": "10"},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.put(
        f"/api/v1/enterprises/{catering.pk}/register/years/2020",
        {"employees": 30, "operating_revenue": "300", "total_assets": "100"},
        content_type="application/json",
    )
    assert response.status_code == 200
    catering.refresh_from_db()
    assert catering.size_class == "small"
    assert catering.years.get(year=2019).operating_revenue == Decimal("150.00")
