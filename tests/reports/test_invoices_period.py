"""Invoicing by contract period: every billed extra hour is in exactly one invoice, whatever the calendar."""
from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import Card
from scheduler.cli.main import cli
from scheduler.config.models import parse_config, rules_for
from scheduler.reports.invoices import due_invoices, period_end
from tests.rules.support import card

ZONES = ["Europe/Warsaw", "America/New_York", "America/Los_Angeles", "Australia/Sydney", "Pacific/Auckland",
         "Asia/Kolkata", "UTC"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
START = datetime(2026, 9, 20, tzinfo=UTC)


def _config(va_zone: str, client_zone: str, period: str, day: str = "monday", at: str = "08:00", name: str = "Sol"):
    return parse_config(f"""
[scopekeeper]
timezone = "{va_zone}"
[scopekeeper.report]
day = "{day}"
time = "{at}"
[[clients]]
name = "{name}"
language = "es"
timezone = "{client_zone}"
boards = [{{ provider = "trello", id = "5f0c1a2b3c4d5e6f7a8b9c0d" }}]
[clients.contract]
hours = 3
period = "{period}"
overage_rate = 25
currency = "EUR"
[[clients.contract.services]]
name = "Boletín"
keywords = ["boletín", "newsletter"]
""")


class _Source:
    def __init__(self, cards: Sequence[Card]) -> None:
        self._cards = list(cards)

    def cards(self, client_name: str, since: date | None = None) -> Sequence[Card]:
        return self._cards

    def has_cards(self, client_name: str) -> bool:
        return bool(self.cards(client_name))

    def comment_statuses(self, client_name: str, periods: Collection[str] | None = None) -> Mapping[str, str]:
        return {}

    def hours_used(self, client_name: str) -> Mapping[str, Decimal]:
        return {}


def _runs(config, until: datetime) -> list[datetime]:
    """Every due moment of the weekly job between START and `until`, in the VA's timezone."""
    report, zone = config.scopekeeper.report, ZoneInfo(config.scopekeeper.timezone)
    day, runs = START.astimezone(zone).date(), []
    while True:
        moment = datetime.combine(day, report.time, zone)
        if moment > until:
            return runs
        if moment >= START and day.weekday() == DAYS.index(report.day):
            runs.append(moment)
        day += timedelta(days=1)


CARDS = st.lists(st.tuples(st.integers(0, 110 * 24 * 60), st.sampled_from([0.5, 1, 2, 3.5])), min_size=1, max_size=24)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ZONES), st.sampled_from(ZONES), st.sampled_from(["month", "week"]), st.sampled_from(DAYS),
       st.sampled_from(["00:30", "02:30", "08:00", "23:45"]), CARDS,
       st.lists(st.integers(0, 120 * 24 * 60), max_size=4))
def test_every_billed_hour_is_in_exactly_one_invoice(va_zone, client_zone, period, day, at, specs, restarts):
    config = _config(va_zone, client_zone, period, day, at)
    cards = [card(f"Boletín de la semana {i}", created=(START + timedelta(minutes=m)).isoformat(), hours=h,
                  card_id=f"c{i:03d}") for i, (m, h) in enumerate(specs)]
    source, claimed = _Source(cards), set()
    end = START + timedelta(days=125)
    # The weekly job at each due moment, plus a worker restarted at random moments (catching up at once).
    runs = sorted(_runs(config, end) + [START + timedelta(minutes=m) for m in restarts])

    def claim(key: str, target: str) -> bool:
        if (key, target) in claimed:
            return False
        claimed.add((key, target))
        return True

    invoiced: Counter = Counter()
    for moment in runs:
        for invoice in due_invoices(config, source, claim, moment):
            assert invoice.complete and period_end(invoice.period, ZoneInfo(client_zone)) <= moment
            for line in invoice.billable:
                invoiced[(invoice.period.key, line.title, line.extra_hours, line.extra_amount)] += 1
    client = config.clients[0]
    final = rules_for(client).evaluate(cards, runs[-1])
    expected: Counter = Counter()
    for f in final.findings:
        for part in f.periods:
            if part.extra_hours and period_end(part.period, ZoneInfo(client_zone)) <= runs[-1]:
                expected[(part.period.key, f.title, part.extra_hours, part.extra_amount)] += 1
    assert invoiced == expected
    assert all(count == 1 for count in invoiced.values())
    assert len({key for key, _ in claimed}) == len(claimed)


def test_month_end_card_is_in_the_monthly_invoice_not_lost_between_weeks(tmp_path: Path) -> None:
    # Monday 30 November 2026 belongs to ISO week 49 (30 Nov - 6 Dec) but to the November contract period.
    config = _config("Europe/Warsaw", "America/New_York", "month")
    cards = [card("Boletín de noviembre", created="2026-11-03T15:00:00Z", hours=3),
             card("Newsletter – Cyber Monday 🛍️", created="2026-11-30T20:00:00Z", hours=1.5),
             card("Boletín de diciembre", created="2026-12-01T15:00:00Z", hours=4)]
    source, claimed = _Source(cards), set()

    def claim(key, target):
        fresh = (key, target) not in claimed
        claimed.add((key, target))
        return fresh

    # Monday 30 Nov 08:00 Warsaw: November has not ended in New York yet; Monday 7 Dec: it has.
    early = due_invoices(config, source, claim, datetime(2026, 11, 30, 8, tzinfo=ZoneInfo("Europe/Warsaw")))
    assert [(i.period.key, i.billable) for i in early] == [("2026-09", ()), ("2026-10", ())]
    invoices = due_invoices(config, source, claim, datetime(2026, 12, 7, 8, tzinfo=ZoneInfo("Europe/Warsaw")))
    assert [(i.period.key, [line.title for line in i.billable], i.total) for i in invoices] == [
        ("2026-11", ["Newsletter – Cyber Monday 🛍️"], Decimal("37.50"))]
    assert due_invoices(config, source, claim, datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Europe/Warsaw"))) == []


def test_report_period_writes_the_calendar_months_invoice(tmp_path: Path) -> None:
    from tests.test_config import EXAMPLE
    path = tmp_path / "c.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    export = Path(__file__).resolve().parents[2] / "examples" / "estudio_sol_asana.json"
    result = CliRunner().invoke(cli, ["report", "--config", str(path), "--client", "Estudio Sol", "--period",
                                      "2026-11", "--from-export", str(export), "--out", str(tmp_path / "out"),
                                      "--now", "2026-12-02T09:00:00+01:00"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "out" / "2026-11" / "estudio-sol-invoice.csv"
    rows = list(csv.reader(io.StringIO(written.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["client", "period", "card"] and rows[1:] and all(r[1] == "2026-11" for r in rows[1:])
    total = sum(Decimal(r[7].replace(",", ".")) for r in rows[1:])
    assert f"{len(rows) - 1} card(s)" in result.output and f"€{total:.2f}" in result.output
    weekly = CliRunner().invoke(cli, ["report", "--config", str(path), "--client", "Estudio Sol", "--period",
                                      "2026-W48", "--from-export", str(export), "--out", str(tmp_path / "out")])
    assert weekly.exit_code != 0 and "Estudio Sol is billed by month; give --period as 2026-11" in weekly.output
    early = CliRunner().invoke(cli, ["report", "--config", str(path), "--client", "Estudio Sol", "--period",
                                     "2026-12", "--from-export", str(export), "--out", str(tmp_path / "out"),
                                     "--now", "2026-12-02T09:00:00+01:00"])
    assert early.exit_code == 0 and "2026-12 has not ended yet for Estudio Sol" in " ".join(early.output.split())
    bad = CliRunner().invoke(cli, ["report", "--config", str(path), "--all", "--period", "November"])
    assert bad.exit_code != 0 and "--period 'November' is not a contract period such as 2026-11" in bad.output


class _Store(_Source):
    def __init__(self, cards: Sequence[Card]) -> None:
        super().__init__(cards)
        self.claims: set[tuple[str, str]] = set()

    def claim_report(self, key: str, target: str) -> bool:
        fresh = (key, target) not in self.claims
        self.claims.add((key, target))
        return fresh


def test_the_weekly_job_writes_the_invoice_of_the_month_that_ended(tmp_path: Path) -> None:
    from scheduler.reports.weekly import send_weekly_reports
    config = _config("Europe/Warsaw", "America/New_York", "month")
    store = _Store([card("Boletín de noviembre", created="2026-11-03T15:00:00Z", hours=3),
                    card("Newsletter – Cyber Monday 🛍️", created="2026-11-30T20:00:00Z", hours=1.5)])
    monday = datetime(2026, 12, 7, 8, tzinfo=ZoneInfo("Europe/Warsaw"))
    produced = send_weekly_reports(config, store, monday, out_dir=tmp_path)
    assert [p.target for p in produced] == ["client:Sol", "practice"]
    invoice = tmp_path / "2026-W49" / "invoices" / "invoice-sol-2026-11.csv"
    rows = list(csv.reader(io.StringIO(invoice.read_bytes().decode("utf-8-sig"))))
    assert [(r[1], r[2], r[5], r[7]) for r in rows[1:]] == [("2026-11", "Newsletter – Cyber Monday 🛍️", "1.5", "37.50")]
    assert sorted(p.name for p in invoice.parent.iterdir()) == ["invoice-sol-2026-11.csv"]  # empty months: no file
    invoice.unlink()
    send_weekly_reports(config, store, monday + timedelta(hours=1), out_dir=tmp_path)
    assert not invoice.exists()  # claimed once: never invoiced twice
