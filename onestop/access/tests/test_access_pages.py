"""The access pages: the guided form, the result at a shareable URL, editions, items, diff."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from onestop.access.models import Edition
from onestop.access.tests.negative_list_fixtures import access_data, access_world  # noqa: F401

EN = {"Accept-Language": "en"}


def _get(client: Client, url: str, **params: Any) -> Any:
    client.cookies["onestop_language"] = "en"
    return client.get(url, params, headers=EN)


def test_form_search_step_without_js(client: Client, access_data: Any) -> None:  # noqa: F811
    page = _get(client, reverse("access:start"), q="8760").content.decode()
    assert 'name="industry" type="radio" value="8760"' in page
    fragment = _get(client, reverse("access:industry_options"), q="电影放映").content.decode()
    assert 'value="8760"' in fragment


def test_result_page_cinema(client: Client, access_data: Any) -> None:  # noqa: F811
    params = {
        "industry": "8760",
        "foreign_share": "70",
        "form": "company",
        "place": "outside_ftz",
        "date": "2021-06-01",
    }
    page = _get(client, reverse("access:result"), **params).content.decode()
    assert "It depends" in page and "answer_film" in page
    assert 'name="asked" value="film"' in page and "There is a problem" not in page
    # "Continue" with no answer chosen: the page says which question needs one.
    page = _get(client, reverse("access:result"), **params, asked="film").content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    assert 'href="#answer-film-' in page and "govuk-form-group--error" in page
    # The share link does not carry the marker (it would open on an error).
    share = page.split("onestop-share-link")[1].split("</a>")[0]
    assert "industry=8760" in share and "asked=" not in share
    page = _get(client, reverse("access:result"), **params, answer_film="no", asked="film")
    page = page.content.decode()
    assert "There is a problem" not in page
    assert "Yes, allowed" in page
    assert "Decree No. 32" in page
    assert "/services/finder/" in page or "finder" in page
    assert "print.css" in page
    assert "style=" not in page  # strict CSP: no inline styles


def test_result_errors_show_the_summary(client: Client, access_data: Any) -> None:  # noqa: F811
    page = _get(
        client,
        reverse("access:result"),
        industry="8769",
        foreign_share="170",
        form="company",
        place="outside_ftz",
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "8769" in page and "100" in page
    page = _get(
        client,
        reverse("access:result"),
        industry="6210",
        foreign_share="70",
        form="company",
        place="outside_ftz",
        date="2019-01-01",
    ).content.decode()
    assert "2020-07-23" in page


def test_editions_item_and_diff_pages(client: Client, access_data: Any) -> None:  # noqa: F811
    national = Edition.objects.get(code="national-2020")
    assert "Decree No. 32" in _get(client, reverse("access:editions")).content.decode()
    page = _get(client, reverse("access:edition", args=[national.pk])).content.decode()
    assert "individual businesses" in page and "Not confirmed" in page
    item = _get(client, reverse("access:item", args=[national.pk, 31])).content.decode()
    assert "8760" in item and "part of the class" in item
    assert _get(client, reverse("access:item", args=[national.pk, 99])).status_code == 404
    diff = _get(client, reverse("access:diff"), **{"from": "national-2020", "to": "ftz-2020"})
    text = diff.content.decode()
    assert "removed" in text and "fishing" in text
    moved = _get(client, reverse("access:diff"), **{"from": "ftz-2020", "to": "ftz-2021"})
    text = moved.content.decode()
    assert "Now a part of item #14." in text and "The measure itself: relaxed." in text
    client.cookies["onestop_language"] = "zh-hans"
    chinese = client.get(
        reverse("access:diff"),
        {"from": "ftz-2020", "to": "ftz-2021"},
        headers={"Accept-Language": "zh-hans"},
    ).content.decode()
    # Every change is named in Chinese, in the counts and the per-code table as well.
    assert "现为第14条的一部分。" in chinese and "措施本身：放宽。" in chinese  # noqa: RUF001
    assert ">removed<" not in chinese and "relaxed:" not in chinese
    bad = _get(client, reverse("access:diff"), **{"from": "x", "to": "y"}).content.decode()
    assert "govuk-error-summary" in bad
