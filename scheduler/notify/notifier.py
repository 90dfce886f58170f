"""The Notifier: claims each problem and threshold in the store, tells the VA through every channel, never raises."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

from babel.dates import format_date

from scheduler.config.models import AppConfig
from scheduler.logs import redact
from scheduler.notify.channels import Channel, channels, register_url_secrets
from scheduler.notify.problems import BoardState, Problem, crossed, scan_verdict
from scheduler.notify.texts import render
from scheduler.records.state import LedgerEntry
from scheduler.store import Store
from scheduler.store.notices import Notices

log = logging.getLogger("scopekeeper.notify")
EXPIRY_WARNING_DAYS = 7


class Notifier:
    """Tells the VA what needs her: once per problem until it is resolved, once per budget threshold per period."""

    def __init__(self, config: AppConfig, store: Store, sinks: Sequence[Channel] | None = None) -> None:
        register_url_secrets(config.notify.urls)
        self.config, self.notices = config, Notices(store)
        self.channels = list(channels(config) if sinks is None else sinks)

    @property
    def language(self) -> str:
        return self.config.scopekeeper.language

    def deliver(self, kind: str, **values: object) -> list[tuple[str, str | None]]:
        """Send one message to every channel now; (channel, None or why it failed) each."""
        title, body = render(self.language, kind, **values)
        results = []
        for channel in self.channels:
            try:
                error = channel.send(title, body)
            except Exception as err:  # a channel's own bug: reported like any failure
                error = redact(f"{type(err).__name__}: {err}")
            if error:
                log.warning("could not notify through %s: %s", channel.name, error, extra={"event": "notify_failed"})
            results.append((channel.name, error))
        return results

    def problem(self, problem: Problem) -> bool:
        """Tell the VA about `problem` unless she was told and it is not resolved yet; True when told now.

        When no channel takes the message the claim is released: she is told when it is next seen.
        """
        try:
            if not self.notices.claim(problem.key, problem.kind, redact(str(problem.values.get("detail") or ""))):
                return False
            log.warning("notifying the VA: %s (%s)", problem.kind, problem.key, extra={"event": "notify"})
            results = self.deliver(problem.kind, **problem.values)
            if results and all(error for _, error in results):
                self.notices.release(problem.key)
                return False
            return bool(results)
        except Exception as err:
            log.error("could not record a notice: %s", redact(f"{type(err).__name__}: {err}"),
                      extra={"event": "notify_failed"})
            return False

    def resolved(self, keys: Iterable[str]) -> list[str]:
        """Close problems that are over: they are told again if they come back."""
        try:
            closed = self.notices.resolve(keys)
        except Exception as err:
            log.error("could not record resolved notices: %s", redact(str(err)), extra={"event": "notify_failed"})
            return []
        for key in closed:
            log.info("resolved: %s", key, extra={"event": "notice_resolved"})
        return closed

    def after_scan(self, client: str, boards: Iterable[BoardState], failure: str | None) -> None:
        """A client's scan ended: tell new problems, close those it shows resolved."""
        verdict = scan_verdict(client, list(boards), failure)
        self.resolved(verdict.resolved)
        for problem in verdict.problems:
            self.problem(problem)

    def budget(self, client: str, entry: LedgerEntry) -> int | None:
        """Announce the highest threshold of alert_at this period reached for the first time; which one, if any."""
        available = entry.contracted
        percent, reached = crossed(entry.used, available, self.config.notify.alert_at)
        try:
            new = self.notices.claim_thresholds(client, entry.period_key, reached)
        except Exception as err:
            log.error("could not record a budget alert: %s", redact(str(err)), extra={"event": "notify_failed"})
            return None
        if not new:
            return None
        period = (f"{format_date(entry.period_start, 'd MMMM', locale=self.language)} – "
                  f"{format_date(entry.period_end, 'd MMMM y', locale=self.language)}")
        results = self.deliver("budget", client=client, percent=percent, used=_hours(entry.used),
                               available=_hours(available), period=period)
        if results and all(error for _, error in results):
            self.notices.release_thresholds(client, entry.period_key, new)
            return None
        return max(new)

    def token_expiry(self, provider: str, expires: datetime | None, now: datetime | None = None) -> None:
        """A token that expires within EXPIRY_WARNING_DAYS is announced once; a new token resolves it."""
        now = now or datetime.now(UTC)
        key = f"expiring:{provider}"
        if expires is None or (expires - now).days >= EXPIRY_WARNING_DAYS:
            self.resolved([key])
            return
        date = format_date(expires.date(), "long", locale=self.language)
        self.problem(Problem(key, "token_expiring", {"provider": provider, "days": max(0, (expires - now).days),
                                                     "detail": date}))

    def test(self) -> list[tuple[str, str | None]]:
        """`scopekeeper notify test`: one test message to every channel."""
        return self.deliver("test", thresholds=" / ".join(map(str, self.config.notify.alert_at)) or "100")


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"
