"""CSV of billable extra hours for invoicing: one row per card with extra hours."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Iterable

from scheduler.reports.model import ClientReport

COLUMNS = ("client", "period", "card", "url", "hours", "extra_hours", "rate", "amount", "currency")
# A cell starting with one of these is a formula to spreadsheet programs; card titles are written by clients.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def billable_csv(reports: Iterable[ClientReport]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents and currency signs right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for report in reports:
        for line in report.billable:
            writer.writerow([
                _cell(report.client), report.period.key, _cell(line.title), line.url, _plain(line.hours),
                _plain(line.extra_hours), _plain(report.rate), f"{line.extra_amount:.2f}", report.currency,
            ])
    return out.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: Decimal | None) -> str:
    """'1.5', '20': a dot and no exponent, whatever the locale."""
    return "" if value is None else f"{value.normalize():f}"
