"""`scopekeeper demo --web` live: the sandboxes' webhooks call the demo's own web app, so a card a client adds
gets its comment in the inbox within seconds, without an account and without waiting for a poll."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from scheduler.store import open_store
from scheduler.store.hooks import Hooks
from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW

pytestmark = pytest.mark.slow  # the whole demo in a process

TRY_IT = re.compile(r'curl -X POST "(?P<url>http://127\.0\.0\.1:\d+/1/cards\?[^"]+)"')
WEB = re.compile(r"web app: (?P<url>http://127\.0\.0\.1:\d+)/")


def _lines_until(process: subprocess.Popen, pattern: re.Pattern, seen: list[str], timeout: float = 60) -> re.Match:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if found := pattern.search(line):
            return found
    raise AssertionError("the demo never printed " + pattern.pattern + ":\n" + "".join(seen))


def test_a_card_added_to_a_sample_board_gets_its_comment_in_the_inbox_by_webhook(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    script = Path(sys.executable).with_name("scopekeeper")
    process = subprocess.Popen([str(script), "demo", "--web", "--no-browser", "--port", "0", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
                               env={**_env(), "COLUMNS": "400"})
    seen: list[str] = []
    try:
        web = _lines_until(process, WEB, seen)["url"]
        create = _lines_until(process, TRY_IT, seen)["url"]
        store = open_store(f"sqlite:///{out / 'scopekeeper.db'}")
        try:
            hooks = Hooks(store).all()
            assert {h.provider for h in hooks} == {"trello", "asana"} and len(hooks) == 4
            assert all(h.callback_url.startswith(f"{web}/hooks/") and h.status == "active" for h in hooks)
            before = {i.card_id for i in Outbox(store).listed((PENDING_REVIEW,))}
            began = time.monotonic()
            answer = requests.post(create, timeout=30)
            assert answer.status_code == 200, answer.text
            card = answer.json()["id"]
            assert card not in before
            queued = []
            while time.monotonic() - began < 20 and not queued:
                queued = [i for i in Outbox(store).listed((PENDING_REVIEW,)) if i.card_id == card]
                time.sleep(0.2)
            waited = time.monotonic() - began
            assert len(queued) == 1, "".join(seen)
            assert "ref SK-" in queued[0].text and "online course" in queued[0].text.lower(), queued[0].text
            assert waited < 10, f"{waited:.1f} s"  # the demo never polls: only the webhook brings the card
            assert Hooks(store).pending() == []
        finally:
            store.close()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            rest, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            rest, _ = process.communicate()
    assert process.returncode == 0 and "Demo stopped." in rest, "".join(seen) + rest


def _env() -> dict[str, str]:
    """This environment without any service credential: the demo needs none."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TRELLO_", "ASANA_", "SCOPEKEEPER_"))}
