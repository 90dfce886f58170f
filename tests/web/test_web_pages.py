"""The web app's pages over HTTP: reports to open and download, status, the configuration reload, the CLI."""
from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomlkit

from scheduler.config.models import load_config
from scheduler.reports.weeks import last_complete_week
from scheduler.store import open_store
from scheduler.worker.adapters import Adapters
from scheduler.worker.job import Worker
from tests.web.support import DEMO_CONFIG

pytestmark = pytest.mark.slow


def test_reports_open_in_the_browser_and_download(web_world) -> None:
    session = web_world.session()
    page = session.get(web_world.url + "/reports", timeout=30)
    assert page.status_code == 200
    for name in ("Bright Path Coaching", "Atelier Lumière", "Estudio Sol", "Studio Jogi Lotos"):
        assert name in page.text
    week = last_complete_week(datetime.now(UTC), ZoneInfo("Europe/Warsaw")).key
    report = session.get(f"{web_world.url}/reports/{week}/open", params={"client": "Bright Path Coaching"}, timeout=60)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "Bright Path Coaching" in report.text and "<script" not in report.text
    assert "script-src" not in report.headers["content-security-policy"]       # no script may run at all
    assert report.headers["content-security-policy"].startswith("default-src 'none'")
    french = session.get(f"{web_world.url}/reports/{week}/open",
                         params={"client": "Atelier Lumière", "for": "client", "download": "1"}, timeout=60)
    assert french.status_code == 200 and "attachment" in french.headers["content-disposition"]
    assert f"{week}-atelier-lumiere.html" in french.headers["content-disposition"]
    csv = session.get(f"{web_world.url}/reports/{week}/open",
                      params={"client": "practice", "format": "csv"}, timeout=60)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    missing = session.get(f"{web_world.url}/reports/{week}/open", params={"client": "Nobody"}, timeout=30)
    assert missing.status_code == 404


def test_sending_without_smtp_says_what_is_missing(web_world) -> None:
    session = web_world.session()
    week = last_complete_week(datetime.now(UTC), ZoneInfo("Europe/Warsaw")).key
    answer = session.post(f"{web_world.url}/reports/{week}/send", data={"client": "Estudio Sol", "for": "client"},
                          timeout=30)
    assert answer.status_code == 200 and "Not sent: Sending needs the [smtp] settings" in answer.text


def test_status_shows_every_clients_last_check(web_world) -> None:
    page = web_world.session().get(web_world.url + "/status", timeout=30).text
    assert page.count("all fine") == 4
    assert "not running" in page   # no scheduler holds the lock in this test


def _worker(tmp_path: Path) -> tuple[Worker, Path]:
    document = tomlkit.parse(DEMO_CONFIG.read_text(encoding="utf-8"))
    document["scopekeeper"]["state_url"] = f"sqlite:///{tmp_path / 'state.db'}"
    path = tmp_path / "scopekeeper.toml"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    config = load_config(path)
    store = open_store(config.scopekeeper.state_url)
    return Worker(config, store, Adapters(config), mode="review", stop=threading.Event(), config_path=path), path


def test_the_worker_reloads_a_changed_configuration_and_never_an_invalid_one(tmp_path: Path, caplog) -> None:
    worker, path = _worker(tmp_path)
    caplog.set_level(logging.INFO, logger="scopekeeper.worker")
    assert not worker.reload_if_changed()                       # unchanged: nothing to do
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("hours = 20\n", "hours = 25\n", 1), encoding="utf-8")
    assert worker.reload_if_changed()
    assert worker.config.client("Bright Path Coaching").contract.hours == 25
    assert any("reloaded" in r.getMessage() and "Bright Path Coaching" in r.getMessage() for r in caplog.records)

    path.write_text(text.replace("hours = 20\n", "hours = -1\n", 1), encoding="utf-8")
    assert not worker.reload_if_changed()
    assert worker.config.client("Bright Path Coaching").contract.hours == 25     # the running one stays
    refused = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert refused and "cannot be used" in refused[-1].getMessage() and "hours" in refused[-1].getMessage()
    worker.store.close()


def test_a_scheduled_scan_uses_the_reloaded_client_and_skips_a_removed_one(tmp_path: Path) -> None:
    worker, path = _worker(tmp_path)
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    removed = document["clients"][3]
    assert removed["name"] == "Studio Jogi Lotos"
    del document["clients"][3]
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    old_client = next(c for c in worker.config.clients if c.name == "Studio Jogi Lotos")
    assert worker.scheduled_scan(old_client) is None            # no longer in the configuration: not scanned
    assert [c.name for c in worker.config.clients] == ["Bright Path Coaching", "Atelier Lumière", "Estudio Sol"]
    worker.store.close()
