"""`scopekeeper run` serves the web app beside the scheduler, and picks up a contract saved meanwhile."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
import requests

from scheduler.web.context import logins_path
from scheduler.web.security import LoginTokens
from tests.worker.support import Background, wait_until

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_serves_the_web_app_and_reloads_a_changed_contract(world, tmp_path: Path) -> None:
    port = _free_port()
    config = world.config(mode="review")
    config.write_text(config.read_text(encoding="utf-8") + f"\n[scopekeeper.web]\nport = {port}\n", encoding="utf-8")
    worker = Background(world, config)
    try:
        worker.wait_for("web_started", timeout=60)
        first_scan = worker.wait_for("scan_done", timeout=60)
        assert first_scan
        # `scopekeeper open` makes a link for the running app: it works once.
        link = f"http://127.0.0.1:{port}/login?token={LoginTokens(logins_path(config)).new()}"
        session = requests.Session()
        assert session.get(link, allow_redirects=False, timeout=10).status_code == 303
        inbox = session.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert inbox.status_code == 200 and "Inbox" in inbox.text
        assert requests.get(link, allow_redirects=False, timeout=10).status_code == 403

        # The contract changes on disk: the worker says it reloaded it; a broken file is refused and logged.
        text = config.read_text(encoding="utf-8")
        assert "\nhours = 3\n" in text
        config.write_text(text.replace("\nhours = 3\n", "\nhours = 4\n", 1), encoding="utf-8")
        reloaded = worker.wait_for("config_reloaded", timeout=60)
        assert reloaded["message"].endswith("reloaded (changed: Bright Path)")
        config.write_text(text.replace("\nhours = 3\n", "\nhours = \"lots\"\n", 1), encoding="utf-8")
        refused = worker.wait_for("config_invalid", timeout=60)
        assert "hours" in refused["message"]
        wait_until(lambda: worker.process.poll() is None, what="the worker still running")
    finally:
        assert worker.signal() == 0
