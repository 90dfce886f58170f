"""Evaluate a client's cards against the contract at a given moment: the rules' entry point."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, NamedTuple, Protocol, cast
from zoneinfo import ZoneInfo

from . import collector
from . import flags as fl
from .clauses import FieldText
from .comments import Message, Placeholders, Worded, hours_phrase, money, named_period_words, period_words, template
from .contract import Contract, Templates
from .discount import names_price
from .findings import Finding, Flag, HoursSummary, Part, Response, ScanResult
from .hours import card_hours, is_tracked, logged_evidence, logged_hours, strip_tags
from .matching import Hit, PhraseMatcher
from .periods import ContractPeriod, following, period_of, period_of_day, periods_of_keys
from .retainer import Balance, Share, overage, settle
from .scope import Field, Scope, ScopeMatcher
from .text import readable, words

_CENT = Decimal("0.01")
_READING_MEMO = 100_000
# The memos hold this many times the largest board evaluated, if more than _READING_MEMO: a client with
# more cards than the bound would otherwise empty them in every scan and read every text again.
_READING_ROOM = 2
_ZERO = Decimal(0)
_NO_FLAGS: Mapping[str, str] = {}
# A field with no text (a card without a description), shared: fields are never changed, only replaced.
_NO_TEXT = {name: Field(name, "", [], (), ()) for name in ("title", "description")}


class CardLike(Protocol):
    """What the rules read of a card (integrations.models.Card provides it); read-only, as frozen cards are."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def labels(self) -> Sequence[str]: ...

    @property
    def created_at(self) -> datetime: ...

    @property
    def due(self) -> datetime | None: ...

    @property
    def due_changes(self) -> Sequence[object]: ...

    @property
    def custom_fields(self) -> Mapping[str, object]: ...

    @property
    def time_tracked_minutes(self) -> float | None: ...

    @property
    def time_entries(self) -> Sequence[Any]: ...

    @property
    def url(self) -> str: ...


@dataclass(frozen=True, slots=True)
class _Reading:
    """A card's reading when its words raise flags: its scope and those flags (otherwise, its Scope alone)."""

    scope: Scope
    flags: Mapping[str, str]


class _Assessed(NamedTuple):
    """One card judged on its own, before the period's hours are shared out (a named tuple: built once
    per card, it is cheaper to make than a frozen dataclass, whose fields are set one call at a time)."""

    card: CardLike
    period: ContractPeriod
    scope: Scope
    hours: Decimal | None
    tracked: bool  # the hours were logged as time spent, not estimated in the title: the work is done
    flags: tuple[Flag, ...]
    evidence: tuple[str, ...]
    parts: tuple[tuple[ContractPeriod, Decimal], ...]  # hours per period: logged time by its day, else all in `period`


class _Billed(NamedTuple):
    """A card's share of its periods' extra hours."""

    parts: tuple[Part, ...]
    extra: Decimal
    owed: Decimal
    amount: Decimal
    available: Decimal | None  # hours available in the card's own period, when rollover applies


class _Settled(NamedTuple):
    """Cards' parts as last evaluated, standing for their shares of the periods before `before`."""

    parts: Mapping[str, Sequence[Part]]
    before: date | None

    def part(self, card_id: str, period: ContractPeriod) -> Part | None:
        if self.before is None or period.start >= self.before:
            return None
        return next((p for p in self.parts.get(card_id, ()) if p.period.key == period.key), None)


class ClientRules:
    """One client's contract compiled for fast evaluation of many cards."""

    def __init__(self, contract: Contract, *, language: str, timezone: ZoneInfo,
                 templates: Templates | None = None, client: str = "", address: str = "formal") -> None:
        self.contract, self.language, self.tz = contract, language, timezone
        self.templates, self.client = templates, client
        self._scope = ScopeMatcher(contract)
        # One pass over each text finds service/category keywords (int targets) and flag words (str).
        self._phrases: PhraseMatcher[int | str] = PhraseMatcher(
            [*self._scope.entries, *fl.word_entries(language)], language)
        # Scans come back to the same cards every few minutes: their texts are read once. Most cards raise
        # no word flag: their reading is their Scope alone, one object fewer per card for the garbage collector.
        self._readings: dict[tuple[tuple[str, ...], str, str], Scope | _Reading] = {}
        self._wholes: dict[tuple[ContractPeriod, Decimal], tuple[tuple[ContractPeriod, Decimal]]] = {}
        self._flag_sets: dict[tuple[Flag, ...], tuple[Flag, ...]] = {}
        self._common: dict[tuple[Any, ...], Worded] = {}  # a comment's placeholders but the title
        self._memo_limit = _READING_MEMO
        self._clock = fl.BusinessClock(contract.business_hours)
        self._billing = partial(names_price, language=language)
        self._limit, self._rate = contract.hours_decimal, contract.rate_decimal
        self._terms = contract.terms
        self._rolls = contract.rollover != "none"
        self._plain = not self._rolls and not contract.grace_hours and not contract.billing_increment_minutes
        # The parts of every comment that depend on the contract alone.
        self._constants = dict(
            period_words(language, contract.period), client=client, consultation_url=contract.consultation_url or "",
            contracted_hours=hours_phrase(self._limit, language, genitive=True),
            rate=money(self._rate, contract.currency, language))
        self._templates = {kind: template(kind, language, templates, address) for kind in Templates.model_fields}

    def evaluate(self, cards: Iterable[CardLike], now: datetime,
                 history: Mapping[str, Decimal] | None = None, whole_from: date | None = None,
                 settled: Mapping[str, Sequence[Part]] | None = None) -> ScanResult:
        """Findings for every card created up to `now`, and the hours of the period containing it.

        `history`: in-scope hours used per earlier contract period key (the store's ledger), for every period
        starting before `whole_from` (the caller gives all the cards of the periods from `whole_from` on, and only
        some of the earlier ones'), or without `whole_from`, for periods no card given here has hours in; with
        rollover, the periods from the earliest one on carry hours.
        `settled`: card id -> the card's parts as last evaluated; in the periods before `whole_from` they stand
        for its share of the period's hours (the cards before it there were not given).
        """
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        with collector.paused():
            return self._evaluate(cards, now, history or {}, whole_from, _Settled(settled or {}, whole_from))

    def _evaluate(self, cards: Iterable[CardLike], now: datetime, history: Mapping[str, Decimal],
                  whole_from: date | None, kept: _Settled) -> ScanResult:
        today = now.astimezone(self.tz).date()
        if not isinstance(cards, Sized):
            cards = list(cards)
        self._memo_limit = max(self._memo_limit, _READING_ROOM * len(cards))
        current = period_of(now, self.contract.period, self.tz)
        judged: list[Finding | _Assessed] = []
        for card in sorted((c for c in cards if c.created_at <= now), key=lambda c: (c.created_at, c.id)):
            a = self._assess(card, today)
            # A card with no in-scope hours is never billed: its finding is made now, and only the others are
            # kept (a scan's many short-lived objects are what the garbage collector spends its time on).
            judged.append(a if a.parts and a.scope.verdict == "in_scope" else self._finding(a, None, current))
        assessed = [j for j in judged if not isinstance(j, Finding)]  # in creation order, as the ledger needs
        billed, balances = (self._plain_ledger(assessed, kept) if self._plain
                            else self._ledger(assessed, current, history, whole_from, kept))
        findings = tuple([j if isinstance(j, Finding) else self._finding(j, billed.get(j.card.id), current)
                          for j in judged])
        return ScanResult(self.client, current, self._summary(findings, current, balances.get(current.key)), findings)

    def days(self, card: CardLike) -> tuple[date, date]:
        """The first and last local day whose contract period this card's hours may ever count in: its creation
        day and the days of its logged time, counted or not yet (a caller evaluating some periods only needs
        every card reaching into them)."""
        first = last = card.created_at.astimezone(self.tz).date()
        for entry in getattr(card, "time_entries", ()):
            day = entry.entered_on or (entry.at.astimezone(self.tz).date() if entry.at else None)
            if day is not None:
                first, last = min(first, day), max(last, day)
        return first, last

    def counted(self, card: CardLike, today: date) -> dict[str, Decimal]:
        """The in-scope hours this card adds to each contract period (by key) as of `today`: a change to the card
        changes the periods where these differ, and its share of no other."""
        a = self._assess(card, today)
        return {period.key: hours for period, hours in a.parts} if a.scope.verdict == "in_scope" else {}

    def _assess(self, card: CardLike, today: date) -> _Assessed:
        reading = self._read(tuple(card.labels), card.title, card.description or "")
        scope, word_flags = (reading, _NO_FLAGS) if isinstance(reading, Scope) else (reading.scope, reading.flags)
        local = card.created_at.astimezone(self.tz)
        period = period_of_day(local.date(), self.contract.period)
        if getattr(card, "time_entries", ()):
            hours, hours_evidence, parts, problems = self._logged(card, period, today)
        else:  # most cards: actual time, the field or the tag, as card_hours orders them
            hours, hours_evidence = card_hours(card.custom_fields, card.time_tracked_minutes, card.title,
                                               self.contract.hours_field)
            parts, problems = self._whole(period, hours) if hours else (), ()
        flags, flag_evidence = self._flags(card, local, word_flags)
        evidence = scope.evidence + ((hours_evidence,) if hours_evidence else ()) + problems + flag_evidence
        return _Assessed(card, period, scope, hours, is_tracked(hours_evidence), flags, evidence, parts)

    def _whole(self, period: ContractPeriod, hours: Decimal) -> tuple[tuple[ContractPeriod, Decimal]]:
        """((period, hours),): a card's hours all in its own period. Cards share these tuples, as they
        share a handful of values (0.5, 1, 2 h...): fewer objects for the garbage collector to scan.
        The hours are normalised (card_hours), so equal hours are also written alike."""
        pair = (period, hours)
        whole = self._wholes.get(pair)
        if whole is None:
            if len(self._wholes) >= self._memo_limit:
                self._wholes.clear()
            whole = self._wholes[pair] = (pair,)
        return whole

    def _logged(self, card: CardLike, period: ContractPeriod, today: date) -> tuple[
            Decimal | None, str | None, tuple[tuple[ContractPeriod, Decimal], ...], tuple[str, ...]]:
        """Hours of a card with logged time, from the first source it has, in DESIGN order: Asana time
        tracking entries, Asana actual time, Plus for Trello comments, the hours field, the title tag."""
        entries = card.time_entries
        counted, problems = logged_hours(entries, "asana")
        if counted:
            return (*self._dated(counted, today, "asana"), problems)
        if card.time_tracked_minutes:
            hours, why = card_hours({}, card.time_tracked_minutes, "", self.contract.hours_field)
            if hours is not None:
                return hours, why, ((period, hours),), problems
        counted, bad = logged_hours(entries, "plus")
        problems += bad
        if counted:
            return (*self._dated(counted, today, "plus"), problems)
        hours, why = card_hours(card.custom_fields, None, card.title, self.contract.hours_field)
        return hours, why, ((period, hours),) if hours else (), problems

    def _dated(self, counted: Sequence[tuple[Any, Decimal]], today: date, source: str) -> tuple[
            Decimal, str | None, tuple[tuple[ContractPeriod, Decimal], ...]]:
        """Logged time counts in the period of the day it was logged on (client timezone), up to today."""
        by_period: dict[ContractPeriod, Decimal] = defaultdict(Decimal)
        periods: dict[date, ContractPeriod] = {}  # most days have several entries, and most periods many days
        entries = 0
        for entry, hours in counted:
            day = entry.entered_on or entry.at.astimezone(self.tz).date()
            if day <= today:
                period = periods.get(day)
                if period is None:
                    period = periods[day] = period_of_day(day, self.contract.period)
                by_period[period] += hours
                entries += 1
        parts = tuple((p, h.normalize()) for p, h in sorted(by_period.items()) if h > 0)
        total = sum((h for _, h in parts), _ZERO).normalize()
        return total, logged_evidence(total, entries, source), parts

    def _read(self, labels: tuple[str, ...], title: str, description: str) -> Scope | _Reading:
        """What the card's words say: its scope, and flag words if any (memoised: scans revisit the same cards)."""
        key = (labels, title, description)
        reading = self._readings.get(key)
        if reading is None:
            fields = [self._field("title", title), self._field("description", description)]
            flags: dict[str, str] = {}
            notes = self._word_flags(fields, flags) if fields[0].flag_hits or fields[1].flag_hits else []
            if not fields[1].words and (why := fl.vague(self._title_words(title, fields[0]), description)):
                flags["vague_request"] = why
            scope = self._scope.decide(labels, fields, notes)
            reading = _Reading(scope, flags) if flags else scope
            if len(self._readings) >= self._memo_limit:
                self._readings.clear()
            self._readings[key] = reading
        return reading

    @staticmethod
    def _title_words(title: str, field: Field) -> int:
        """How many words the title has without its hours tag: the field's own, when it has no tag and nothing
        in it was blanked (readable gave it back as it was); else counted again."""
        if "[" not in title and field.text is title:
            return len(field.words)
        return len(words(strip_tags(title)))

    def _word_flags(self, fields: list[Field], flags: dict[str, str]) -> list[str]:
        """Adds the flags the fields' words raise, and drops the category keywords they show ask for nothing
        (negated, or the VA's own bill in a discount request); returns why each was dropped."""
        texts: list[FieldText | None] = [None, None]
        for i, field in enumerate(fields):
            if field.flag_hits:
                said = fl.word_flags(field.name, field.text, field.words, field.flag_hits, self.language)
                texts[i] = said.text
                for flag, why in said.found.items():
                    flags.setdefault(flag, why)
        # On a card asking for a lower price, "invoice" or "facture" is the VA's bill, not bookkeeping.
        billing = self._billing if "discount_request" in flags else None
        notes: list[str] = []
        for i, field in enumerate(fields):
            if field.hits and (texts[i] or billing):
                fields[i], ignored = self._scope.unasked(field, texts[i], billing)
                notes += ignored
        return notes

    def _field(self, name: str, text: str) -> Field:
        if not text:
            return _NO_TEXT[name]
        text = readable(text)
        written = words(text)
        hits = self._phrases.find(written)
        if not hits:
            return Field(name, text, written, (), ())
        # Service and category keywords stand for their index (an int), flag words for their kind (a str).
        scope_hits = cast("list[Hit[int]]", [h for h in hits if type(h.target) is int])
        flag_hits = cast("list[Hit[str]]", [h for h in hits if type(h.target) is str]) if len(scope_hits) < len(hits) else []
        return Field(name, text, written, scope_hits, flag_hits)

    def _flags(self, card: CardLike, local: datetime,
               word_flags: Mapping[str, str]) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
        found = dict(word_flags)
        contract = self.contract
        if card.due is not None and "urgent_deadline" not in found and (  # most cards have no due date
                why := fl.short_notice(card.created_at, card.due, contract.min_notice_hours)):
            found["urgent_deadline"] = why
        if why := self._clock.outside(local):
            found["after_hours"] = why
        if why := fl.rescheduled(len(card.due_changes)):
            found["rescheduled"] = why
        if not found:
            return (), ()
        # Without word flags (most cards), the card's own flags were added just above in FLAG_ORDER.
        ordered: list[Flag] = [f for f in fl.FLAG_ORDER if f in found] if word_flags else [*cast("dict[Flag, str]", found)]
        evidence = [f"{f}: {found[f]}" for f in ordered]
        if "no_discount" in found:  # a discount word that asks nothing of the VA: say why it was let go
            evidence.append(f"not a discount request: {found['no_discount']}")  # never a discount reply
        # Cards share their handful of flag combinations: one tuple each, not one per card kept in its finding.
        flags = tuple(ordered)
        return self._flag_sets.setdefault(flags, flags), tuple(evidence)

    def _ledger(self, assessed: Sequence[_Assessed], current: ContractPeriod, history: Mapping[str, Decimal],
                whole_from: date | None, kept: _Settled) -> tuple[dict[str, _Billed], dict[str, Balance]]:
        """Extra hours per card: in-scope cards (`assessed`, those with hours) consume each period's available
        hours in creation order."""
        work: dict[str, list[tuple[_Assessed, Decimal]]] = defaultdict(list)
        periods = {current.key: current}
        for a in assessed:
            for period, hours in a.parts:
                work[period.key].append((a, hours))
                periods[period.key] = period
        balances = self._balances(periods, work, history, whole_from)
        shares: dict[str, list[Part]] = defaultdict(list)
        for key, items in work.items():
            available, before = balances[key].available, _ZERO
            early = kept.before is not None and periods[key].start < kept.before
            for a, hours in items:
                part = kept.part(a.card.id, periods[key]) if early else None
                if part is None:
                    share = overage(self._terms, available, before, hours)
                    part = self._part(periods[key], hours, share)
                before += hours
                shares[a.card.id].append(part)
        return {card_id: self._billed(parts, balances) for card_id, parts in shares.items()}, balances

    def _plain_ledger(self, assessed: Sequence[_Assessed], kept: _Settled) -> tuple[dict[str, _Billed], dict[str, Balance]]:
        """The ledger without rollover, grace nor rounding (most contracts, kept fast): each period on its own,
        the card that crosses the limit carries the part over it, later cards all of theirs."""
        used: dict[str, Decimal] = defaultdict(Decimal)
        limit = self._limit
        billed: dict[str, _Billed] = {}
        for a in assessed:
            parts: list[Part] = []
            for period, hours in a.parts:
                if kept.before is not None and (part := kept.part(a.card.id, period)) is not None:
                    parts.append(part)
                    continue
                before = used[period.key]
                after = used[period.key] = before + hours
                if after > limit:
                    extra = after - max(before, limit)
                    parts.append(Part(period, hours, extra, _ZERO, (extra * self._rate).quantize(_CENT, ROUND_HALF_UP)))
                elif len(a.parts) > 1 or period is not a.period:
                    parts.append(Part(period, hours, _ZERO, _ZERO, _ZERO))
            if parts:
                billed[a.card.id] = self._billed(parts, {})
        return billed, {}

    def _balances(self, periods: Mapping[str, ContractPeriod], work: Mapping[str, Sequence[tuple[_Assessed, Decimal]]],
                  history: Mapping[str, Decimal], whole_from: date | None) -> dict[str, Balance]:
        """Each period's balance; with rollover, every period from the earliest known one is settled in turn."""
        def used(period: ContractPeriod) -> Decimal:
            items = work.get(period.key)
            # A period given whole has the hours of its cards, none if no card has hours there any more.
            if items if whole_from is None else period.start >= whole_from:
                return sum((h for _, h in items or ()), _ZERO)
            return history.get(period.key, _ZERO)

        if not self._rolls:
            return {key: settle(self._terms, [used(period)])[0] for key, period in periods.items()}  # each on its own
        known = [*periods.values(), *periods_of_keys(history, self.contract.period)]
        chain: list[ContractPeriod] = []
        period, last = min(known), max(known)
        while period <= last:
            chain.append(period)
            period = following(period)
        settled = settle(self._terms, [used(p) for p in chain])
        return {p.key: b for p, b in zip(chain, settled, strict=True)}

    def _part(self, period: ContractPeriod, hours: Decimal, share: Share) -> Part:
        amount = (share.billed * self._rate).quantize(_CENT, ROUND_HALF_UP) if share.billed else _ZERO
        return Part(period, hours, share.extra, share.owed, amount)

    def _billed(self, parts: Sequence[Part], balances: Mapping[str, Balance]) -> _Billed:
        available = balances[parts[0].period.key].available if self._rolls else None
        if len(parts) == 1:
            part = parts[0]
            return _Billed((part,), part.extra_hours, part.owed, part.extra_amount, available)
        return _Billed(tuple(parts), sum((p.extra_hours for p in parts), _ZERO), sum((p.owed for p in parts), _ZERO),
                       sum((p.extra_amount for p in parts), _ZERO), available)

    def _finding(self, a: _Assessed, billed: _Billed | None, current: ContractPeriod) -> Finding:
        response, messages = self._messages(a, billed, current)
        card, scope = a.card, a.scope
        extra, amount, parts, owed = ((_ZERO, _ZERO, (), _ZERO) if billed is None
                                      else (billed.extra, billed.amount, self._kept_parts(a, billed.parts), billed.owed))
        # By position, in Finding's order: a named tuple's __new__ takes 17 keywords three times as slowly.
        return Finding(card.id, card.title, card.url, card.created_at, a.period, scope.verdict,
                       scope.service.name if scope.service else None, scope.category.name if scope.category else None,
                       response, a.flags, a.hours, extra, amount, messages, a.evidence, parts, owed)

    @staticmethod
    def _kept_parts(a: _Assessed, parts: tuple[Part, ...]) -> tuple[Part, ...]:
        """No parts for a card whose hours are all in its own period: Finding.periods rebuilds that one part
        from the finding's own fields, and the scan keeps two objects fewer per billed card."""
        if len(parts) == 1 and parts[0].period == a.period and parts[0].hours == a.hours:
            return ()
        return parts

    def _messages(self, a: _Assessed, billed: _Billed | None,
                  current: ContractPeriod) -> tuple[Response, tuple[Message, ...]]:
        category = a.scope.category
        response: Response
        kinds: list[str]
        if category is not None:
            response, kinds = category.response, [category.response]
        elif billed is not None and billed.extra > 0 and a.scope.verdict == "in_scope":
            # Billed hours get the billing comment; hours an overrun rollover takes from the next period get theirs.
            response = "extra_hours"
            kinds = ["extra_hours"] if not billed.owed else (
                (["extra_hours"] if billed.extra > billed.owed else []) + ["overrun"])
        else:
            response, kinds = "none", []
        if "discount_request" in a.flags:
            kinds.append("discount")
        elif not kinds:
            return response, ()
        worded, title = self._placeholders(a, billed, current), a.card.title
        overrun: Placeholders | None = None
        messages: list[Message] = []
        for kind in kinds:
            template = self._templates[self._wording(kind, a)]
            if kind == "overrun" and billed is not None:  # the hours taken from the next period, from here on
                overrun = Placeholders(worded.values, title=title, extra_hours=hours_phrase(billed.owed, self.language))
            messages.append((kind, worded.text(template, title) if overrun is None else template.format_map(overrun)))
        return response, tuple(messages)

    @staticmethod
    def _wording(kind: str, a: _Assessed) -> str:
        # Same message kind (and reference) either way: only the wording says the work is done.
        return "extra_hours_done" if kind == "extra_hours" and a.tracked else kind

    def _placeholders(self, a: _Assessed, billed: _Billed | None, current: ContractPeriod) -> Worded:
        extra, amount, available = _ZERO, _ZERO, None
        if billed is not None:  # the billed hours; the overrun ones apart
            extra, amount, available = billed.extra - billed.owed, billed.amount, billed.available
        # Only the title is the card's own: the rest repeats across cards, and is worded once per scan.
        key = (a.period.key, current.key, id(a.scope.service), id(a.scope.category), a.hours, extra, amount, available)
        common = self._common.get(key)
        if common is None:
            if len(self._common) >= self._memo_limit:
                self._common.clear()
            common = self._common[key] = Worded(self._common_values(a, current, extra, amount, available))
        return common

    def _common_values(self, a: _Assessed, current: ContractPeriod, extra: Decimal, amount: Decimal,
                       available: Decimal | None) -> dict[str, str]:
        lang, category = self.language, a.scope.category
        # A period that has ended is named ("November"): "this month" would now mean another one.
        named = (named_period_words(lang, a.period, self.contract.period, current.start.year)
                 if a.period.key != current.key else {})
        values = dict(
            self._constants, **named,
            service=a.scope.service.name if a.scope.service else "",
            category=category.name if category else "",
            referral=(category.referral or "") if category else "",
            hours=hours_phrase(a.hours, lang) if a.hours is not None else "",
            extra_hours=hours_phrase(extra, lang), amount=money(amount, self.contract.currency, lang),
        )
        if available is not None and available != self._limit:
            # With hours carried in, the plan's hours for the period are the available ones.
            values["contracted_hours"] = hours_phrase(max(available, _ZERO), lang, genitive=True)
        return values

    def _summary(self, findings: Sequence[Finding], current: ContractPeriod, balance: Balance | None) -> HoursSummary:
        key = current.key
        parts = [p for f in findings if f.parts or f.period.key == key for p in f.periods if p.period.key == key]
        return HoursSummary(
            contracted=self.contract.hours_decimal,
            used=sum((p.hours for p in parts), _ZERO),
            extra=sum((p.extra_hours for p in parts), _ZERO),
            extra_amount=sum((p.extra_amount for p in parts), _ZERO),
            currency=self.contract.currency,
            carried_in=balance.carried_in if balance else _ZERO,
            available=balance.available if balance else self._limit,
            grace=self._terms.grace, owed=sum((p.owed for p in parts), _ZERO),
        )


def evaluate(cards: Iterable[CardLike], contract: Contract, *, language: str, timezone: ZoneInfo,
             now: datetime, templates: Templates | None = None, client: str = "", address: str = "formal",
             history: Mapping[str, Decimal] | None = None) -> ScanResult:
    """Evaluate cards once; compile a ClientRules yourself to evaluate many batches."""
    rules = ClientRules(contract, language=language, timezone=timezone, templates=templates, client=client,
                        address=address)
    return rules.evaluate(cards, now, history)
