"""The contract a client pays for: services, known out-of-scope requests, hours and rates."""
from __future__ import annotations

import re
import string
from datetime import time
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Literal

from babel.numbers import list_currencies
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

from .retainer import Terms

Language = Literal["en", "fr", "es", "pl"]
Period = Literal["week", "month"]
Address = Literal["formal", "informal"]
Response = Literal["consultation", "referral", "decline"]
Rollover = Literal["none", "unused", "overrun", "both"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _clock_time(value: object) -> object:
    if isinstance(value, str):
        match = _HHMM.match(value.strip())
        if not match:
            raise ValueError("should be a time of day as \"HH:MM\", e.g. \"09:00\"")
        return time(int(match[1]), int(match[2]))
    return value


ClockTime = Annotated[time, BeforeValidator(_clock_time),
                      WithJsonSchema({"type": "string", "pattern": _HHMM.pattern, "examples": ["09:00"]})]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
Keyword = Annotated[str, Field(min_length=1, max_length=200, pattern=r"[^\W_]")]


class Strict(BaseModel):
    """Base of configuration models: unknown keys and loose types are mistakes."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Service(Strict):
    """Something the client pays for, recognised by keywords or card labels."""

    name: Name
    keywords: list[Keyword] = []
    labels: list[Name] = []

    @model_validator(mode="after")
    def _recognisable(self) -> Service:
        if not self.keywords and not self.labels:
            raise ValueError("needs at least one keyword or label, or no card could ever match it")
        return self


class OutOfScope(Service):
    """A known request outside the plan, and how to answer it."""

    response: Response = "consultation"
    referral: str | None = Field(default=None, description="the colleague to refer to, for response = \"referral\"")

    @model_validator(mode="after")
    def _referral_named(self) -> OutOfScope:
        if self.response == "referral" and not (self.referral or "").strip():
            raise ValueError("response = \"referral\" needs referral = \"Name, what they do - contact\"")
        return self


class BusinessHours(Strict):
    """When the client may expect work to happen, in the client's timezone."""

    days: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    start: ClockTime = time(9, 0)
    end: ClockTime = time(17, 0)

    @model_validator(mode="after")
    def _sane(self) -> BusinessHours:
        if not self.days:
            raise ValueError("days must name at least one weekday")
        if self.start >= self.end:
            raise ValueError(f"start {self.start:%H:%M} must be before end {self.end:%H:%M}")
        return self


class Templates(Strict):
    """Per-client wording of the comments; placeholders in {braces} are listed in the README."""

    consultation: str | None = None
    referral: str | None = None
    decline: str | None = None
    extra_hours: str | None = None
    extra_hours_done: str | None = Field(
        default=None, description="extra hours already tracked (work done); defaults to extra_hours' wording")
    overrun: str | None = None
    discount: str | None = None

    @field_validator("*")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            names = {field for _, field, _, _ in string.Formatter().parse(value) if field is not None}
        except ValueError as err:
            raise ValueError(f"is not a valid template ({err}); write a literal brace as {{{{ or }}}}") from None
        unknown = sorted(n for n in names if n not in PLACEHOLDERS)
        if unknown:
            raise ValueError(f"uses unknown placeholder {{{unknown[0]}}}; allowed: "
                             + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
        return value


PLACEHOLDERS = ("client", "title", "service", "category", "consultation_url", "referral", "hours",
                "extra_hours", "contracted_hours", "rate", "amount", "this_period", "next_period")


class Contract(Strict):
    """What the client contracted: hours per period, rates, services and known out-of-scope work."""

    hours: float = Field(gt=0, allow_inf_nan=False, description="contracted hours per period")
    period: Period = "month"
    overage_rate: float = Field(ge=0, allow_inf_nan=False, description="price of one extra hour")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD, EUR, PLN")
    consultation_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    hours_field: str = Field(default="Hours", min_length=1)
    min_notice_hours: float = Field(default=48, ge=0, allow_inf_nan=False)
    business_hours: BusinessHours = BusinessHours()
    services: list[Service] = Field(min_length=1)
    out_of_scope: list[OutOfScope] = []
    rollover: Rollover = Field(default="none", description="hours that move to the next period: none | unused | "
                               "overrun | both")
    rollover_cap_hours: float | None = Field(default=None, ge=0, allow_inf_nan=False,
                                             description="most hours carried into one period (unset: no cap)")
    rollover_expires_after: int = Field(default=1, ge=1, le=120,
                                        description="periods a carried unused hour stays usable")
    grace_hours: float = Field(default=0, ge=0, allow_inf_nan=False, description="extra hours per period not billed")
    billing_increment_minutes: Literal[0, 6, 15, 30] = Field(
        default=0, description="extra time is rounded up to this per period (0: not rounded)")

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in _currencies():
            raise ValueError(f"{value!r} is not an ISO 4217 currency code (e.g. USD, EUR, GBP, PLN)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Contract:
        names = [s.name.casefold() for s in self.services] + [c.name.casefold() for c in self.out_of_scope]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"service and category names must be unique; {duplicates[0]!r} appears twice")
        if not self.consultation_url and any(c.response == "consultation" for c in self.out_of_scope):
            raise ValueError("consultation_url is required when an out_of_scope category answers with a consultation")
        return self

    @property
    def hours_decimal(self) -> Decimal:
        return Decimal(str(self.hours))

    @property
    def rate_decimal(self) -> Decimal:
        return Decimal(str(self.overage_rate))

    @property
    def terms(self) -> Terms:
        """The retainer terms: what rolls over, the grace allowance and the billing increment."""
        cap = None if self.rollover_cap_hours is None else Decimal(str(self.rollover_cap_hours))
        return Terms(self.hours_decimal, self.rollover, cap, self.rollover_expires_after,
                     Decimal(str(self.grace_hours)), self.billing_increment_minutes)


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())
