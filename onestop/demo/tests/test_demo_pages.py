"""Every kind of page the demo links to renders for every demo account, in both languages.

Starting from the home page, the test follows the links on each page as that account (and as a
visitor who is not signed in), one or two pages of each kind (URLs that differ only in their
numbers count as one kind), and reports every broken internal link (404), every server error,
every page in the wrong language and every template placeholder left in the HTML. It found
nothing when it was written; it is here so that a broken link or a page that fails for one role
shows up before a user sees it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

import pytest
from django.test import Client

from onestop.core.models import User
from onestop.demo.services import DEMO_ACCOUNTS, demo_load

pytestmark = pytest.mark.django_db

# Not followed: signing out ends the walk, and files are not pages.
NOT_FOLLOWED = re.compile(
    r"^/(static|media)/|logout|/download|/export|\.(pdf|csv|xlsx|parquet|json|ttl|xml|rdf)$"
)
LINK = re.compile(r'href="(/[^"#]*)"')
# What a template leaves behind when a variable or a translation placeholder was not filled.
LEFTOVERS = ("{{", "{%", "%(")
PAGES_PER_KIND = 2
LANGUAGES = {"zh-hans": 'lang="zh-Hans"', "en": 'lang="en"'}


@dataclass
class Walk:
    pages: int = 0
    problems: list[str] = field(default_factory=list)


def _kind(url: str) -> str:
    return re.sub(r"[0-9]+", "N", url.split("?", 1)[0])


def _walk(client: Client, language: str) -> Walk:
    walk = Walk()
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        if url in seen or NOT_FOLLOWED.search(url):
            continue
        seen.add(url)
        kinds[_kind(url)] += 1
        if kinds[_kind(url)] > PAGES_PER_KIND:
            continue
        walk.pages += 1
        response = client.get(url, headers={"Accept-Language": language})
        if response.status_code == 404 or response.status_code >= 500:
            walk.problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        # Our pages (the base template); the API docs are django-ninja's Swagger UI, in English.
        if 'class="govuk-template"' in body and LANGUAGES[language] not in body:
            walk.problems.append(f"{url}: not in {language}")
        for leftover in LEFTOVERS:
            if leftover in body:
                at = body.index(leftover)
                walk.problems.append(f"{url}: {body[max(0, at - 60) : at + 40]!r}")
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(body))
    return walk


def test_every_kind_of_linked_page_renders_for_every_account_in_both_languages() -> None:
    demo_load()
    problems: list[str] = []
    walked: dict[str, int] = {}
    for email in [None, *(account.email for account in DEMO_ACCOUNTS)]:
        for language in LANGUAGES:
            client = Client()
            client.cookies["onestop_language"] = language
            if email is not None:
                client.force_login(User.objects.get(email=email))
            walk = _walk(client, language)
            walked[f"{email or 'visitor'} {language}"] = walk.pages
            problems += [f"{email or 'visitor'} ({language}) {p}" for p in walk.problems]
    assert problems == [], "\n".join(problems)
    # The walk really went through the site: every account saw the public pages and more.
    assert min(walked.values()) >= 60, walked
    staff = walked["admin@demo.onestop.invalid en"]
    assert staff > walked["visitor en"], walked
