"""Retainer arithmetic: hours carried between contract periods, grace and billing increments (pure)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

_ZERO = Decimal(0)
_SIXTY = Decimal(60)
ROLLOVERS = ("none", "unused", "overrun", "both")


@dataclass(frozen=True, slots=True)
class Terms:
    """A contract's retainer terms: hours per period, what rolls over, grace and billing increment."""

    contracted: Decimal
    rollover: str = "none"
    cap: Decimal | None = None        # most hours carried into one period; None: no cap
    expires_after: int = 1            # periods a carried unused hour stays usable
    grace: Decimal = _ZERO            # extra hours per period that are not billed
    increment_minutes: int = 0        # billed extra time is rounded up to this, per period

    @property
    def carries_unused(self) -> bool:
        return self.rollover in ("unused", "both")

    @property
    def carries_overrun(self) -> bool:
        return self.rollover in ("overrun", "both")


class Share(NamedTuple):
    """What one piece of work (or a whole period) goes past the available hours: owed to the next
    period (overrun rollover), billed (rounded to the increment), and forgiven by the grace allowance."""

    owed: Decimal = _ZERO
    billed: Decimal = _ZERO
    billed_exact: Decimal = _ZERO     # before rounding to the increment
    graced: Decimal = _ZERO

    @property
    def extra(self) -> Decimal:
        """Hours past the available hours and the grace allowance (billed ones rounded)."""
        return self.owed + self.billed


@dataclass(frozen=True, slots=True)
class Balance:
    """One contract period's hours once every earlier period is settled."""

    index: int
    contracted: Decimal
    carried_in: Decimal               # signed: unused hours carried in, minus the previous period's overrun
    available: Decimal
    used: Decimal
    share: Share                      # what went past the available hours
    unused: Decimal                   # hours left at the period's end (the next period may carry them)
    forfeited: Decimal                # carried hours that expired, passed the cap or lapsed at this period's start
    lots: tuple[tuple[int, Decimal], ...]  # unused hours still on hand at the end, by the period they came from


def round_up(hours: Decimal, increment_minutes: int) -> Decimal:
    """Hours rounded up to a whole number of increments (0: unchanged): 0.05 h at 6 min -> 0.1 h."""
    if not increment_minutes or hours <= 0:
        return hours
    steps = (hours * _SIXTY / increment_minutes).to_integral_value(ROUND_CEILING)
    return (steps * increment_minutes / _SIXTY).normalize()


def settle(terms: Terms, used: Sequence[Decimal]) -> list[Balance]:
    """The balances of consecutive periods, the first one starting with nothing carried in.

    Carried hours are used before the period's own, oldest first; an unused hour is usable for
    `expires_after` periods after its own; at most `cap` hours enter one period (the oldest go first).
    An overrun carried into the next period is at most that period's contracted hours; the rest is billed.
    """
    balances: list[Balance] = []
    lots: list[tuple[int, Decimal]] = []
    debt = _ZERO
    for index, hours in enumerate(used):
        lots, forfeited = _carried(terms, lots, index)
        carried = sum((h for _, h in lots), _ZERO)
        available = terms.contracted + carried - debt
        share = overage(terms, available, _ZERO, hours)
        pool = _consume([*lots, (index, terms.contracted)], debt + hours)
        balances.append(Balance(index, terms.contracted, carried - debt, available, hours, share,
                                sum((h for _, h in pool), _ZERO), forfeited, tuple(pool)))
        lots, debt = pool, share.owed
    return balances


def overage(terms: Terms, available: Decimal, before: Decimal, hours: Decimal) -> Share:
    """The part of `hours`, worked after `before` hours of the same period, past the available hours.

    Shares of consecutive pieces of work add up to the period's share: rounding and the grace allowance
    apply to the period's running total, so a later card never changes an earlier card's figures.
    """
    return _minus(_cumulative(terms, available, before + hours), _cumulative(terms, available, before))


def _carried(terms: Terms, lots: list[tuple[int, Decimal]], index: int) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """Lots that may enter period `index`, and the hours that may not."""
    total = sum((h for _, h in lots), _ZERO)
    if not terms.carries_unused:
        return [], total
    kept = [(origin, h) for origin, h in lots if index - origin <= terms.expires_after and h > 0]
    room = sum((h for _, h in kept), _ZERO)
    if terms.cap is not None and room > terms.cap:
        kept = _consume(kept, room - terms.cap)
    return kept, total - sum((h for _, h in kept), _ZERO)


def _consume(lots: list[tuple[int, Decimal]], hours: Decimal) -> list[tuple[int, Decimal]]:
    """The lots left after taking `hours`, oldest first."""
    left: list[tuple[int, Decimal]] = []
    for origin, lot in lots:
        taken = min(lot, max(hours, _ZERO))
        hours -= taken
        if lot > taken:
            left.append((origin, lot - taken))
    return left


def _cumulative(terms: Terms, available: Decimal, worked: Decimal) -> Share:
    past = max(worked - max(available, _ZERO), _ZERO)
    graced = min(past, terms.grace)
    over = past - graced
    owed = min(over, terms.contracted) if terms.carries_overrun else _ZERO
    exact = over - owed
    return Share(owed, round_up(exact, terms.increment_minutes), exact, graced)


def _minus(a: Share, b: Share) -> Share:
    return Share(a.owed - b.owed, a.billed - b.billed, a.billed_exact - b.billed_exact, a.graced - b.graced)
