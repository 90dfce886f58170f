"""The real long-running `scopekeeper run` with public_url: the sandboxes deliver webhooks to its web app and a new
card is answered within seconds; three deliveries make one evaluation; its own comments trigger nothing; a forged
delivery is 401 and changes nothing; a board connected or disconnected in the file gains or loses its webhook."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from integrations.sandbox.trello import SANDBOX_SECRET
from integrations.webhooks import trello_signature
from scheduler.store import open_store
from scheduler.store.hooks import Hooks
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, Background, wait_until
from tests.worker.test_web_run import _free_port

pytestmark = pytest.mark.slow

# Clients' new requests, as they write them (the clients' contracts are in English): each is out of scope
# (a content strategy is a consultation).
NEW_TRELLO_CARD = "Czy mogłaby Pani przygotować **strategy** na Q1? 🙏 Zażółć gęślą jaźń"
NEW_ASANA_TASK = "Could u do a content strategy for the spring?? 🛒 no rush"


def _scans(worker: Background, client: str, after: int) -> int:
    return sum(1 for e in worker.logs[after:] if e.get("event") == "scan_done" and e.get("client") == client)


def test_run_with_public_url_answers_by_webhook_within_seconds(world, tmp_path: Path) -> None:
    port = _free_port()
    public = f"http://127.0.0.1:{port}"
    config = world.config(mode="auto")
    text = config.read_text(encoding="utf-8").replace('scan_every = "1m"', 'scan_every = "1h"')
    config.write_text(text + f'\n[scopekeeper.web]\nport = {port}\npublic_url = "{public}"\n', encoding="utf-8")
    worker = Background(world, config, TRELLO_API_SECRET=SANDBOX_SECRET)
    store = open_store(world.state_url)
    try:
        worker.wait_for("web_started", timeout=60)
        for provider in ("trello", "asana"):
            worker.wait_for("webhook_registered", board=f"{provider}:"
                            f"{world.trello_board if provider == 'trello' else world.asana_project}", timeout=60)
        (trello_hook,) = world.trello.webhooks.values()
        (asana_hook,) = world.asana.webhooks.values()
        assert trello_hook["callbackURL"] == f"{public}/hooks/trello"
        assert asana_hook["target"].startswith(f"{public}/hooks/asana/")
        # The first scans post the seeded cards' comments; their own deliveries are ignored.
        wait_until(lambda: set(world.comment_counts().values()) == {1}, 60, "the first scans' comments")
        assert world.trello.deliver.wait_idle() and world.asana.deliver.wait_idle()
        time.sleep(2)
        assert Hooks(store).pending() == []

        # A client adds a card; Trello delivers the event three times: one evaluation, the comment in seconds.
        world.trello.deliver.times = 3
        mark = len(worker.logs)
        began = time.monotonic()
        card = world.add_card(NEW_TRELLO_CARD, ("consultation",))
        wait_until(lambda: world.trello.comments_on(card["id"]), 30, "the new card's comment")
        trello_seconds = time.monotonic() - began
        assert world.trello.deliver.wait_idle()
        time.sleep(3)  # anything the deliveries (ours included) would trigger has had its chance
        assert trello_seconds < 10, f"{trello_seconds:.1f} s"
        assert _scans(worker, TRELLO_CLIENT, mark) == 1, worker.logs[mark:]
        assert len(world.trello.comments_on(card["id"])) == 1
        delivered = [status for url, status in world.trello.deliver.attempts if url == trello_hook["callbackURL"]]
        assert delivered[-6:] == [200] * 6   # the card's three deliveries, then our comment's three, all accepted
        assert Hooks(store).pending() == []

        # Asana: a new task gets its comment within seconds too; our comment story triggers nothing.
        world.asana.deliver.times = 1
        mark = len(worker.logs)
        began = time.monotonic()
        task = world.asana.add_task(world.asana_project, NEW_ASANA_TASK, notes="- Instagram + newsletter\n- *not* logo")
        wait_until(lambda: world.asana.comments(task["gid"]), 30, "the new task's comment")
        asana_seconds = time.monotonic() - began
        assert world.asana.deliver.wait_idle()
        time.sleep(3)
        assert asana_seconds < 10 and _scans(worker, ASANA_CLIENT, mark) == 1, worker.logs[mark:]
        assert len(world.asana.comments(task["gid"])) == 1

        # A forged delivery: 401, nothing queued, nothing scanned.
        mark = len(worker.logs)
        body = (f'{{"action":{{"id":"6a0000000000000000000001","type":"createCard","data":{{"board":'
                f'{{"id":"{world.trello_board}"}},"card":{{"name":"Strategy 🎉"}}}}}},'
                f'"model":{{"id":"{world.trello_board}"}}}}').encode()
        for signature in (None, trello_signature("not-the-app-secret", body, trello_hook["callbackURL"]),
                          trello_signature(SANDBOX_SECRET, body + b" ", trello_hook["callbackURL"])):
            headers = {"X-Trello-Webhook": signature} if signature else {}
            answer = requests.post(trello_hook["callbackURL"], data=body, headers=headers, timeout=10)
            assert answer.status_code == 401
        time.sleep(2)
        assert Hooks(store).pending() == [] and _scans(worker, TRELLO_CLIENT, mark) == 0

        # The project is disconnected in the file: its webhook goes; connected again: it comes back.
        text = config.read_text(encoding="utf-8")
        entry = f'{{ provider = "asana", id = "{world.asana_project}" }}'
        assert entry in text
        config.write_text(text.replace(entry, ""), encoding="utf-8")
        wait_until(lambda: not world.asana.webhooks, 30, "the disconnected project's webhook removed")
        assert {h.provider for h in Hooks(store).all()} == {"trello"} and len(world.trello.webhooks) == 1
        config.write_text(text, encoding="utf-8")
        wait_until(lambda: len(world.asana.webhooks) == 1, 30, "the reconnected project's webhook")
        wait_until(lambda: {h.provider for h in Hooks(store).all()} == {"trello", "asana"}, 10, "both registered")
    finally:
        store.close()
        assert worker.signal() == 0
