"""The industry pages in both languages: search without JS, the htmx partial, a node's page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.usefixtures("classification")

LANGUAGE_COOKIE = "onestop_language"


def _t(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _get(client: Client, url: str, language: str, **params: str) -> str:
    client.cookies[LANGUAGE_COOKIE] = language
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_index_lists_the_sections(client, language):
    html = _get(client, reverse("industries:index"), language)
    assert _t("Industry classification", language) in html
    assert 'href="/industries/A/"' in html and 'href="/industries/T/"' in html
    assert 'hx-get="/industries/search/"' in html
    if language == "en":
        assert "Accommodation and Catering" in html
    else:
        assert "住宿和餐饮业" in html


def test_searching_works_without_javascript(client):
    html = _get(client, reverse("industries:index"), "zh-hans", q="canyin")
    assert 'value="canyin"' in html
    results = html.split('id="industry-results"', 1)[1].split("</table>", 1)[0]
    assert re.search(r'href="/industries/62/">餐饮业</a>', results)


def test_the_htmx_partial_has_only_the_results(client):
    client.cookies[LANGUAGE_COOKIE] = "zh-hans"
    response = client.get(
        reverse("industries:results"), {"q": "cy"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "餐饮业" in html
    assert response["HX-Replace-Url"] == "/industries/?q=cy"  # a reload shows the same
    assert client.get(reverse("industries:results"))["HX-Replace-Url"] == "/industries/"


def test_no_match_says_what_to_try(client):
    html = _get(client, reverse("industries:results"), "en", q="restaurant")
    assert "No industry matches “restaurant”" in html


def test_a_class_page_shows_its_parents_and_the_missing_english_name(client):
    url = reverse("industries:detail", args=["6241"])
    zh = _get(client, url, "zh-hans")
    assert "餐饮配送服务" in zh
    assert _t("No official English name", "zh-hans") in zh  # the English-name row says so
    en = _get(client, url, "en")
    assert '<h1 class="govuk-heading-l"><span lang="zh-Hans">餐饮配送服务</span></h1>' in en
    assert 'id="no-english-name"' in en
    assert "No official English name" in en
    breadcrumbs = en.split('class="govuk-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert "H Accommodation and Catering" in breadcrumbs
    assert "62 Catering Services" in breadcrumbs
    assert '624 <span lang="zh-Hans">餐饮配送及外卖送餐服务</span>' in breadcrumbs
    assert "This is a class" in en


def test_a_division_page_lists_its_groups_and_its_english_name_source(client):
    en = _get(client, reverse("industries:detail", args=["62"]), "en")
    assert '<h1 class="govuk-heading-l">Catering Services</h1>' in en
    assert 'id="no-english-name"' not in en
    assert "a translation made for OneStop" in en
    for code in ("621", "622", "623", "624", "629"):
        assert f'href="/industries/{code}/"' in en
    assert "It contains 5 industries" in en


def test_an_unknown_code_is_a_404_page_with_suggestions(client):
    client.cookies[LANGUAGE_COOKIE] = "en"
    response = client.get(reverse("industries:detail", args=["8769"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no industry with the code 8769" in html
    assert 'href="/industries/8760/"' in html


def test_the_home_page_links_to_the_industries(client):
    html = _get(client, reverse("core:home"), "en")
    assert 'href="/industries/"' in html
