"""Webhooks, the worker's side: register one per connected board (and remove the others), keep them healthy,
and evaluate the events the web app queued."""
from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from integrations.errors import IntegrationError
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


def sync_webhooks(worker, base: str) -> dict[str, int]:
    """Make the registered webhooks match the connected boards, and check the health of those that exist.

    Missing (or deleted by the service) ones are created, those of boards no longer connected removed; a
    failing one is told to the VA once (Asana deletes one that fails for a day). Never raises.
    """
    config: AppConfig = worker.config
    hooks = Hooks(worker.store)
    wanted = {(b.provider, b.id): c.name for c in config.clients for b in c.boards}
    known = {(h.provider, h.board_id): h for h in hooks.all()}
    counts = {"created": 0, "removed": 0, "failing": 0}
    for key in sorted(set(known) - set(wanted)):
        if _remove(worker, hooks, known[key]):
            counts["removed"] += 1
    for (provider, board_id), client in sorted(wanted.items()):
        hook = known.get((provider, board_id))
        try:
            service = worker.adapters.for_provider(provider)
            state = service.webhook_state(hook.remote_id) if hook and hook.remote_id else None
            expected = callback_url(base, provider, hook.nonce) if hook else None
            if state is None or hook is None or hook.callback_url != expected:
                if hook and hook.remote_id and state is not None:
                    service.delete_webhook(hook.remote_id)  # the public address changed
                _register(worker, hooks, provider, board_id, base)
                counts["created"] += 1
                continue
            if not state.active or state.failing_since:
                counts["failing"] += 1
                _unhealthy(worker, hook, client, state)
            elif worker.notifier is not None:
                worker.notifier.resolved([f"webhook:{provider}:{board_id}"])
        except IntegrationError as err:
            log.warning("webhook of %s board %s: %s", provider, board_id, redact(str(err)),
                        extra={"client": client, "board": f"{provider}:{board_id}", "event": "webhook_failed"})
    return counts


def remove_webhooks(worker) -> int:
    """Remove every registered webhook (no public address any more)."""
    hooks = Hooks(worker.store)
    return sum(_remove(worker, hooks, hook) for hook in hooks.all())


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
    if worker.notifier is not None:
        worker.notifier.problem(Problem(f"webhook:{hook.provider}:{hook.board_id}", "webhook_unhealthy",
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
