"""The API docs (Swagger UI at /api/v1/docs) in a real browser: they render offline from our own
static files with no CSP violation (the page fixture fails the test on any console error)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_docs_render_under_the_csp_without_outside_requests(
    browser_page: Any, live_server: Any
) -> None:
    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    # Chromium logs CSP violations to the console anyway; this makes sure they are errors.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert page.locator(".opblock").count() >= 10
    expect(page.get_by_text("core_me_get", exact=True)).to_be_visible()
    page.shot("docs")
    assert outside == []
