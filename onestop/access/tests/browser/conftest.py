"""The shared browser fixtures (onestop/core/tests/browser/conftest.py), for the access pages.

A conftest only reaches the tests below its folder, so the fixtures (and the report hook that
lets a failing test leave a screenshot) are imported here by name; ``import *`` would skip the
private ``_chromium`` fixture.
"""

from onestop.core.tests.browser.conftest import (  # noqa: F401
    _chromium,
    browser_page,
    new_browser_page,
    pytest_runtest_makereport,
    screenshot_dir,
    t,
)
