"""Webhooks, the worker's side: register one per connected board (and remove the others), keep them healthy,
and evaluate the events the web app queued."""
from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from integrations.errors import IntegrationError, NotFound
from scheduler.config.models import AppConfig
from scheduler.logs import redact
from scheduler.notify.problems import Problem
from scheduler.store.hooks import Hook, Hooks

log = logging.getLogger("scopekeeper.webhooks")
# Asana deletes a webhook whose deliveries fail for 24 hours; Trello disables one after a month of failures.
WARN_AFTER = timedelta(hours=1)


def callback_url(base: str, provider: str, nonce: str) -> str:
    """Where a board's webhook calls: /hooks/trello for every Trello board, /hooks/asana/<nonce> per project."""
    root = base.rstrip("/")
    return f"{root}/hooks/trello" if provider == "trello" else f"{root}/hooks/asana/{nonce}"


WEBHOOKS_LOCK = "webhooks"  # one registration at a time per store: the web app, the worker and its health job
LOCK_WAIT = 30.0


def public_url(config: AppConfig) -> str | None:
    """The web app's public address, where the services can deliver webhooks (None: poll instead)."""
    url = config.scopekeeper.web.public_url
    return str(url).rstrip("/") if url else None


def sync_webhooks(worker, base: str, *, health: bool = True) -> dict[str, int]:
    """Make the registered webhooks match the connected boards: a board connected gets one, a board
    disconnected loses its own. Never raises.

    `worker` is anything with `config`, `store`, `adapters` (and optionally `notifier`): the worker, or the
    web app's context right after the VA connected a board. With `health` (the periodic safety net) each
    webhook is also asked of its service: one it deleted is created again, a failing one is told to the VA
    once (Asana deletes one that fails for a day). Without it only the differences cost requests.
    """
    counts = {"created": 0, "removed": 0, "failing": 0}
    lock = worker.store.lock(WEBHOOKS_LOCK)
    if not lock.acquire(LOCK_WAIT):
        log.warning("webhooks not checked: another ScopeKeeper process has been registering them for %.0f s",
                    LOCK_WAIT, extra={"event": "webhook_failed"})
        return counts
    try:
        _sync(worker, base, health, counts)
    finally:
        lock.release()
    return counts


def _sync(worker, base: str, health: bool, counts: dict[str, int]) -> None:
    config: AppConfig = worker.config
    notifier = getattr(worker, "notifier", None)
    hooks = Hooks(worker.store)
    wanted = {(b.provider, b.id): c.name for c in config.clients for b in c.boards}
    known = {(h.provider, h.board_id): h for h in hooks.all()}
    for key in sorted(set(known) - set(wanted)):
        if _remove(worker, hooks, known[key]):
            counts["removed"] += 1
    for (provider, board_id), client in sorted(wanted.items()):
        hook = known.get((provider, board_id))
        in_place = (hook is not None and hook.remote_id is not None
                    and hook.callback_url == callback_url(base, provider, hook.nonce))
        if in_place and not health:
            continue
        try:
            service = worker.adapters.for_provider(provider)
            state = service.webhook_state(hook.remote_id) if hook and hook.remote_id and in_place else None
            if hook is None or state is None:
                if hook and hook.remote_id and not in_place:
                    _forget_remote(service, hook)  # the public address changed
                _register(worker, hooks, provider, board_id, base)
                counts["created"] += 1
            elif not state.active or state.failing_since:
                counts["failing"] += 1
                _unhealthy(worker, hook, client, state)
            elif notifier is not None:
                notifier.resolved([f"webhook:{provider}:{board_id}"])
        except IntegrationError as err:
            log.warning("webhook of %s board %s: %s", provider, board_id, redact(str(err)),
                        extra={"client": client, "board": f"{provider}:{board_id}", "event": "webhook_failed"})


def remove_webhooks(worker) -> int:
    """Remove every registered webhook (no public address any more)."""
    hooks = Hooks(worker.store)
    return sum(_remove(worker, hooks, hook) for hook in hooks.all())


def _forget_remote(service, hook: Hook) -> None:
    try:
        service.delete_webhook(hook.remote_id)
    except NotFound:
        pass  # already gone


def _register(worker, hooks: Hooks, provider: str, board_id: str, base: str) -> None:
    service = worker.adapters.for_provider(provider)
    nonce = secrets.token_urlsafe(24)
    url = callback_url(base, provider, nonce)
    hooks.add(provider, board_id, nonce, url, service.own_actor())
    remote = service.create_webhook(board_id, url)
    hooks.registered(provider, board_id, remote)
    log.info("webhook registered for %s board %s", provider, board_id,
             extra={"board": f"{provider}:{board_id}", "event": "webhook_registered"})


def _remove(worker, hooks: Hooks, hook: Hook) -> bool:
    try:
        if hook.remote_id:
            worker.adapters.for_provider(hook.provider).delete_webhook(hook.remote_id)
    except IntegrationError as err:
        if getattr(err, "status", None) != 404:
            log.warning("could not remove the webhook of %s board %s: %s", hook.provider, hook.board_id,
                        redact(str(err)), extra={"event": "webhook_failed"})
            return False
    hooks.remove(hook.provider, hook.board_id)
    log.info("webhook removed for %s board %s (no longer connected)", hook.provider, hook.board_id,
             extra={"board": f"{hook.provider}:{hook.board_id}", "event": "webhook_removed"})
    return True


def _unhealthy(worker, hook: Hook, client: str, state) -> None:
    now = datetime.now(UTC)
    if state.active and state.failing_since and now - state.failing_since < WARN_AFTER and not state.deletes_at:
        return  # a passing hiccup
    if state.deletes_at:
        detail = f"its deliveries keep failing and it will delete it on {state.deletes_at:%Y-%m-%d %H:%M} UTC"
    elif not state.active:
        detail = "it disabled the webhook after its deliveries kept failing"
    else:
        detail = f"its deliveries have been failing since {state.failing_since:%Y-%m-%d %H:%M} UTC"
    Hooks(worker.store).failing(hook.provider, hook.board_id, detail)
    log.warning("webhook of %s board %s is unhealthy: %s", hook.provider, hook.board_id, detail,
                extra={"client": client, "board": f"{hook.provider}:{hook.board_id}", "event": "webhook_unhealthy"})
    notifier = getattr(worker, "notifier", None)
    if notifier is not None:
        notifier.problem(Problem(f"webhook:{hook.provider}:{hook.board_id}", "webhook_unhealthy",
                                        {"client": client, "provider": hook.provider, "board": hook.board_id,
                                         "detail": detail}))


def process_events(worker) -> dict[str, str]:
    """Evaluate the queued events: each client whose board had any is scanned once, then its events are done.

    However often an event was delivered it was queued once, and several events of a client make one scan.
    """
    hooks = Hooks(worker.store)
    pending = hooks.pending()
    if not pending:
        return {}
    by_board: dict[tuple[str, str], list[str]] = defaultdict(list)
    for event in pending:
        by_board[(event.provider, event.board_id)].append(event.key)
    outcomes: dict[str, str] = {}
    for client in worker.config.clients:
        keys = [k for b in client.boards for k in by_board.pop((b.provider, b.id), [])]
        if keys and not worker.stop.is_set():
            outcomes[client.name] = worker.scan(client)
            hooks.done(keys)
    hooks.done(k for keys in by_board.values() for k in keys)  # boards no client has any more
    return outcomes
