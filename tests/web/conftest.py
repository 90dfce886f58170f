"""Web app fixtures: the demo world served by the app, and a headless Chromium per module."""
from __future__ import annotations

import pytest

from tests.reports.support import CHROMIUM_ARGS, chromium_path
from tests.web.support import web_world  # noqa: F401  (the module-wide fixture is defined beside its world)


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests."""
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
