"""Fixtures of every area: where the design's example boards live, the fake clock."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from integrations.hostwindow import BUDGETS_DIR_ENV
from tests.fakes import FakeClock

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def data_home(tmp_path_factory: pytest.TempPathFactory):
    """The per-user data folder (the default state store's) and the host's shared request budgets in temporary
    folders: tests never touch the user's own nor share a budget with another test run, and the worker
    subprocesses inherit them."""
    saved = {name: os.environ.get(name) for name in ("XDG_DATA_HOME", BUDGETS_DIR_ENV)}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("data-home"))
    os.environ[BUDGETS_DIR_ENV] = str(tmp_path_factory.mktemp("budgets"))
    yield Path(os.environ["XDG_DATA_HOME"])
    for name, value in saved.items():
        if value is None:
            del os.environ[name]
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the clone (CI has it); tests that need it skip on a lone clone."""
    if not (SHARED / "fixtures" / "manifest.json").is_file():
        pytest.skip("../shared (design fixtures and API specs) is not beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def manifest(shared_dir: Path) -> dict:
    return json.loads((shared_dir / "fixtures" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def clock() -> FakeClock:
    """Time that moves only when the code under test sleeps (adapters' waits cost no real time)."""
    return FakeClock()


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium shared by a module's browser tests (reports and the web app, at phone and desktop widths)."""
    from tests.reports.support import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
