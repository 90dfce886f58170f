"""What a scan decides: one finding per card and the period's hours, in the findings JSON."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from .comments import Message
from .periods import ContractPeriod

Verdict = Literal["in_scope", "out_of_scope", "needs_review"]
Response = Literal["consultation", "referral", "decline", "extra_hours", "none"]
Flag = Literal["discount_request", "urgent_deadline", "after_hours", "vague_request", "rescheduled"]


@dataclass(frozen=True, slots=True)
class Finding:
    """The decision for one card."""

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

    @property
    def comment(self) -> str | None:
        """Everything that would be posted on the card, or None."""
        return "\n\n".join(m.text for m in self.messages) or None

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
    """Hours of the current contract period."""

    contracted: Decimal
    used: Decimal
    extra: Decimal
    extra_amount: Decimal
    currency: str

    def to_json(self) -> dict[str, Any]:
        return {"contracted": _num(self.contracted), "used": _num(self.used), "extra": _num(self.extra),
                "extra_amount": _num(self.extra_amount), "currency": self.currency}


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
