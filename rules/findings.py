"""What a scan decides: one finding per card and the period's hours, in the findings JSON."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from .comments import Message
from .periods import ContractPeriod

Verdict = Literal["in_scope", "out_of_scope", "needs_review"]
Response = Literal["consultation", "referral", "decline", "extra_hours", "none"]
Flag = Literal["discount_request", "urgent_deadline", "after_hours", "vague_request", "rescheduled"]


class Part(NamedTuple):  # a tuple: scans build one per card with extra hours, and tuples are quick to build
    """A card's hours in one contract period (tracked time entries may fall in several)."""

    period: ContractPeriod
    hours: Decimal
    extra_hours: Decimal      # past the period's available hours and grace: billed, or owed to the next period
    owed: Decimal             # of extra_hours, taken from the next period's hours (overrun rollover), not billed
    extra_amount: Decimal


class Finding(NamedTuple):
    """The decision for one card (a named tuple: a scan builds one per card, and a tuple is built in one call
    where a frozen dataclass sets its seventeen fields one at a time)."""

    card_id: str
    title: str
    url: str
    created_at: datetime
    period: ContractPeriod
    verdict: Verdict
    service: str | None
    category: str | None
    response: Response
    flags: tuple[Flag, ...]
    hours: Decimal | None
    extra_hours: Decimal
    extra_amount: Decimal
    messages: tuple[Message, ...]
    evidence: tuple[str, ...]
    parts: tuple[Part, ...] = ()   # set when the hours are not all in `period` (see `periods`)
    owed: Decimal = Decimal(0)     # of extra_hours, taken from the next period's hours instead of billed

    @property
    def periods(self) -> tuple[Part, ...]:
        """In-scope hours per contract period; they add up to hours, extra_hours and extra_amount."""
        if self.parts or self.verdict != "in_scope" or not self.hours:
            return self.parts
        return (Part(self.period, self.hours, self.extra_hours, self.owed, self.extra_amount),)

    def part_of(self, period_key: str) -> Part | None:
        """The card's hours in one contract period, if it has any there."""
        return next((p for p in self.periods if p.period.key == period_key), None)

    @property
    def comment(self) -> str | None:
        """Everything that would be posted on the card, or None."""
        return "\n\n".join(text for _, text in self.messages) or None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.card_id, "title": self.title, "url": self.url,
            "verdict": self.verdict, "service": self.service, "category": self.category,
            "response": self.response, "flags": list(self.flags),
            "hours": _num(self.hours), "extra_hours": _num(self.extra_hours),
            "extra_amount": _num(self.extra_amount), "comment": self.comment,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class HoursSummary:
    """Hours of the current contract period; `extra` is past `available` plus the grace allowance."""

    contracted: Decimal
    used: Decimal
    extra: Decimal
    extra_amount: Decimal
    currency: str
    carried_in: Decimal = Decimal(0)    # signed: unused hours carried in, minus an overrun carried in
    available: Decimal | None = None    # contracted + carried_in (None: contracted)
    grace: Decimal = Decimal(0)         # the grace allowance: extra hours per period not billed
    owed: Decimal = Decimal(0)          # of extra, taken from the next period's hours (overrun rollover)

    @property
    def hours_available(self) -> Decimal:
        return self.contracted if self.available is None else self.available

    @property
    def remaining(self) -> Decimal:
        return max(self.hours_available - self.used, Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {"contracted": _num(self.contracted), "used": _num(self.used), "extra": _num(self.extra),
                "extra_amount": _num(self.extra_amount), "currency": self.currency,
                "carried_in": _num(self.carried_in), "available": _num(self.hours_available),
                "grace": _num(self.grace)}


@dataclass(frozen=True, slots=True)
class ScanResult:
    """All findings of one client's scan, and the hours of the period containing `now`."""

    client: str
    period: ContractPeriod
    hours: HoursSummary
    findings: tuple[Finding, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "hours": self.hours.to_json(),
            "cards": [f.to_json() for f in self.findings],
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
