"""A contract's retainer terms in one plain sentence, for `config check` and the web app's clients page."""
from __future__ import annotations

from rules.contract import Contract


def retainer_words(c: Contract) -> str:
    """The contract's rollover, grace and billing increment in one plain sentence."""
    period = c.period
    unit = "month" if period == "month" else "week"
    parts = []
    if c.rollover in ("unused", "both"):
        lasting = "the next " + unit if c.rollover_expires_after == 1 else f"{c.rollover_expires_after} {unit}s"
        cap = f" (at most {c.rollover_cap_hours:g} h carried into one {unit})" if c.rollover_cap_hours is not None else ""
        parts.append(f"unused hours roll over and stay usable for {lasting}{cap}")
    else:
        parts.append(f"unused hours expire at the end of each {unit}")
    if c.rollover in ("overrun", "both"):
        parts.append(f"hours past the plan come out of the next {unit}'s hours instead of being billed "
                     f"(up to {c.hours:g} h; beyond that they are billed)")
    else:
        parts.append(f"hours past the plan are billed at {c.overage_rate:g} {c.currency}/h")
    if c.grace_hours:
        parts.append(f"the first {c.grace_hours:g} h past the plan each {unit} are not billed")
    if c.billing_increment_minutes:
        parts.append(f"billed time is rounded up to {c.billing_increment_minutes} minutes each {unit}")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."
