"""Webhooks end to end on the sandboxes: registration, signed deliveries into the durable queue (three
deliveries, one evaluation), ScopeKeeper's own comments ignored, forged deliveries refused, health and removal."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests

from integrations.sandbox.trello import SANDBOX_SECRET
from integrations.webhooks import asana_signature, trello_signature
from scheduler.config.models import load_config
from scheduler.notify.notifier import Notifier
from scheduler.store import open_store
from scheduler.store.hooks import Hooks
from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW
from scheduler.web.hooks import HookServer
from scheduler.worker.adapters import Adapters
from scheduler.worker.hooks import process_events, sync_webhooks
from scheduler.worker.job import Worker
from tests.worker.notify_support import hook_server
from tests.worker.support import ASANA_CLIENT, TRELLO_CLIENT, World, use_world_env

NEW_CARD = "Pourriez-vous préparer une strategy de contenu pour janvier ? 🙏 Merci !"


@pytest.fixture
def live(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path):
    """A worker and the webhook routes on loopback, on the world's sandboxes and store."""
    use_world_env(world, monkeypatch)
    monkeypatch.setenv("TRELLO_API_SECRET", SANDBOX_SECRET)
    made = []

    def start(mode: str = "review", notify_url: str | None = None, every: str = "1m", **options):
        path = world.config(mode=mode, **options)
        path.write_text(path.read_text().replace('scan_every = "1m"', f'scan_every = "{every}"'))
        if notify_url:
            text = path.read_text()
            head, clients = text.split("\n[[clients]]", 1)
            path.write_text(head + f'\n[notify]\nemail = false\nurls = ["{notify_url}"]\n\n[[clients]]' + clients)
        config = load_config(path)
        store = open_store(config.scopekeeper.state_url)
        adapters = Adapters(config)
        server = HookServer(config, store).start()
        worker = Worker(config, store, adapters, mode=mode, stop=threading.Event(), show=lambda _: None,
                        notifier=Notifier(config, store))
        made.append((server, adapters, store))
        return worker, server

    yield start
    for server, adapters, store in made:
        server.stop()
        adapters.close()
        store.close()


def test_the_routes_are_always_served_and_refuse_anything_unsigned_without_a_webhook(live):
    worker, server = live()
    assert requests.head(f"{server.url}/hooks/trello", timeout=30).status_code == 200
    body = b'{"action":{"id":"a1","type":"createCard","data":{"board":{"id":"b1"}}},"model":{"id":"b1"}}'
    assert requests.post(f"{server.url}/hooks/trello", data=body, timeout=30).status_code == 401
    forged = trello_signature(SANDBOX_SECRET, body, f"{server.url}/hooks/trello")  # right secret, no webhook
    assert requests.post(f"{server.url}/hooks/trello", data=body, headers={"X-Trello-Webhook": forged},
                         timeout=30).status_code == 401
    assert requests.post(f"{server.url}/hooks/asana/nope", data=b"", headers={"X-Hook-Secret": "s"},
                         timeout=30).status_code == 401
    assert Hooks(worker.store).pending() == [] and Hooks(worker.store).all() == []


def test_trello_three_deliveries_make_one_evaluation_and_our_own_comment_triggers_nothing(world, live):
    worker, server = live(mode="auto", asana_boards=[])
    worker.scan(worker.config.client(TRELLO_CLIENT))
    assert sync_webhooks(worker, server.url)["created"] == 1
    (hook,) = world.trello.webhooks.values()
    assert hook["callbackURL"] == f"{server.url}/hooks/trello" and hook["idModel"] == world.trello_board
    world.trello.deliver.times = 3
    card = world.trello.add_card(world.trello_board, NEW_CARD)
    assert world.trello.deliver.wait_idle()
    assert [status for _, status in world.trello.deliver.attempts] == [200, 200, 200]
    hooks = Hooks(worker.store)
    assert len(hooks.pending()) == 1                                  # delivered three times, queued once
    before = len(world.trello.log)
    assert process_events(worker) == {TRELLO_CLIENT: "ok"}           # one evaluation
    assert hooks.pending() == []
    posted = list(world.trello.comments_on(card["id"]))
    assert len(posted) == 1 and "ref SK-" in posted[0]["data"]["text"]
    assert world.trello.deliver.wait_idle()                           # our comment was delivered too...
    assert hooks.pending() == []                                      # ...and ignored
    assert process_events(worker) == {}
    assert len(world.trello.log) > before


@pytest.mark.parametrize("mutate", ["body", "signature", "url", "none"])
def test_a_forged_trello_delivery_is_401_and_queues_nothing(world, live, mutate):
    worker, server = live(asana_boards=[])
    sync_webhooks(worker, server.url)
    url = f"{server.url}/hooks/trello"
    body = ('{"action":{"id":"5f0000000000000000000099","type":"createCard","idMemberCreator":"x",'
            f'"data":{{"board":{{"id":"{world.trello_board}"}},"card":{{"name":"Zażółć 🎉"}}}}}},'
            f'"model":{{"id":"{world.trello_board}"}}}}').encode()
    signature = trello_signature(SANDBOX_SECRET, body, url)
    assert requests.post(url, data=body, headers={"X-Trello-Webhook": signature}, timeout=30).status_code == 200
    Hooks(worker.store).done(e.key for e in Hooks(worker.store).pending())
    sent_body = body.replace(b"99", b"98")  # a new event: one wrongly accepted would be queued
    signature = trello_signature(SANDBOX_SECRET, sent_body, url)
    if mutate == "body":
        sent_body = sent_body.replace("Zażółć".encode(), b"Zazolc")
    elif mutate == "signature":
        signature = signature[:-2] + ("A=" if signature[-2] != "A" else "B=")
    elif mutate == "url":
        signature = trello_signature(SANDBOX_SECRET, sent_body, url + "/")
    else:
        signature = ""
    sent_signature = signature
    answer = requests.post(url, data=sent_body, headers={"X-Trello-Webhook": sent_signature}, timeout=30)
    assert answer.status_code == 401 and Hooks(worker.store).pending() == []


def test_asana_handshake_signed_events_heartbeats_and_forgeries(world, live):
    worker, server = live(trello_boards=[])
    assert sync_webhooks(worker, server.url)["created"] == 1
    (registered,) = Hooks(worker.store).all()
    (remote,) = world.asana.webhooks.values()
    assert registered.secret == remote["secret"] and registered.status == "active"
    assert registered.callback_url == f"{server.url}/hooks/asana/{registered.nonce}"
    world.asana.deliver.times = 3
    task = world.asana.add_task(world.asana_project, "Could you do a content strategy for the spring? 🛒 Zażółć")
    assert world.asana.deliver.wait_idle()
    assert len(Hooks(worker.store).pending()) == 1
    assert process_events(worker) == {ASANA_CLIENT: "ok"}
    queued = Outbox(worker.store).listed((PENDING_REVIEW,), client=ASANA_CLIENT)
    assert task["gid"] in {i.card_id for i in queued}

    heard = Hooks(worker.store).all()[0].last_event_at
    world.asana.heartbeat()
    assert world.asana.deliver.wait_idle() and Hooks(worker.store).pending() == []
    assert Hooks(worker.store).all()[0].last_event_at > heard

    url = registered.callback_url
    body = b'{"events":[{"action":"changed","resource":{"gid":"1","resource_type":"task"},"user":{"gid":"2"}}]}'
    for headers in ({}, {"X-Hook-Signature": asana_signature(remote["secret"], body + b" ")},
                    {"X-Hook-Signature": asana_signature("another", body)}):
        assert requests.post(url, data=body, headers=headers, timeout=30).status_code == 401
    assert requests.post(url, data=b"", headers={"X-Hook-Secret": "a-second-handshake"}, timeout=30).status_code == 401
    assert Hooks(worker.store).pending() == [] and Hooks(worker.store).all()[0].secret == remote["secret"]


def test_sync_recreates_a_deleted_webhook_removes_a_disconnected_board_and_warns_before_asana_deletes(world, live):
    with hook_server() as (received, port):
        worker, server = live(notify_url=f"json://127.0.0.1:{port}/n")
        assert sync_webhooks(worker, server.url)["created"] == 2
        world.trello.webhooks.clear()                     # deleted on Trello's side
        assert sync_webhooks(worker, server.url)["created"] == 1 and len(world.trello.webhooks) == 1
        (asana_hook,) = world.asana.webhooks.values()
        asana_hook.update(last_failure_at=_stamp(-3), last_success_at=_stamp(-30),
                          failure_deletion_timestamp=_stamp(20))
        for _ in range(2):
            assert sync_webhooks(worker, server.url)["failing"] == 1
        told = [b for b in received.bodies if "Instant updates" in b["title"]]
        assert len(told) == 1 and "will delete it on" in told[0]["message"]

        worker_without_trello, _ = live(asana_boards=[world.asana_project], trello_boards=[])
        assert sync_webhooks(worker_without_trello, server.url)["removed"] == 1
        assert world.trello.webhooks == {} and {h.provider for h in Hooks(worker.store).all()} == {"asana"}


def _stamp(hours: float) -> str:
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_with_webhooks_the_schedule_evaluates_the_queue_every_second_checks_health_and_polls_slowly(world, live):
    from scheduler.worker.schedule import build_scheduler

    worker, server = live(every="15m")
    scheduler = build_scheduler(worker.config, worker, hooks_base=server.url)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert jobs["webhook-events"].trigger.interval == timedelta(seconds=1)
        assert jobs["webhook-health"].trigger.interval == timedelta(minutes=30)
        assert jobs["poll"].trigger.interval == timedelta(minutes=5)   # the safety net
    finally:
        scheduler.shutdown(wait=False)
    plain = build_scheduler(worker.config, worker)
    plain.start(paused=True)
    try:
        jobs = {job.id: job for job in plain.get_jobs()}
        assert "webhook-health" not in jobs and jobs["poll"].trigger.interval == timedelta(seconds=30)
    finally:
        plain.shutdown(wait=False)


def test_a_changed_public_url_moves_the_webhooks_and_the_health_job_follows_it(world, live):
    from scheduler.worker.schedule import build_scheduler, follow_boards

    first, server = live(asana_boards=[])
    second = HookServer(first.config, first.store).start()
    try:
        path = world.config(mode="review", asana_boards=[], name="moving.toml")
        text = path.read_text(encoding="utf-8")
        public = "\n[scopekeeper.web]\npublic_url = \"{}\"\n\n[[clients]]"
        path.write_text(text.replace("\n[[clients]]", public.format(server.url), 1), encoding="utf-8")
        worker = Worker(load_config(path), first.store, first.adapters, mode="review", stop=threading.Event(),
                        show=lambda _: None, config_path=path)
        scheduler = build_scheduler(worker.config, worker)
        health = scheduler.get_job("webhook-health")
        health.func()
        assert [h["callbackURL"] for h in world.trello.webhooks.values()] == [f"{server.url}/hooks/trello"]

        path.write_text(text.replace("\n[[clients]]", public.format(second.url), 1), encoding="utf-8")
        assert worker.reload_if_changed()
        follow_boards(worker)
        health.func()   # the job reads the address as the configuration now has it: it does not move them back
        assert [h["callbackURL"] for h in world.trello.webhooks.values()] == [f"{second.url}/hooks/trello"]
        assert [h.callback_url for h in Hooks(worker.store).all()] == [f"{second.url}/hooks/trello"]
    finally:
        second.stop()
