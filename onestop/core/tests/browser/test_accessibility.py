"""Accessibility: axe-core (the npm devDependency ``axe-core``, installed by ``make install``)
checks one page of every kind the demo links to, as a visitor and as six kinds of demo account,
in Chinese and in English, and the test fails on any violation axe reports (WCAG 2.x A and AA
rules, and axe's best practices such as "all content inside landmarks").

Axe cannot judge everything (reading order, plain language, whether a label makes sense); it
catches what a machine can: missing labels and names, contrast, landmarks, ARIA misuse, focus
traps in scrolling areas. Each account walks one page of each kind it can reach; axe runs only on
kinds no earlier account saw (about sixty), in the language that account uses.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from onestop.core.models import User
from onestop.demo.services import demo_load

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
NOT_FOLLOWED = re.compile(
    r"^/(static|media|api|admin|documents)/|logout|/download|/export|"
    r"\.(pdf|csv|xlsx|parquet|json|ttl|xml|rdf)$"
)
# Who walks, in which language. Each account adds the kinds of page only it can see; each kind
# is checked once, in the language of the first account that reaches it.
WALKERS = [
    (None, "zh-hans"),
    ("owner", "en"),
    ("investor", "zh-hans"),
    ("clerk", "en"),
    ("steward", "en"),
    ("admin", "en"),
]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.html.slice(0, 160)),
  }));
}"""


def _axe_source() -> str:
    if AXE.exists():
        return AXE.read_text("utf-8")
    message = f"{AXE} missing: run `make install` (npm ci installs axe-core)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must run the accessibility check)", pytrace=False)
    pytest.skip(message + " — accessibility check NOT run")


def _page_for(
    new_browser_page: Callable[..., Any], live_server: Any, email: str | None, language: str
) -> Any:
    page = new_browser_page()
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if email is not None:
        client = Client()
        client.force_login(User.objects.get(email=email))
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        )
    page.context.add_cookies(cookies)
    return page


def _axe(page: Any, axe: str, where: str) -> list[str]:
    """axe's violations on the page, one line each, starting with ``where``."""
    page.evaluate(axe)
    return [
        f"{where}: {found['impact']} {found['id']} ({found['help']}): {found['nodes']}"
        for found in page.evaluate(RUN_AXE)
    ]


def _kind(url: str) -> str:
    """The page's kind: path segments that name a record (they hold a digit, "_" or "-",
    like 7249, tax_deregistration or OS-2026-000001) become "*"; fixed words stay."""
    first, *rest = url.split("?", 1)[0].strip("/").split("/") or [""]
    named = ["*" if re.search(r"[0-9_-]", segment) else segment for segment in rest]
    return "/".join([first, *named])


def test_every_kind_of_demo_page_passes_axe(
    new_browser_page: Callable[..., Any], live_server: Any
) -> None:
    axe = _axe_source()
    demo_load()
    checked: set[str] = set()
    violations: list[str] = []
    for who, language in WALKERS:
        email = f"{who}@demo.onestop.invalid" if who else None
        page = _page_for(new_browser_page, live_server, email, language)
        walked: set[str] = set()
        queue = deque(["/"])
        while queue:
            url = queue.popleft()
            if NOT_FOLLOWED.search(url) or _kind(url) in walked:
                continue
            walked.add(_kind(url))
            response = page.goto(url)
            if response is None or "html" not in response.headers.get("content-type", ""):
                continue
            if _kind(url) not in checked:
                checked.add(_kind(url))
                violations += _axe(page, axe, f"{who or 'visitor'} ({language}) {url}")
            links = page.eval_on_selector_all(
                "a[href^='/']", "links => links.map(a => a.getAttribute('href'))"
            )
            queue.extend(link.split("#", 1)[0] for link in links)
        page.close()
    assert violations == [], "\n".join(violations)
    # The walk reached the pages behind sign-in, not only the public ones.
    assert len(checked) > 50, sorted(checked)
    assert {"officer/cases/*", "audit", "applications/*"} <= checked, sorted(checked)


# Forms sent empty: each must come back with the error summary, which axe checks too (error
# messages tied to their fields, the summary's links, the fields' described-by).
EMPTY_FORMS = [
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/register/enterprise/",
    "/accounts/register/investor/",
    "/access/",
]


def test_forms_sent_empty_pass_axe(new_browser_page: Callable[..., Any], live_server: Any) -> None:
    axe = _axe_source()
    violations: list[str] = []
    for language in ("zh-hans", "en"):
        page = _page_for(new_browser_page, live_server, None, language)
        for url in EMPTY_FORMS:
            page.goto(url)
            page.locator("main form [type=submit]").last.click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            violations += _axe(page, axe, f"{language} {url} sent empty")
        page.close()
    assert violations == [], "\n".join(violations)
