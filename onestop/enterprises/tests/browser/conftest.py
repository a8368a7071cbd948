"""The shared browser fixtures (onestop/core/tests/browser/conftest.py), for the register pages.

Imported by name: ``import *`` would skip the private ``_chromium`` fixture.
"""

from onestop.core.tests.browser.conftest import (  # noqa: F401
    _chromium,
    browser_page,
    new_browser_page,
    pytest_runtest_makereport,
    screenshot_dir,
    t,
)
