"""CSV of billable extra hours for invoicing: one row per card with extra hours, in the locale's conventions.

English: ',' between cells and '.' in numbers. French, Spanish and Polish spreadsheet programs expect ';'
between cells and a decimal comma (their list separator is ';' because ',' is the decimal mark), so a
double-click opens the file in columns with numbers they can add up.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from scheduler.reports.invoices import Invoice
from scheduler.reports.model import ClientReport

COLUMNS = ("client", "period", "card", "url", "hours", "extra_hours", "rate", "amount", "currency")
# A cell starting with one of these is a formula to spreadsheet programs; card titles are written by clients.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def billable_csv(reports: Iterable[ClientReport | Invoice], language: str = "en") -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents and currency signs right."""
    comma = language in DECIMAL_COMMA
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if comma else ",")
    writer.writerow(COLUMNS)
    for report in reports:
        for line in report.billable:
            numbers = [_plain(line.hours), _plain(line.extra_hours), _plain(report.rate), f"{line.extra_amount:.2f}"]
            writer.writerow([
                _cell(report.client), report.period.key, _cell(line.title), line.url,
                *(n.replace(".", ",") if comma else n for n in numbers), report.currency,
            ])
    return out.getvalue().encode("utf-8-sig")


DECIMAL_COMMA = frozenset({"fr", "es", "pl"})


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _plain(value: Decimal | None) -> str:
    """'1.5', '20': no exponent, no thousands separator."""
    return "" if value is None else f"{value.normalize():f}"
