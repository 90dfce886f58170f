"""Evaluate a client's cards against the contract at a given moment: the rules' entry point."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Protocol, TypeGuard
from zoneinfo import ZoneInfo

from . import flags as fl
from .clauses import FieldText
from .comments import Message, Placeholders, hours_phrase, money, named_period_words, period_words, template
from .contract import Contract, Templates
from .discount import names_price
from .findings import Finding, Flag, HoursSummary, Response, ScanResult
from .hours import card_hours, is_tracked, strip_tags
from .matching import Hit, PhraseMatcher
from .periods import ContractPeriod, period_of, period_of_day
from .scope import Field, Scope, ScopeMatcher
from .text import readable, words

_CENT = Decimal("0.01")
_READING_MEMO = 100_000
_ZERO = Decimal(0)


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
    def url(self) -> str: ...


@dataclass(frozen=True, slots=True)
class _Reading:
    """The text-only part of a card's assessment."""

    scope: Scope
    flags: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _Assessed:
    """One card judged on its own, before the period's hours are shared out."""

    card: CardLike
    period: ContractPeriod
    scope: Scope
    hours: Decimal | None
    tracked: bool  # the hours were logged as time spent, not estimated in the title: the work is done
    flags: tuple[Flag, ...]
    evidence: tuple[str, ...]


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
        # Scans come back to the same cards every few minutes: their texts are read once.
        self._readings: dict[tuple[tuple[str, ...], str, str], _Reading] = {}
        self._clock = fl.BusinessClock(contract.business_hours)
        self._billing = partial(names_price, language=language)
        self._limit, self._rate = contract.hours_decimal, contract.rate_decimal
        # The parts of every comment that depend on the contract alone.
        self._constants = dict(
            period_words(language, contract.period), client=client, consultation_url=contract.consultation_url or "",
            contracted_hours=hours_phrase(self._limit, language, genitive=True),
            rate=money(self._rate, contract.currency, language))
        self._templates = {kind: template(kind, language, templates, address) for kind in Templates.model_fields}

    def evaluate(self, cards: Iterable[CardLike], now: datetime) -> ScanResult:
        """Findings for every card created up to `now`, and the hours of the period containing it."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        assessed = sorted((self._assess(c) for c in cards if c.created_at <= now),
                          key=lambda a: (a.card.created_at, a.card.id))
        extra = self._ledger(assessed)
        current = period_of(now, self.contract.period, self.tz)
        findings = tuple([self._finding(a, extra.get(a.card.id, _ZERO), current) for a in assessed])
        return ScanResult(self.client, current, self._summary(findings, now), findings)

    def _assess(self, card: CardLike) -> _Assessed:
        text = self._read(tuple(card.labels), card.title, card.description or "")
        hours, hours_evidence = card_hours(card.custom_fields, card.time_tracked_minutes, card.title,
                                           self.contract.hours_field)
        local = card.created_at.astimezone(self.tz)
        flags, flag_evidence = self._flags(card, local, text.flags)
        evidence = text.scope.evidence + ((hours_evidence,) if hours_evidence else ()) + flag_evidence
        return _Assessed(card, period_of_day(local.date(), self.contract.period), text.scope, hours,
                         is_tracked(hours_evidence), flags, evidence)

    def _read(self, labels: tuple[str, ...], title: str, description: str) -> _Reading:
        """What the card's words say: scope and flag words (memoised: scans revisit the same cards)."""
        key = (labels, title, description)
        reading = self._readings.get(key)
        if reading is None:
            fields = [self._field("title", title), self._field("description", description)]
            flags: dict[str, str] = {}
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
            if not fields[1].words and (why := fl.vague(len(words(strip_tags(title))), description)):
                flags["vague_request"] = why
            reading = _Reading(self._scope.decide(labels, fields, notes), flags)
            if len(self._readings) >= _READING_MEMO:
                self._readings.clear()
            self._readings[key] = reading
        return reading

    def _field(self, name: str, text: str) -> Field:
        if not text:
            return Field(name, text, [], (), ())
        text = readable(text)
        written = words(text)
        hits = self._phrases.find(written)
        if not hits:
            return Field(name, text, written, (), ())
        scope_hits = [h for h in hits if _is_scope_hit(h)]
        flag_hits = [h for h in hits if _is_flag_hit(h)] if len(scope_hits) < len(hits) else []
        return Field(name, text, written, scope_hits, flag_hits)

    def _flags(self, card: CardLike, local: datetime,
               word_flags: Mapping[str, str]) -> tuple[tuple[Flag, ...], tuple[str, ...]]:
        found = dict(word_flags)
        contract = self.contract
        if "urgent_deadline" not in found and (why := fl.short_notice(card.created_at, card.due,
                                                                     contract.min_notice_hours)):
            found["urgent_deadline"] = why
        if why := self._clock.outside(local):
            found["after_hours"] = why
        if why := fl.rescheduled(len(card.due_changes)):
            found["rescheduled"] = why
        if not found:
            return (), ()
        ordered: list[Flag] = [f for f in fl.FLAG_ORDER if f in found]
        evidence = [f"{f}: {found[f]}" for f in ordered]
        if "no_discount" in found:  # a discount word that asks nothing of the VA: say why it was let go
            evidence.append(f"not a discount request: {found['no_discount']}")  # never a discount reply
        return tuple(ordered), tuple(evidence)

    def _ledger(self, assessed: Sequence[_Assessed]) -> dict[str, Decimal]:
        """Extra hours per card: in-scope cards consume the period's hours in creation order."""
        limit = self._limit
        used: dict[str, Decimal] = defaultdict(Decimal)
        extra: dict[str, Decimal] = {}
        for a in assessed:
            if a.scope.verdict != "in_scope" or not a.hours:
                continue
            before = used[a.period.key]
            after = used[a.period.key] = before + a.hours
            if after > limit:
                extra[a.card.id] = after - max(before, limit)
        return extra

    def _finding(self, a: _Assessed, extra: Decimal, current: ContractPeriod) -> Finding:
        amount = (extra * self._rate).quantize(_CENT, ROUND_HALF_UP) if extra else _ZERO
        response, messages = self._messages(a, extra, amount, current)
        return Finding(
            card_id=a.card.id, title=a.card.title, url=a.card.url, created_at=a.card.created_at,
            period=a.period, verdict=a.scope.verdict,
            service=a.scope.service.name if a.scope.service else None,
            category=a.scope.category.name if a.scope.category else None,
            response=response, flags=a.flags, hours=a.hours, extra_hours=extra, extra_amount=amount,
            messages=messages, evidence=a.evidence,
        )

    def _messages(self, a: _Assessed, extra: Decimal, amount: Decimal,
                  current: ContractPeriod) -> tuple[Response, tuple[Message, ...]]:
        response: Response = "none"
        if a.scope.category is not None:
            response = a.scope.category.response
        elif a.scope.verdict == "in_scope" and extra > 0:
            response = "extra_hours"
        kinds = ([response] if response != "none" else []) + (["discount"] if "discount_request" in a.flags else [])
        if not kinds:
            return response, ()
        values = self._placeholders(a, extra, amount, current)
        return response, tuple(Message(kind, self._templates[self._wording(kind, a)].format_map(values))
                               for kind in kinds)

    @staticmethod
    def _wording(kind: str, a: _Assessed) -> str:
        # Same message kind (and reference) either way: only the wording says the work is done.
        return "extra_hours_done" if kind == "extra_hours" and a.tracked else kind

    def _placeholders(self, a: _Assessed, extra: Decimal, amount: Decimal, current: ContractPeriod) -> Placeholders:
        lang, category = self.language, a.scope.category
        # A period that has ended is named ("November"): "this month" would now mean another one.
        named = (named_period_words(lang, a.period, self.contract.period, current.start.year)
                 if a.period.key != current.key else {})
        return Placeholders(
            self._constants, **named, title=a.card.title,
            service=a.scope.service.name if a.scope.service else "",
            category=category.name if category else "",
            referral=(category.referral or "") if category else "",
            hours=hours_phrase(a.hours, lang) if a.hours is not None else "",
            extra_hours=hours_phrase(extra, lang), amount=money(amount, self.contract.currency, lang),
        )

    def _summary(self, findings: Sequence[Finding], now: datetime) -> HoursSummary:
        current = period_of(now, self.contract.period, self.tz).key
        in_period = [f for f in findings if f.period.key == current and f.verdict == "in_scope"]
        return HoursSummary(
            contracted=self.contract.hours_decimal,
            used=sum((f.hours or _ZERO for f in in_period), _ZERO),
            extra=sum((f.extra_hours for f in in_period), _ZERO),
            extra_amount=sum((f.extra_amount for f in in_period), _ZERO),
            currency=self.contract.currency,
        )


def evaluate(cards: Iterable[CardLike], contract: Contract, *, language: str, timezone: ZoneInfo,
             now: datetime, templates: Templates | None = None, client: str = "",
             address: str = "formal") -> ScanResult:
    """Evaluate cards once; compile a ClientRules yourself to evaluate many batches."""
    rules = ClientRules(contract, language=language, timezone=timezone, templates=templates, client=client,
                        address=address)
    return rules.evaluate(cards, now)


def _is_scope_hit(hit: Hit[int | str]) -> TypeGuard[Hit[int]]:
    return type(hit.target) is int  # service and category keywords stand for their index


def _is_flag_hit(hit: Hit[int | str]) -> TypeGuard[Hit[str]]:
    return type(hit.target) is str  # flag words stand for their kind
