"""Invoices by contract period: a monthly client's calendar month, a weekly client's ISO week.

Every billed extra hour belongs to exactly one contract period (the period it was worked in), so an
invoice per period, produced once the period has ended and claimed once in the store, bills it exactly once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from rules.periods import ContractPeriod, following, period_of
from scheduler.config.models import AppConfig, Client, rules_for
from scheduler.reports.source import ReportSource, cards_from

# How far back a scheduled run looks for ended periods not invoiced yet: a month and a few missed weeks.
LOOKBACK = timedelta(days=62)


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One card's billed extra hours in the period."""

    title: str
    url: str
    hours: Decimal
    extra_hours: Decimal
    extra_amount: Decimal


@dataclass(frozen=True, slots=True)
class Invoice:
    """A client's billed extra hours in one contract period (its CSV: invoicing.billable_csv)."""

    client: str
    language: str
    period: ContractPeriod
    rate: Decimal
    currency: str
    billable: tuple[InvoiceLine, ...]
    complete: bool  # the period had ended when the invoice was made

    @property
    def total(self) -> Decimal:
        return sum((line.extra_amount for line in self.billable), Decimal(0))


def period_end(period: ContractPeriod, tz: ZoneInfo) -> datetime:
    """The first instant after the period, on the client's calendar (DST-safe: local midnight)."""
    return datetime.combine(period.end + timedelta(days=1), time(0), tz)


def period_invoice(client: Client, source: ReportSource, period: ContractPeriod, now: datetime) -> Invoice:
    """The client's invoice for one contract period, from the cards known at `now` (those its figures depend on).

    Evaluated as of `now`, not of the period's end: time logged later for days of the period (an Asana
    entry, a back-dated plus!) still belongs to it, and later periods never change an earlier one's figures.
    """
    rules = rules_for(client)
    cards, whole_from = cards_from(source, rules, client.name, period.start)  # not the whole history
    result = rules.evaluate(cards, now, source.hours_used(client.name), whole_from)
    lines = []
    for finding in result.findings:
        part = finding.part_of(period.key)
        if part is not None and part.extra_hours > part.owed:
            lines.append(InvoiceLine(finding.title, finding.url, part.hours, part.extra_hours - part.owed,
                                     part.extra_amount))
    return Invoice(client.name, client.language, period, client.contract.rate_decimal, client.contract.currency,
                   tuple(lines), period_end(period, ZoneInfo(client.timezone)) <= now)


def ended_periods(client: Client, now: datetime, lookback: timedelta = LOOKBACK) -> Iterator[ContractPeriod]:
    """The client's contract periods that ended in the `lookback` before `now`, oldest first."""
    tz = ZoneInfo(client.timezone)
    kind = client.contract.period
    period = period_of(now - lookback, kind, tz)
    while period_end(period, tz) <= now:
        if period_end(period, tz) > now - lookback:
            yield period
        period = following(period)


def due_invoices(config: AppConfig, source: ReportSource, claim: Callable[[str, str], bool],
                 now: datetime) -> list[Invoice]:
    """Each client's invoices for the periods that ended recently and were never invoiced.

    `claim(period_key, target)` is true exactly once per period and client (the store's report claims), so
    whatever the schedule, restarts or DST, each period is invoiced once and only after it has ended.
    """
    invoices = []
    for client in config.clients:
        for period in ended_periods(client, now):
            if claim(period.key, f"invoice:{client.name}"):
                invoices.append(period_invoice(client, source, period, now))
    return invoices
