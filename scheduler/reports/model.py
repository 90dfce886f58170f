"""Plain report data: a client's contract period as of a week's end, and the practice across clients."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from integrations.reference import make_reference
from rules.findings import Finding, ScanResult
from rules.periods import ContractPeriod, period_of, period_of_day
from scheduler.config.models import AppConfig, Client, capacity, rules_for
from scheduler.reports.source import NOT_SENT, STATUS_GROUPS, ReportSource, cards_from
from scheduler.reports.weeks import ReportWeek

VA, CLIENT = "va", "client"
_ZERO = Decimal(0)
_TOP_FLAGGED = 5


@dataclass(frozen=True, slots=True)
class CardLine:
    """One card as a report lists it; flags and evidence stay empty in client-safe reports."""

    title: str
    url: str
    created: date
    label: str | None
    response: str
    referral: str | None
    status: str
    hours: Decimal | None
    extra_hours: Decimal
    extra_amount: Decimal
    flags: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    """One figure of this period beside the previous period's; `kind` says how to format it."""

    metric: str
    kind: str  # hours | money | count
    now: Decimal
    before: Decimal

    @property
    def delta(self) -> Decimal:
        return self.now - self.before


@dataclass(frozen=True, slots=True)
class BurnUp:
    """Cumulative in-scope hours through the period, and the day the plan runs (or ran) out."""

    start: date
    end: date
    as_of: datetime
    contracted: Decimal
    points: tuple[tuple[datetime, Decimal], ...]
    runs_out: date | None  # None: not at this pace
    ran_out: bool  # the hours are used up already; runs_out is the day it happened


@dataclass(frozen=True, slots=True)
class ClientReport:
    """One client's report, for the VA (audience 'va') or to send to the client (audience 'client')."""

    client: str
    language: str
    audience: str
    week: ReportWeek
    timezone: str
    as_of: datetime
    period_kind: str
    period: ContractPeriod
    previous_period: ContractPeriod
    currency: str
    rate: Decimal
    consultation_url: str | None
    contracted: Decimal
    used: Decimal
    extra: Decimal
    extra_amount: Decimal
    changes: tuple[Change, ...]
    burnup: BurnUp
    requests: tuple[CardLine, ...]
    billable: tuple[CardLine, ...]
    needs_review: tuple[CardLine, ...]
    flagged: tuple[CardLine, ...]
    work: tuple[CardLine, ...] = ()  # in-scope cards of the period: the work done for the client
    previous_tracked: bool = True  # the previous period has cards: comparing with it means something
    address: str = "formal"
    va_name: str | None = None
    va_contact: str | None = None

    rollover: str = "none"      # the contract's rollover: carried and available hours are shown when it is not "none"
    carried_in: Decimal = _ZERO  # signed: unused hours carried in, minus an overrun carried in
    available: Decimal | None = None  # contracted + carried_in (None: contracted)
    owed: Decimal = _ZERO       # extra hours an overrun rollover takes from the next period instead of billing

    @property
    def remaining(self) -> Decimal:
        return max((self.contracted if self.available is None else self.available) - self.used, _ZERO)

    @property
    def flag_count(self) -> int:
        return _flag_total(self.flagged) + _flag_total(self.needs_review)


@dataclass(frozen=True, slots=True)
class PracticeReport:
    """Across clients: contracted hours against capacity, what to invoice, where the red flags are."""

    language: str
    week: ReportWeek
    clients: tuple[ClientReport, ...]
    booked: Decimal
    capacity: Decimal | None

    @property
    def room(self) -> Decimal | None:
        """Hours a week still free (negative: overbooked), or None without a capacity."""
        return None if self.capacity is None else self.capacity - self.booked

    @property
    def invoice_totals(self) -> tuple[tuple[str, Decimal], ...]:
        """Amount to invoice per currency, across clients."""
        totals: dict[str, Decimal] = {}
        for c in self.clients:
            totals[c.currency] = totals.get(c.currency, _ZERO) + c.extra_amount
        return tuple(sorted(totals.items()))

    @property
    def most_flagged(self) -> tuple[ClientReport, ...]:
        flagged = [c for c in self.clients if c.flag_count]
        return tuple(sorted(flagged, key=lambda c: (-c.flag_count, c.client.casefold()))[:_TOP_FLAGGED])


def client_report(config: AppConfig, client: Client, source: ReportSource, week: ReportWeek, now: datetime,
                  *, audience: str = VA) -> ClientReport:
    """The client's contract period containing the week's last day, as of its end (or `now`, if earlier).

    Figures come from the rules over the cards of the two periods shown (`cards_from`), as over every card; VA reports are in the VA's language,
    client-safe ones in the client's, without flags, evidence, the review list or rejected requests.
    """
    tz = ZoneInfo(client.timezone)
    if now < datetime.combine(week.monday, time(0), tz):
        raise ValueError(f"week {week.key} has not started yet")
    as_of = min(week.end_in(tz), now.astimezone(tz))
    rules = rules_for(client)
    shown = period_of(as_of, client.contract.period, tz)
    before = period_of_day(shown.start - timedelta(days=1), client.contract.period)
    cards, whole_from = cards_from(source, rules, client.name, before.start)  # the ledger stands for the rest
    providers = {card.id: card.provider for card in cards}
    history = source.hours_used(client.name)
    result = rules.evaluate(cards, as_of, history, whole_from)
    previous_end = datetime.combine(result.period.start, time(0), tz) - timedelta(microseconds=1)
    previous = rules.evaluate(cards, previous_end, history, whole_from)
    lines = _Lines(client, audience, providers, source.comment_statuses(client.name, (shown.key, before.key)), tz)
    current, before = lines.of(result), lines.of(previous)
    hours = result.hours
    return ClientReport(
        client=client.name, language=client.language if audience == CLIENT else config.scopekeeper.language,
        audience=audience, week=week, timezone=client.timezone, as_of=as_of, period_kind=client.contract.period,
        period=result.period, previous_period=previous.period, currency=hours.currency,
        rate=client.contract.rate_decimal, consultation_url=client.contract.consultation_url,
        contracted=hours.contracted, used=hours.used, extra=hours.extra, extra_amount=hours.extra_amount,
        rollover=client.contract.rollover, carried_in=hours.carried_in, available=hours.available, owed=hours.owed,
        changes=_changes(audience, result, current, previous, before),
        burnup=_burnup(result, as_of, tz),
        requests=current.requests, billable=current.billable, needs_review=current.needs_review,
        flagged=current.flagged, work=current.work,
        previous_tracked=any(f.period.key == previous.period.key for f in previous.findings),
        address=client.address if audience == CLIENT else "formal",
        va_name=config.signature(client), va_contact=config.scopekeeper.contact,
    )


def practice_report(config: AppConfig, week: ReportWeek, reports: Sequence[ClientReport]) -> PracticeReport:
    """The practice across the clients' VA reports, and the capacity, in the VA's language."""
    booked, available = capacity(config)
    return PracticeReport(
        language=config.scopekeeper.language, week=week, clients=tuple(reports),
        booked=Decimal(str(round(booked, 1))),
        capacity=None if available is None else Decimal(str(available)),
    )


@dataclass(frozen=True, slots=True)
class _PeriodLines:
    requests: tuple[CardLine, ...]
    billable: tuple[CardLine, ...]
    needs_review: tuple[CardLine, ...]
    flagged: tuple[CardLine, ...]
    work: tuple[CardLine, ...]


class _Lines:
    """Findings of one period as report lines, with the status of the comment each one planned."""

    def __init__(self, client: Client, audience: str, providers: Mapping[str, str],
                 statuses: Mapping[str, str], tz: ZoneInfo) -> None:
        self._referrals = {c.name: c.referral for c in client.contract.out_of_scope}
        self._internal = audience == VA
        self._providers, self._statuses, self._tz = providers, statuses, tz

    def of(self, result: ScanResult) -> _PeriodLines:
        findings = [f for f in result.findings if f.period.key == result.period.key]
        requests = [self._line(f) for f in findings if f.verdict == "out_of_scope"]
        if not self._internal:
            # The VA chose not to tell the client about these: the client's report does not either.
            requests = [r for r in requests if r.status != "rejected"]
        internal = findings if self._internal else []  # flags and the review list are the VA's notes
        return _PeriodLines(
            requests=tuple(requests),
            billable=tuple(self._line(f) for f in findings if f.extra_hours > 0),
            needs_review=tuple(self._line(f) for f in internal if f.verdict == "needs_review"),
            # each card listed once: a card that needs review shows its flags there (see the review note)
            flagged=tuple(self._line(f) for f in internal if f.flags and f.verdict != "needs_review"),
            work=tuple(self._line(f) for f in findings if f.verdict == "in_scope"),
        )

    def _line(self, f: Finding) -> CardLine:
        kind = f.response if f.response != "none" else None
        return CardLine(
            title=f.title, url=f.url, created=f.created_at.astimezone(self._tz).date(),
            label=f.category or f.service, response=f.response,
            referral=self._referrals.get(f.category or ""), status=self._status(f, kind),
            hours=f.hours, extra_hours=f.extra_hours, extra_amount=f.extra_amount,
            flags=f.flags if self._internal else (), evidence=f.evidence if self._internal else (),
        )

    def _status(self, f: Finding, kind: str | None) -> str:
        if kind is None:
            return NOT_SENT
        reference = make_reference(self._providers[f.card_id], f.card_id, kind, f.period.key)
        return STATUS_GROUPS.get(self._statuses.get(reference, ""), NOT_SENT)


def _changes(audience: str, result: ScanResult, current: _PeriodLines, previous: ScanResult,
             before: _PeriodLines) -> tuple[Change, ...]:
    now, then = result.hours, previous.hours
    changes = [
        Change("used", "hours", now.used, then.used),
        Change("extra", "hours", now.extra, then.extra),
        Change("extra_amount", "money", now.extra_amount, then.extra_amount),
        Change("requests", "count", Decimal(len(current.requests)), Decimal(len(before.requests))),
    ]
    if audience == VA:
        changes += [
            Change("flags", "count", Decimal(_flag_total((*current.flagged, *current.needs_review))),
                   Decimal(_flag_total((*before.flagged, *before.needs_review)))),
            Change("needs_review", "count", Decimal(len(current.needs_review)), Decimal(len(before.needs_review))),
        ]
    return tuple(changes)


def _flag_total(lines: Iterable[CardLine]) -> int:
    return sum(len(line.flags) for line in lines)


def _burnup(result: ScanResult, as_of: datetime, tz: ZoneInfo) -> BurnUp:
    """In-scope hours by creation time; a linear projection at the pace so far says when the plan runs out."""
    period, contracted = result.period, result.hours.hours_available  # carried hours count in the plan
    used, points, ran_out_on = _ZERO, [], None
    for f in result.findings:  # the rules return them in creation order
        if f.period.key != period.key or f.verdict != "in_scope" or not f.hours:
            continue
        used += f.hours
        local = f.created_at.astimezone(tz)
        points.append((local, used))
        if ran_out_on is None and used >= contracted:
            ran_out_on = local.date()
    if ran_out_on is not None:
        return BurnUp(period.start, period.end, as_of, contracted, tuple(points), ran_out_on, True)
    runs_out = _projection(period, as_of, used, contracted)
    return BurnUp(period.start, period.end, as_of, contracted, tuple(points), runs_out, False)


def _projection(period: ContractPeriod, as_of: datetime, used: Decimal, contracted: Decimal) -> date | None:
    elapsed = days_into(period.start, as_of)
    if used <= 0 or elapsed <= 0:
        return None
    needed = float(contracted / used) * elapsed
    runs_out = period.start + timedelta(days=needed)
    return runs_out if runs_out <= period.end else None


def days_into(start: date, moment: datetime) -> float:
    """Days (with fraction) from the start of `start` to `moment`, on the local wall clock."""
    return (moment.replace(tzinfo=None) - datetime.combine(start, time(0))).total_seconds() / 86400
