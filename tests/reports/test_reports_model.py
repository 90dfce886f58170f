"""Report data: the week's cut-off, projections, changes, comment statuses, practice totals, CSV and weeks."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from integrations.reference import make_reference
from scheduler.reports.documents import file_stems
from scheduler.reports.invoicing import billable_csv
from scheduler.reports.model import CLIENT, client_report, practice_report
from scheduler.reports.weeks import last_complete_week, parse_week
from tests.reports.support import (
    MONDAY_AFTER,
    WEEK,
    StatusSource,
    card,
    practice_cards,
    practice_config,
    practice_source,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def _report(name: str, source=None, week=WEEK, now=MONDAY_AFTER, **options):
    config = practice_config()
    return client_report(config, config.client(name), source or practice_source(), week, now, **options)


def _titles(lines) -> list[str]:
    return [line.title for line in lines]


def test_a_week_report_counts_cards_up_to_the_end_of_its_sunday_in_the_clients_timezone() -> None:
    report = _report("Harbor Lane Bakery")
    assert report.as_of == datetime(2026, 11, 22, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/New_York"))
    assert (report.period.start, report.period.end) == (date(2026, 11, 1), date(2026, 11, 30))
    # 8 + 7 + 6 + 3 in November up to the 22nd; the card of the 24th is not counted yet.
    assert (report.used, report.extra, report.extra_amount) == (Decimal(24), Decimal(4), Decimal("180.00"))
    assert _titles(report.billable) == ["Facebook event for the rye tasting", "Newsletter for the pumpkin pie week"]
    assert "Newsletter for the December fair" not in _titles(report.billable)


def test_a_week_still_running_is_reported_up_to_now() -> None:
    report = _report("Harbor Lane Bakery", now=datetime(2026, 11, 16, 14, 0, tzinfo=ZoneInfo("UTC")))
    assert report.as_of == datetime(2026, 11, 16, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    assert report.used == 21  # the pumpkin pie newsletter comes at 15:00 UTC


def test_a_week_that_has_not_started_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-W48 has not started"):
        _report("Harbor Lane Bakery", week=parse_week("2026-W48"), now=datetime(2026, 11, 20, tzinfo=WARSAW))


@pytest.mark.parametrize(("hours", "runs_out"), [(8, date(2026, 11, 20)), (4, None)])
def test_projection_at_the_pace_so_far(hours: int, runs_out: date | None) -> None:
    # By the end of Sunday 8 November (8 days into the month), `hours` used of 20.
    source = StatusSource({"Harbor Lane Bakery": [card("Weekly newsletter", "2026-11-02T15:00:00Z", hours=hours)]})
    report = _report("Harbor Lane Bakery", source, week=parse_week("2026-W45"))
    assert report.burnup.ran_out is False
    assert report.burnup.runs_out == runs_out  # 8 h in 8 days: 20 h on day 20; 4 h: not this month


def test_the_day_the_hours_ran_out_and_the_burn_up_points() -> None:
    burnup = _report("Harbor Lane Bakery").burnup
    assert burnup.ran_out and burnup.runs_out == date(2026, 11, 9)  # 8 + 7 + 6 = 21 on the 9th
    assert [total for _, total in burnup.points] == [8, 15, 21, 24]


def test_change_against_the_previous_period() -> None:
    changes = {c.metric: c for c in _report("Harbor Lane Bakery").changes}
    assert (changes["used"].now, changes["used"].before, changes["used"].delta) == (24, 5, 19)
    assert (changes["requests"].now, changes["requests"].before) == (2, 0)
    assert changes["flags"].now == 3 and changes["needs_review"].now == 2


def test_comment_statuses_come_from_the_store_by_reference() -> None:
    cards = practice_cards()
    by_title = {c.title: c for cs in cards.values() for c in cs}

    def ref(title: str, kind: str, period: str) -> str:
        c = by_title[title]
        return make_reference(c.provider, c.id, kind, period)

    statuses = {
        "Harbor Lane Bakery": {
            ref("Plan a content strategy for the bakery", "consultation", "2026-11"): "sent",
            ref("Chase the flour supplier invoices", "referral", "2026-11"): "rejected",
            ref("Facebook event for the rye tasting", "extra_hours", "2026-11"): "pending_review",
        },
        "Café Tortuga": {ref("Emitir las facturas de la cafetería", "referral", "2026-11"): "approved"},
    }
    source = StatusSource(cards, statuses)
    va = _report("Harbor Lane Bakery", source)
    assert [line.status for line in va.requests] == ["posted", "rejected"]
    assert [line.status for line in va.billable] == ["review", "not_sent"]
    assert [line.status for line in _report("Café Tortuga", source).requests] == ["queued"]  # an Asana card

    safe = _report("Harbor Lane Bakery", source, audience=CLIENT)
    assert _titles(safe.requests) == ["Plan a content strategy for the bakery"]  # the VA rejected the other
    assert safe.language == "en" and not safe.flagged and not safe.needs_review
    assert all(not line.flags and not line.evidence for line in safe.requests + safe.billable)
    assert {c.metric for c in safe.changes} == {"used", "extra", "extra_amount", "requests"}


def test_client_safe_report_is_in_the_clients_language_and_the_va_report_in_the_vas() -> None:
    config = practice_config("es")
    client = config.client("Zielony Ogród")
    assert client_report(config, client, practice_source(), WEEK, MONDAY_AFTER).language == "es"
    assert client_report(config, client, practice_source(), WEEK, MONDAY_AFTER, audience=CLIENT).language == "pl"


@pytest.mark.parametrize(("capacity", "room"), [(30, Decimal("7.5")), (20, Decimal("-2.5")), (None, None)])
def test_practice_capacity_invoices_and_most_flagged(capacity: float | None, room: Decimal | None) -> None:
    config = practice_config(capacity=capacity)
    reports = [client_report(config, c, practice_source(), WEEK, MONDAY_AFTER) for c in config.clients]
    practice = practice_report(config, WEEK, reports)
    assert practice.booked == Decimal("22.5")  # 20 h/month + 10 h/week + 8 h/month + 6 h/week
    assert practice.room == room
    assert practice.invoice_totals == (
        ("EUR", Decimal("110.00")), ("PLN", Decimal("110.00")), ("USD", Decimal("180.00")))
    assert [(c.client, c.flag_count) for c in practice.most_flagged] == [
        ("Harbor Lane Bakery", 3), ("Zielony Ogród", 2), ("Maison Pivoine", 1)]


def test_invoice_csv_has_one_row_per_card_with_extra_hours_and_no_formulas() -> None:
    source = StatusSource({"Maison Pivoine": [
        card("Newsletter de la semaine", "2026-11-16T09:00:00Z", hours=10),
        card("=HYPERLINK(\"http://evil.example\") newsletter", "2026-11-17T09:00:00Z", hours=1.5),
    ]})
    rows = list(csv.DictReader(io.StringIO(billable_csv([_report("Maison Pivoine", source)]).decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0] | {"url": ""} == {
        "client": "Maison Pivoine", "period": "2026-W47", "card": "'=HYPERLINK(\"http://evil.example\") newsletter",
        "url": "", "hours": "1.5", "extra_hours": "1.5", "rate": "40", "amount": "60.00", "currency": "EUR"}


def test_file_names_per_client_never_clash() -> None:
    stems = file_stems(["Atelier Lumière", "Café Sol", "Cafe Sol", "Zielony Ogród"])
    assert stems["Atelier Lumière"] == "atelier-lumiere" and stems["Zielony Ogród"] == "zielony-ogrod"
    assert stems["Café Sol"] != stems["Cafe Sol"] and all(s.startswith("cafe-sol-") for s in
                                                          (stems["Café Sol"], stems["Cafe Sol"]))


def test_weeks() -> None:
    assert (WEEK.monday, WEEK.sunday) == (date(2026, 11, 16), date(2026, 11, 22))
    assert parse_week("2026-W53").monday == date(2026, 12, 28)  # 2026 has 53 ISO weeks
    for bad in ("2026-47", "2027-W53", "2026-W00"):
        with pytest.raises(ValueError, match="is not an ISO week such as 2026-W47"):
            parse_week(bad)
    assert last_complete_week(datetime(2026, 11, 23, 0, 30, tzinfo=WARSAW), WARSAW).key == "2026-W47"
    # 22:30 UTC on Sunday is 23:30 in Warsaw: week 47 has not ended there yet.
    assert last_complete_week(datetime(2026, 11, 22, 22, 30, tzinfo=ZoneInfo("UTC")), WARSAW).key == "2026-W46"
