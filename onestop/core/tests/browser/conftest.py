"""Browser tests: Playwright's sync API drives Debian's chromium against the live server.

Nothing is downloaded: `playwright install` is never run, the browser is /usr/bin/chromium.
Without it (or without a CJK font, which makes Chinese pages unreadable in screenshots) the
tests are skipped loudly on a developer's machine and fail in CI (CI=true).

Screenshots: ./test-artifacts/screenshots/<test-name>-<step>.png (gitignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"


def _missing_prerequisite() -> str | None:
    if not Path(CHROMIUM).exists():
        return "chromium not installed"
    fc_list = shutil.which("fc-list")
    if fc_list:
        fonts = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
        ).stdout
        if not fonts.strip():
            return "no Chinese font installed (Chinese would show as empty boxes)"
    return None


def _require_prerequisites() -> None:
    problem = _missing_prerequisite()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem}: {INSTALL_HINT} (CI must run the browser tests)", pytrace=False)
    pytest.skip(f"{problem}: {INSTALL_HINT} — browser tests NOT run")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: Any
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Remember each phase's outcome so fixtures can screenshot a failing page.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def _chromium(django_db_setup: None) -> Iterator[Any]:
    """One chromium per test module (the test database is created before it starts)."""
    _require_prerequisites()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, and Django's ORM refuses to run
    # beside one unless told it is deliberate: our ORM calls are plain synchronous ones. Only
    # while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _artifact_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    path = Path(request.config.rootpath) / "test-artifacts" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def new_browser_page(
    request: pytest.FixtureRequest,
    _chromium: Any,
    live_server: Any,
    transactional_db: None,
    settings: Any,
    screenshot_dir: Path,
) -> Iterator[Callable[..., Any]]:
    """Make pages on the live server. ``new_browser_page(**context_options)`` returns a page
    with ``page.shot(step)`` to save a screenshot and ``page.problems`` listing console errors,
    uncaught exceptions and CSP violations (the test fails if any happened)."""
    # Links in emails must point at the live server.
    settings.SITE_URL = live_server.url
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = _chromium.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        prefix = _artifact_name(request) + (f"-p{len(pages) + 1}" if pages else "")

        def shot(step: str, *, full_page: bool = True) -> Path:
            path = screenshot_dir / f"{prefix}-{step}.png"
            page.screenshot(path=str(path), full_page=full_page)
            return path

        page.shot = shot
        page.problems = problems
        pages.append(page)
        return page

    yield make

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    problems = []
    for page in pages:
        if failed and not page.is_closed():
            # Best effort: the test has already failed.
            with contextlib.suppress(Exception):
                page.shot("FAILED")
        problems.extend(page.problems)
    for context in contexts:
        context.close()
    if problems and not failed:
        pytest.fail("the browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def browser_page(new_browser_page: Callable[..., Any]) -> Any:
    """A desktop-sized page on the live server (see ``new_browser_page``)."""
    return new_browser_page()


@pytest.fixture
def t() -> Callable[..., str]:
    """``t(text, language)``: what the page shows for an English source string in ``language``.

    Tests find elements by their visible text through this, so they keep passing (and start
    checking real Chinese) once the zh_Hans catalogue is translated.
    """

    def translate(text: str, language: str, **params: Any) -> str:
        with translation.override(language):
            result = translation.gettext(text)
        return result % params if params else result

    return translate
