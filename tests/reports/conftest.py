"""Report fixtures: a headless Chromium shared by a module's browser tests."""
from __future__ import annotations

import pytest

from tests.reports.support import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests (the reports at phone and desktop widths)."""
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
