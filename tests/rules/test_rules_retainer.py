"""Retainers in the rules: rollover, grace and increments on real cards, and every hours source in order."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.models import Card, Comment, TimeEntry
from integrations.plus import plus_entries
from rules.evaluate import ClientRules
from tests.rules.support import at, card, rules

D = Decimal


def _monthly(**terms) -> ClientRules:
    return rules("en", tz="America/New_York", hours=40, **terms)


def _work(title: str, created: str, hours: float) -> Card:
    return card(title, "Please use the usual template.", created=created, hours=hours)


PRODUCTIVE = [
    _work("October newsletter: write and schedule", "2026-10-06T15:00:00Z", 18),
    _work("Instagram posts for the October launch", "2026-10-20T15:00:00Z", 12),
    _work("November newsletter + Black Friday teaser", "2026-11-03T15:00:00Z", 35),
    _work("Facebook posts, all of November", "2026-11-12T15:00:00Z", 25),
]


def test_productive_examples_through_the_rules():
    result = _monthly(rollover="both").evaluate(PRODUCTIVE, at("2026-12-02T15:00:00Z"))
    assert (result.hours.carried_in, result.hours.available, result.hours.used) == (D(-10), D(30), 0)
    november = _monthly(rollover="both").evaluate(PRODUCTIVE, at("2026-11-30T15:00:00Z"))
    assert (november.hours.carried_in, november.hours.available, november.hours.used) == (D(10), D(50), D(60))
    assert november.hours.extra == D(10) and november.hours.extra_amount == 0
    late = november.findings[-1]
    assert late.extra_hours == D(10) and late.owed == D(10) and late.extra_amount == 0
    assert [kind for kind, _ in late.messages] == ["overrun"]
    assert "isn't billed" in late.comment and "next month" in late.comment and "50 hours" in late.comment
    assert november.to_json()["hours"] | {} == {
        "contracted": 40.0, "used": 60.0, "extra": 10.0, "extra_amount": 0.0, "currency": "EUR",
        "carried_in": 10.0, "available": 50.0, "grace": 0.0}


def test_unused_rollover_bills_past_the_carried_hours():
    november = _monthly(rollover="unused").evaluate(PRODUCTIVE, at("2026-11-30T15:00:00Z"))
    late = november.findings[-1]
    assert (late.extra_hours, late.owed, late.extra_amount) == (D(10), 0, D(400))
    assert [kind for kind, _ in late.messages] == ["extra_hours"] and "$400.00" not in late.comment
    assert "€400.00" in late.comment and "the 50 hours" in late.comment


def test_carried_hours_start_at_the_ledgers_first_period():
    # No card in September or October, but the worker's ledger knew September: two months of unused hours.
    card_ = _work("Newsletter for December", "2026-11-05T15:00:00Z", 10)
    history = {"2026-09": D(0), "2026-10": D(0)}
    result = _monthly(rollover="unused", rollover_expires_after=2, rollover_cap_hours=60).evaluate(
        [card_], at("2026-11-20T15:00:00Z"), history)
    assert (result.hours.carried_in, result.hours.available) == (D(60), D(100))
    alone = _monthly(rollover="unused").evaluate([card_], at("2026-11-20T15:00:00Z"))
    assert alone.hours.carried_in == 0


@pytest.mark.parametrize("language,title", [
    ("en", "Newsletter – fix the footer links 🙏"),
    ("fr", "Newsletter : corriger les liens du pied de page stp"),
    ("es", "Newsletter: arreglar los enlaces del pie, porfa"),
    ("pl", "Newsletter - popraw linki w stopce plz"),
])
def test_inside_the_grace_allowance_no_comment(language, title):
    r = rules(language, hours=10, grace_hours=1)
    cards = [card("Newsletter de noviembre / listopad / novembre", created="2026-11-03T10:00:00Z", hours=9.5),
             card(title, created="2026-11-04T10:00:00Z", hours=1.25)]
    late = r.evaluate(cards, at("2026-11-20T12:00:00Z")).findings[-1]
    assert late.verdict == "in_scope" and late.extra_hours == 0 and late.comment is None
    over = r.evaluate([*cards, card(title + " (2)", created="2026-11-05T10:00:00Z", hours=1)],
                      at("2026-11-20T12:00:00Z"))
    assert over.findings[-1].extra_hours == D("0.75") and over.hours.extra == D("0.75")


def test_billing_increment_rounds_the_period_not_each_card():
    r = rules("en", hours=10, billing_increment_minutes=15)
    cards = [card("Newsletter draft", created="2026-11-03T10:00:00Z", hours=10.05),
             card("Newsletter images", created="2026-11-04T10:00:00Z", hours=0.1)]
    first, second = r.evaluate(cards, at("2026-11-20T12:00:00Z")).findings
    assert (first.extra_hours, first.extra_amount) == (D("0.25"), D("10.00"))
    assert (second.extra_hours, second.extra_amount) == (0, 0)  # 0.15 h still inside the first quarter hour


@pytest.mark.parametrize("language,expected", [
    ("en", "comes out of your hours for next month"),
    ("fr", "décompté au mois prochain"),
    ("es", "se descontará de sus horas para el mes que viene"),
    ("pl", "zostanie odliczony od godzin na przyszły miesiąc"),
])
def test_overrun_comment_in_every_language(language, expected):
    r = rules(language, hours=10, rollover="overrun")
    cards = [card("Newsletter", created="2026-11-03T10:00:00Z", hours=8),
             card({"en": "Instagram carousel for the spring collection", "fr": "Carrousel Instagram pour la collection de printemps",
                   "es": "Carrusel de Instagram para la colección de primavera",
                   "pl": "Karuzela na Instagram z wiosenną kolekcją"}[language],
                  created="2026-11-04T10:00:00Z", hours=3.5)]
    late = r.evaluate(cards, at("2026-11-20T12:00:00Z")).findings[-1]
    assert late.response == "extra_hours" and [kind for kind, _ in late.messages] == ["overrun"]
    assert expected in late.comment and late.extra_amount == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 120), st.sampled_from([0, 0.5, 1, 2.25, 4, 7.5]),
                          st.booleans()), min_size=1, max_size=25))
def test_rollover_none_gives_todays_results(specs):
    start = datetime(2026, 9, 1, 12, tzinfo=UTC)
    cards = [card("Newsletter" if in_scope else "Strategy deck", created=(start + timedelta(days=day)).isoformat(),
                  hours=hours, card_id=f"k{i:03d}") for i, (day, hours, in_scope) in enumerate(specs)]
    now = at("2027-01-15T12:00:00Z")
    plain = rules("en", hours=10).evaluate(cards, now)
    explicit = rules("en", hours=10, rollover="none", grace_hours=0, billing_increment_minutes=0).evaluate(cards, now)
    assert plain == explicit
    used: dict[str, Decimal] = {}
    for f in plain.findings:  # the ledger as it was before retainers: per period, in creation order
        if f.verdict != "in_scope" or not f.hours:
            assert f.extra_hours == 0
            continue
        before = used.get(f.period.key, D(0))
        used[f.period.key] = before + f.hours
        assert f.extra_hours == max(used[f.period.key] - max(before, D(10)), D(0))
        assert f.extra_amount == (f.extra_hours * 40).quantize(D("0.01"))
        assert not f.owed and plain.hours.carried_in == 0 and plain.hours.available == 10


# --- hours sources ---------------------------------------------------------------------------------

def _comment(text: str, when: str, author: str = "Anna") -> Comment:
    return Comment(id=f"a{abs(hash((text, when))) % 10**8}", text=text, created_at=at(when), author=author)


def _trello(title: str, comments: list[Comment], **fields) -> Card:
    base = card(title, "Details in the brief.", created="2026-11-02T09:00:00Z", **fields)
    return replace(base, comments=tuple(comments), time_entries=plus_entries(comments))


def test_plus_comments_in_their_grammar_with_typos_reported():
    said = [
        _comment("plus! 1.5/2 first draft", "2026-11-03T10:00:00Z"),
        _comment("plus! @anna -2d 0,75/ fixed the header (forgot to log it Monday)", "2026-11-06T10:00:00Z"),
        _comment("Plus! /3 estimate for the rest", "2026-11-06T11:00:00Z"),
        _comment("plus! 1h30 images", "2026-11-07T10:00:00Z"),                   # typo: units are not Plus's
        _comment("plus!", "2026-11-07T11:00:00Z"),
        _comment("Great, thanks! plus! 5/5 is what Marc said", "2026-11-08T10:00:00Z"),  # not at the start
        _comment("plus! @anna @marc 1/1 call with the client", "2026-11-09T10:00:00Z"),
    ]
    entries = plus_entries(said)
    assert [(e.minutes, e.problem is None) for e in entries] == [
        (90, True), (45, True), (0, True), (0, False), (0, False), (120, True)]
    assert entries[1].at == at("2026-11-04T10:00:00Z")
    f = one_card(_trello("Newsletter de novembre [2h]", said, hours=8))
    assert f.hours == D("4.25")  # plus! comes before the hours field and the title tag
    assert "4.25 h from Plus for Trello plus! comments (4)" in f.evidence
    problems = [e for e in f.evidence if "counted 0 h" in e]
    assert len(problems) == 2 and "'plus! 1h30 images'" in problems[0] and "'1h30'" in problems[0]


def test_only_malformed_plus_comments_fall_back_to_the_next_source():
    said = [_comment("plus! dos horas", "2026-11-03T10:00:00Z"), _comment("plus! 2godz", "2026-11-03T11:00:00Z")]
    f = one_card(_trello("Newsletter grudniowy [1,5h]", said))
    assert f.hours == D("1.5") and any("title tag" in e for e in f.evidence)
    assert sum("counted 0 h" in e for e in f.evidence) == 2
    # 'plus! 2 godz' is Plus's relaxed form (2 spent, the note 'godz'): it counts, before the title tag.
    relaxed = one_card(_trello("Newsletter grudniowy [1,5h]", [_comment("plus! 2 godz", "2026-11-03T11:00:00Z")]))
    assert relaxed.hours == D(2)


def one_card(c: Card, **terms):
    return rules("en", tz="Europe/Warsaw", hours=10, **terms).evaluate([c], at("2026-12-10T12:00:00Z")).findings[0]


def _asana(title: str, entries: list[tuple[str, int]], minutes: float | None = None, **fields) -> Card:
    base = card(title, "Brief attached", created="2026-11-25T09:00:00Z", minutes=minutes, **fields)
    return replace(base, provider="asana", time_entries=tuple(
        TimeEntry(id=f"t{i}", source="asana", minutes=m, entered_on=date.fromisoformat(day), author="Anna")
        for i, (day, m) in enumerate(entries)))


def test_asana_time_entries_count_in_the_period_of_their_day():
    task = _asana("Newsletter świąteczny – szkic i wysyłka", [("2026-11-27", 90), ("2026-11-30", 60),
                                                             ("2026-12-02", 120), ("2026-12-20", 30)],
                  minutes=999, hours=7)
    r = rules("pl", tz="Europe/Warsaw", hours=2)
    result = r.evaluate([task], at("2026-12-10T12:00:00Z"))
    f = result.findings[0]
    assert f.hours == D("4.5")  # the entry of 20 December is after `now`
    assert [(p.period.key, p.hours, p.extra_hours) for p in f.parts] == [("2026-11", D("2.5"), D("0.5")),
                                                                        ("2026-12", D(2), 0)]
    assert "4.5 h from Asana time tracking entries (3)" in f.evidence
    assert result.hours.used == D(2) and result.hours.extra == 0
    november = r.evaluate([task], at("2026-11-30T20:00:00Z"))
    assert november.hours.used == D("2.5") and november.hours.extra == D("0.5")


def test_source_order_actual_time_before_plus_before_field_before_tag():
    said = [_comment("plus! 3/3", "2026-11-03T10:00:00Z")]
    both = replace(_trello("Newsletter [5h]", said, hours=4), time_tracked_minutes=30)
    assert one_card(both).hours == D("0.5")
    assert one_card(_trello("Newsletter [5h]", said, hours=4)).hours == D(3)
    assert one_card(_trello("Newsletter [5h]", [], hours=4)).hours == D(4)
    assert one_card(_trello("Newsletter [5h]", [])).hours == D(5)


@pytest.mark.parametrize("zone,month", [("Pacific/Auckland", "2026-12"), ("America/Los_Angeles", "2026-11")])
def test_plus_back_dating_is_judged_on_the_clients_calendar(zone, month):
    # Written 1 December 12:30 UTC, back-dated one day: 30 November 12:30 UTC, which is already
    # 1 December (01:30) in Auckland and still 30 November (04:30) in Los Angeles.
    said = [_comment("plus! -1d 2/2 weekend emails", "2026-12-01T12:30:00Z")]
    c = _trello("Newsletter", said)
    f = rules("en", tz=zone, hours=10).evaluate([c], at("2026-12-05T12:00:00Z")).findings[0]
    assert [p.period.key for p in f.periods] == [month]


def test_periods_before_whole_from_count_by_the_ledger_when_their_cards_are_cut():
    """A report gives a card with time logged for months, and only the cards of the periods it shows: the hours
    carried into them come from the ledger, as if every card had been given."""
    weekly = TimeEntry("e0", "plus", 0, at=at("2026-09-02T10:00:00Z"))
    logged = tuple(replace(weekly, id=f"e{n}", minutes=m, at=at(day)) for n, (day, m) in enumerate(
        [("2026-09-02T10:00:00Z", 600), ("2026-10-07T10:00:00Z", 1200), ("2026-11-04T10:00:00Z", 900)]))
    ongoing = replace(_work("Newsletter every week 📰 (ongoing)", "2026-09-01T15:00:00Z", 0), time_entries=logged,
                      custom_fields={})
    september = [_work("Instagram posts, septembre promo -20%", "2026-09-10T15:00:00Z", 22)]
    october = [_work("**newsletter** October, urgent!!", "2026-10-14T15:00:00Z", 30)]
    november = [_work("Facebook posts, not urgent", "2026-11-12T15:00:00Z", 16),
                _work("Newsletter: Black Friday teaser", "2026-11-20T15:00:00Z", 20)]
    contract = _monthly(rollover="both", grace_hours=1)
    now = at("2026-11-30T15:00:00Z")
    every = contract.evaluate([ongoing, *september, *october, *november], now)
    ledger: dict[str, Decimal] = {}
    for finding in every.findings:
        for part in finding.periods:
            ledger[part.period.key] = ledger.get(part.period.key, D(0)) + part.hours
    assert ledger == {"2026-09": D(32), "2026-10": D(50), "2026-11": D(51)}
    cut = contract.evaluate([ongoing, *november], now, ledger, date(2026, 11, 1))
    assert cut.hours == every.hours and cut.hours.carried_in < 0  # October's overrun, from the ledger
    shown = {f.card_id: f for f in every.findings if f.period.key == "2026-11"}
    assert {f.card_id: f for f in cut.findings if f.period.key == "2026-11"} == shown
    assert [p for f in cut.findings for p in f.periods if p.period.key == "2026-11"] == [
        p for f in every.findings for p in f.periods if p.period.key == "2026-11"]
    # Without whole_from the cut periods would count the long card's hours alone: October would be under plan.
    assert contract.evaluate([ongoing, *november], now, ledger).hours != every.hours


def test_settled_parts_stand_for_a_long_card_in_the_periods_before_whole_from():
    """A scan gives the open period's cards and a card with time logged for months, whose parts as last evaluated
    stand for it in the closed periods: its finding is the one every card gives, and a closed period the ledger
    says was used that no given card has hours in any more counts none from `whole_from` on."""
    logged = tuple(TimeEntry(f"e{n}", "plus", minutes, at=at(day)) for n, (day, minutes) in enumerate(
        [("2026-09-22T10:00:00Z", 600), ("2026-10-07T10:00:00Z", 1200), ("2026-11-04T10:00:00Z", 900)]))
    ongoing = replace(_work("Newsletter co tydzień 📰 (stałe)", "2026-09-20T15:00:00Z", 0), time_entries=logged,
                      custom_fields={})
    earlier = [_work("Instagram posts for the september promo -20%", "2026-09-10T15:00:00Z", 35),
               _work("**Newsletter** October, urgent!!", "2026-10-14T15:00:00Z", 30)]
    november = [_work("Newsletter: Black Friday teaser, not urgent", "2026-11-20T15:00:00Z", 20)]
    contract = _monthly(rollover="unused")
    now = at("2026-11-30T15:00:00Z")
    every = contract.evaluate([ongoing, *earlier, *november], now)
    whole = {f.card_id: f for f in every.findings}
    ledger: dict[str, Decimal] = {}
    for finding in every.findings:
        for part in finding.periods:
            ledger[part.period.key] = ledger.get(part.period.key, D(0)) + part.hours
    assert ledger == {"2026-09": D(45), "2026-10": D(50), "2026-11": D(35)}
    del ledger["2026-11"]
    assert [p.extra_hours for p in whole[ongoing.id].periods] == [D(5), D(0), D(0)]  # behind September's 35 h
    kept = {ongoing.id: whole[ongoing.id].periods}
    cut = contract.evaluate([ongoing, *november], now, ledger, date(2026, 11, 1), settled=kept)
    assert {f.card_id: f for f in cut.findings} == {ongoing.id: whole[ongoing.id], november[0].id: whole[november[0].id]}
    assert cut.hours == every.hours
    # Without them its September and October shares would be reckoned as if it were those months' only card.
    alone = contract.evaluate([ongoing, *november], now, ledger, date(2026, 11, 1))
    assert [p.extra_hours for p in alone.findings[0].periods] == [D(0), D(0), D(0)]
    # A period given whole counts its cards' hours, none if the ledger's total came from hours since removed.
    stale = contract.evaluate([ongoing, *november], now, {**ledger, "2026-11": D(60)}, date(2026, 11, 1), settled=kept)
    assert stale.hours == every.hours
    emptied = contract.evaluate([], now, {"2026-10": D(50)}, date(2026, 10, 1))  # October's 50 h all removed
    assert emptied.hours.carried_in == D(40)  # its unused 40 h roll into November
    assert contract.evaluate([], now, {"2026-10": D(50)}).hours.carried_in == 0  # not given whole: the ledger's
