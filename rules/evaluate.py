"""Evaluate a client's cards against the contract at a given moment: the rules' entry point."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Iterable, Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

from . import flags as fl
from .comments import Message, hours_phrase, money, render
from .contract import Contract, Templates
from .findings import Finding, HoursSummary, ScanResult
from .hours import card_hours, strip_tags
from .periods import ContractPeriod, period_of
from .scope import Field, Scope, ScopeMatcher
from .text import tokenize

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


class CardLike(Protocol):
    """What the rules read of a card (integrations.models.Card provides it)."""

    id: str
    title: str
    description: str
    labels: Sequence[str]
    created_at: datetime
    due: datetime | None
    due_changes: Sequence[object]
    custom_fields: Mapping[str, object]
    time_tracked_minutes: float | None
    url: str


@dataclass(frozen=True, slots=True)
class _Assessed:
    card: CardLike
    period: ContractPeriod
    scope: Scope
    hours: Decimal | None
    flags: tuple[str, ...]
    evidence: tuple[str, ...]


class ClientRules:
    """One client's contract compiled for fast evaluation of many cards."""

    def __init__(self, contract: Contract, *, language: str, timezone: ZoneInfo,
                 templates: Templates | None = None, client: str = "") -> None:
        self.contract, self.language, self.tz = contract, language, timezone
        self.templates, self.client = templates, client
        self._scope = ScopeMatcher(contract, language)
        self._flag_words = _flag_words(language)

    def evaluate(self, cards: Iterable[CardLike], now: datetime) -> ScanResult:
        """Findings for every card created up to `now`, and the hours of the period containing it."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        assessed = sorted((self._assess(c) for c in cards if c.created_at <= now),
                          key=lambda a: (a.card.created_at, a.card.id))
        extra = self._ledger(assessed)
        findings = tuple(self._finding(a, extra.get(a.card.id, _ZERO)) for a in assessed)
        return ScanResult(self.client, period_of(now, self.contract.period, self.tz),
                          self._summary(findings, now), findings)

    def _assess(self, card: CardLike) -> _Assessed:
        title = Field("title", card.title, tokenize(card.title, self.language))
        description = Field("description", card.description or "", tokenize(card.description or "", self.language))
        scope = self._scope.decide(card.labels, (title, description))
        hours, hours_evidence = card_hours(card.custom_fields, card.time_tracked_minutes, card.title,
                                           self.contract.hours_field)
        flags, flag_evidence = self._flags(card, title, description)
        evidence = scope.evidence + ((hours_evidence,) if hours_evidence else ()) + flag_evidence
        return _Assessed(card, period_of(card.created_at, self.contract.period, self.tz), scope, hours,
                         flags, evidence)

    def _flags(self, card: CardLike, title: Field, description: Field) -> tuple[tuple[str, ...], tuple[str, ...]]:
        found: dict[str, str] = {}
        for field in (title, description):
            for kind, hit in self._flag_words.find(field.tokens).items():
                flag = "discount_request" if kind == "discount" else "urgent_deadline"
                written = field.text[field.tokens[hit.first].start:field.tokens[hit.last - 1].end]
                found.setdefault(flag, f"'{written}' in {field.name}")
        contract = self.contract
        checks = {
            "urgent_deadline": lambda: fl.short_notice(card.created_at, card.due, contract.min_notice_hours),
            "after_hours": lambda: fl.outside_business_hours(card.created_at, contract.business_hours, self.tz),
            "vague_request": lambda: fl.vague(len(tokenize(strip_tags(card.title), self.language)),
                                              card.description or "") if not description.tokens else None,
            "rescheduled": lambda: fl.rescheduled(len(card.due_changes)),
        }
        for flag, check in checks.items():
            if flag not in found and (why := check()):
                found[flag] = why
        ordered = tuple(f for f in fl.FLAG_ORDER if f in found)
        return ordered, tuple(f"{f}: {found[f]}" for f in ordered)

    def _ledger(self, assessed: Sequence[_Assessed]) -> dict[str, Decimal]:
        """Extra hours per card: in-scope cards consume the period's hours in creation order."""
        limit = self.contract.hours_decimal
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

    def _finding(self, a: _Assessed, extra: Decimal) -> Finding:
        amount = (extra * self.contract.rate_decimal).quantize(_CENT, ROUND_HALF_UP) if extra else _ZERO
        response, messages = self._messages(a, extra, amount)
        return Finding(
            card_id=a.card.id, title=a.card.title, url=a.card.url, created_at=a.card.created_at,
            period=a.period, verdict=a.scope.verdict,
            service=a.scope.service.name if a.scope.service else None,
            category=a.scope.category.name if a.scope.category else None,
            response=response, flags=a.flags, hours=a.hours, extra_hours=extra, extra_amount=amount,
            messages=messages, evidence=a.evidence,
        )

    def _messages(self, a: _Assessed, extra: Decimal, amount: Decimal) -> tuple[str, tuple[Message, ...]]:
        c, lang = self.contract, self.language
        values = dict(
            client=self.client, title=a.card.title, period=c.period,
            service=a.scope.service.name if a.scope.service else "",
            category=a.scope.category.name if a.scope.category else "",
            consultation_url=c.consultation_url or "",
            referral=(a.scope.category.referral or "") if a.scope.category else "",
            hours=hours_phrase(a.hours, lang) if a.hours is not None else "",
            extra_hours=hours_phrase(extra, lang), contracted_hours=hours_phrase(c.hours_decimal, lang, genitive=True),
            rate=money(c.rate_decimal, c.currency, lang), amount=money(amount, c.currency, lang),
        )
        response = "none"
        if a.scope.category is not None:
            response = a.scope.category.response
        elif a.scope.verdict == "in_scope" and extra > 0:
            response = "extra_hours"
        messages = [render(response, lang, self.templates, **values)] if response != "none" else []
        if "discount_request" in a.flags:
            messages.append(render("discount", lang, self.templates, **values))
        return response, tuple(messages)

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
             now: datetime, templates: Templates | None = None, client: str = "") -> ScanResult:
    """Evaluate cards once; compile a ClientRules yourself to evaluate many batches."""
    rules = ClientRules(contract, language=language, timezone=timezone, templates=templates, client=client)
    return rules.evaluate(cards, now)


@lru_cache(maxsize=None)
def _flag_words(language: str) -> fl.FlagWords:
    return fl.FlagWords(language)
