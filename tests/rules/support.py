"""Builders for rule tests: contracts and cards in a few lines."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from integrations.models import Card, DueChange
from rules.contract import Contract, Templates
from rules.evaluate import ClientRules

_counter = iter(range(1, 10**9))


def contract(**overrides) -> Contract:
    data = {
        "hours": 10, "period": "month", "overage_rate": 40, "currency": "EUR",
        "consultation_url": "https://book.example/va", "min_notice_hours": 24,
        "services": [{"name": "Newsletter", "keywords": ["newsletter"], "labels": ["News"]},
                     {"name": "Social", "keywords": ["instagram", "facebook"]}],
        "out_of_scope": [{"name": "Strategy", "keywords": ["strategy"], "response": "consultation"},
                         {"name": "Bookkeeping", "keywords": ["invoice"], "response": "referral",
                          "referral": "Maria, bookkeeper - maria@example.com"},
                         {"name": "Legal", "keywords": ["legal"], "response": "decline", "labels": ["Lawyer"]}],
    }
    data.update(overrides)
    return Contract.model_validate(data)


def at(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def card(title: str, description: str = "", *, created: str = "2026-11-10T15:00:00Z", hours: float | str | None = None,
         due: str | None = None, due_changes: int = 0, labels: tuple[str, ...] = (), minutes: float | None = None,
         card_id: str | None = None) -> Card:
    created_at = at(created)
    return Card(
        id=card_id or f"c{next(_counter):05d}", title=title, description=description, created_at=created_at,
        labels=labels, due=at(due) if due else None,
        due_changes=tuple(DueChange(created_at, created_at, created_at) for _ in range(due_changes)),
        custom_fields={"Hours": hours} if hours is not None else {}, time_tracked_minutes=minutes,
        url="https://trello.com/c/x",
    )


def rules(language: str = "en", tz: str = "Europe/Paris", templates: Templates | None = None,
          **overrides) -> ClientRules:
    return ClientRules(contract(**overrides), language=language, timezone=ZoneInfo(tz), templates=templates,
                       client="Client")


def one(c: Card, language: str = "en", now: str = "2026-11-30T12:00:00Z", **overrides):
    return rules(language, **overrides).evaluate([c], at(now)).findings[0]
