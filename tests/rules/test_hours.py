"""Hours of a card, the contract period ledger, extra hours and amounts."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from rules.hours import card_hours, parse_hours, title_tag
from rules.periods import period_of, period_of_day
from tests.rules.support import at, card, one, rules


@pytest.mark.parametrize("value, hours", [
    ("1,5", "1.5"), ("1.5", "1.5"), (2, "2"), (2.25, "2.25"), ("  3 ", "3"), ("abc", None), (-1, None),
    (float("nan"), None), (True, None), (None, None), ("", None),
])
def test_parse_hours(value, hours) -> None:
    assert parse_hours(value) == (Decimal(hours) if hours else None)


@pytest.mark.parametrize("title, hours", [
    ("Newsletter [2h]", "2"), ("Post [1.5 h]", "1.5"), ("Post [1,5h]", "1.5"), ("Post [30m]", "0.5"),
    ("Post [90 min]", "1.5"), ("Post [1h30]", "1.5"), ("Post [1h 30m]", "1.5"), ("Posty [2 godz]", "2"),
    ("[3 horas] boletín", "3"), ("No tag 2h", None), ("Price [20%]", None),
])
def test_title_tags(title: str, hours: str | None) -> None:
    tag = title_tag(title)
    assert (tag[0] if tag else None) == (Decimal(hours) if hours else None)


def test_tracked_minutes_beat_the_field_which_beats_the_title_tag() -> None:
    assert card_hours({"Hours": 3}, 90, "x [5h]", "Hours")[0] == Decimal("1.5")
    assert card_hours({"hours": "1,5"}, None, "x [5h]", "Hours")[0] == Decimal("1.5")
    assert card_hours({"Hours": None}, None, "x [5h]", "Hours")[0] == Decimal("5")
    assert card_hours({"Other": 4}, 0, "x", "Hours") == (None, None)


def test_card_exactly_on_the_limit_has_no_extra_then_the_next_is_all_extra() -> None:
    result = rules().evaluate([card("newsletter A", hours=6, created="2026-11-02T10:00:00Z"),
                               card("newsletter B", hours=4, created="2026-11-03T10:00:00Z"),
                               card("newsletter C", hours="1,5", created="2026-11-04T10:00:00Z")],
                              at("2026-11-20T12:00:00Z"))
    extras = [(f.extra_hours, f.extra_amount, f.response) for f in result.findings]
    assert extras == [(0, 0, "none"), (0, 0, "none"), (Decimal("1.5"), Decimal("60.00"), "extra_hours")]
    assert (result.hours.used, result.hours.extra, result.hours.extra_amount) == (Decimal("11.5"), Decimal("1.5"), Decimal("60.00"))


def test_the_card_crossing_the_limit_carries_only_the_part_over_it() -> None:
    result = rules().evaluate([card("newsletter A", hours=8, created="2026-11-02T10:00:00Z"),
                               card("newsletter B", hours=3, created="2026-11-03T10:00:00Z")],
                              at("2026-11-20T12:00:00Z"))
    assert [f.extra_hours for f in result.findings] == [0, 1]


def test_only_in_scope_cards_consume_hours_in_creation_order_not_input_order() -> None:
    late = card("newsletter late", hours=6, created="2026-11-05T10:00:00Z")
    early = card("newsletter early", hours=6, created="2026-11-01T10:00:00Z")
    strategy = card("strategy session", hours=50, created="2026-11-02T10:00:00Z")
    review = card("podcast notes", hours=50, created="2026-11-03T10:00:00Z")
    result = rules().evaluate([late, strategy, review, early], at("2026-11-20T12:00:00Z"))
    by_title = {f.title: f for f in result.findings}
    assert by_title["newsletter early"].extra_hours == 0 and by_title["newsletter late"].extra_hours == 2
    assert by_title["strategy session"].extra_hours == 0 and result.hours.used == 12


def test_hours_count_in_the_period_of_creation_in_the_client_timezone() -> None:
    # 23:30 UTC on Oct 31 is already November 1st in Warsaw: it belongs to November's ledger.
    cards = [card("newsletter oct", hours=9, created="2026-10-31T23:30:00Z"),
             card("newsletter nov", hours=9, created="2026-11-02T10:00:00Z")]
    warsaw = rules(tz="Europe/Warsaw").evaluate(cards, at("2026-11-20T12:00:00Z"))
    new_york = rules(tz="America/New_York").evaluate(cards, at("2026-11-20T12:00:00Z"))
    assert warsaw.hours.used == 18 and warsaw.hours.extra == 8
    assert new_york.hours.used == 9 and new_york.hours.extra == 0


def test_cards_created_after_now_are_not_evaluated() -> None:
    result = rules().evaluate([card("newsletter", hours=1, created="2026-11-25T10:00:00Z")], at("2026-11-20T12:00:00Z"))
    assert result.findings == () and result.hours.used == 0


@pytest.mark.parametrize("day, kind, start, end, key", [
    (date(2026, 11, 20), "month", date(2026, 11, 1), date(2026, 11, 30), "2026-11"),
    (date(2028, 2, 29), "month", date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
    (date(2026, 11, 22), "week", date(2026, 11, 16), date(2026, 11, 22), "2026-W47"),
    (date(2026, 11, 23), "week", date(2026, 11, 23), date(2026, 11, 29), "2026-W48"),
    (date(2027, 1, 1), "week", date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
])
def test_period_boundaries(day, kind, start, end, key) -> None:
    period = period_of_day(day, kind)
    assert (period.start, period.end, period.key) == (start, end, key)


def test_week_boundary_across_the_autumn_dst_change() -> None:
    # Europe/Warsaw leaves DST on Sunday 2026-10-25; Sunday 23:30 local is 22:30 UTC after the change.
    warsaw = ZoneInfo("Europe/Warsaw")
    sunday_late = datetime(2026, 10, 25, 22, 30, tzinfo=UTC)
    monday_early = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)
    assert period_of(sunday_late, "week", warsaw).key == "2026-W43"
    assert period_of(monday_early, "week", warsaw).key == "2026-W44"


def test_month_boundary_across_the_spring_dst_change_in_new_york() -> None:
    ny = ZoneInfo("America/New_York")
    assert period_of(datetime(2027, 4, 1, 3, 59, tzinfo=UTC), "month", ny).key == "2027-03"
    assert period_of(datetime(2027, 4, 1, 4, 0, tzinfo=UTC), "month", ny).key == "2027-04"


def test_weekly_contract_resets_each_iso_week() -> None:
    result = rules(period="week", hours=2).evaluate(
        [card("newsletter", hours=2, created="2026-11-13T10:00:00Z"),
         card("newsletter", hours=2, created="2026-11-16T10:00:00Z")], at("2026-11-17T12:00:00Z"))
    assert [f.extra_hours for f in result.findings] == [0, 0]
    assert (result.period.start, result.hours.used) == (date(2026, 11, 16), 2)


def test_extra_amount_is_rounded_to_cents() -> None:
    f = one(card("newsletter", hours="10.333"), overage_rate=33.33)
    assert f.extra_hours == Decimal("0.333") and f.extra_amount == Decimal("11.10")


def test_a_boolean_hours_field_is_no_hours_even_after_the_number_one() -> None:
    # card_hours memoises field values; True == 1 must not share the memo's answer.
    assert card_hours({"Hours": 1}, None, "Task", "Hours")[0] == 1
    assert card_hours({"Hours": True}, None, "Task", "Hours") == (None, None)
    assert card_hours({"Hours": 1.0}, None, "Task", "Hours") == (Decimal(1), "1 h from field 'Hours'")
