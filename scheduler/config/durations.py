"""Durations written as '15m', '1h', '1h30m' or '90s'."""
from __future__ import annotations

import re
from datetime import timedelta

_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(value: object) -> object:
    """A timedelta from '15m'-style text; other types pass through for the type check to judge."""
    if not isinstance(value, str):
        return value
    match = _DURATION.match(value.strip())
    if not value.strip() or not match:
        raise ValueError("should be a duration such as \"15m\", \"1h\" or \"1h30m\" (d, h, m, s)")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    if max(days, hours, minutes, seconds) > 10**6:
        raise ValueError("is too long a duration")
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
