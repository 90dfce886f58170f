"""Edge inputs of the rules: malformed contracts, odd hours values, period keys, and the few card shapes
that the other rule tests do not write."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from integrations.models import TimeEntry
from rules.comments import Placeholders
from rules.contract import BusinessHours, OutOfScope, Service, Templates
from rules.evaluate import evaluate
from rules.findings import HoursSummary
from rules.flags import WordFlags, word_flags
from rules.hours import card_hours, logged_hours
from rules.matching import PhraseMatcher
from rules.periods import period_of_day, period_of_key
from rules.text import words
from tests.rules.support import at, card, contract, one, rules

WEEKDAY_NOON = "2026-11-10T11:00:00Z"  # Tuesday 12:00 in Paris


# --- the contract: what a VA may write wrong in it ---------------------------------------------------------

@pytest.mark.parametrize("value", ["9am", "25:00", "9:00", "09.00", ""])
def test_business_hours_that_are_not_hh_mm_are_refused_with_an_example(value: str) -> None:
    with pytest.raises(ValidationError, match='time of day as "HH:MM"'):
        BusinessHours.model_validate({"days": ["mon"], "start": value, "end": "17:00"})


def test_business_hours_accept_hh_mm_with_spaces_and_times_of_day() -> None:
    hours = BusinessHours.model_validate({"days": ["mon", "fri"], "start": " 08:30 ", "end": time(16, 0)})
    assert (hours.start, hours.end) == (time(8, 30), time(16, 0))


def test_business_hours_need_a_day_and_a_start_before_the_end() -> None:
    with pytest.raises(ValidationError, match="at least one weekday"):
        BusinessHours.model_validate({"days": [], "start": "09:00", "end": "17:00"})
    with pytest.raises(ValidationError, match="start 18:00 must be before end 09:00"):
        BusinessHours.model_validate({"days": ["tue"], "start": "18:00", "end": "09:00"})


def test_a_service_nothing_could_match_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least one keyword or label"):
        Service.model_validate({"name": "Newsletter"})
    assert Service.model_validate({"name": "Newsletter", "labels": ["News"]}).labels == ["News"]


@pytest.mark.parametrize("referral", [None, "", "   "])
def test_a_referral_without_whom_to_refer_to_is_refused(referral: str | None) -> None:
    with pytest.raises(ValidationError, match='needs referral = "Name, what they do - contact"'):
        OutOfScope.model_validate({"name": "Bookkeeping", "keywords": ["invoice"], "response": "referral",
                                   "referral": referral})


def test_an_unknown_currency_is_refused_with_examples() -> None:
    with pytest.raises(ValidationError, match=r"'ABC' is not an ISO 4217 currency code \(e.g. USD"):
        contract(currency="ABC")


def test_a_service_and_a_category_may_not_share_a_name_whatever_its_case() -> None:
    with pytest.raises(ValidationError, match="names must be unique; 'newsletter' appears twice"):
        contract(out_of_scope=[{"name": "NEWSLETTER", "keywords": ["strategy"], "response": "decline"}])


def test_a_consultation_answer_needs_the_booking_link() -> None:
    with pytest.raises(ValidationError, match="consultation_url is required"):
        contract(consultation_url=None)
    # without a category answering with a consultation the link is optional
    assert contract(consultation_url=None, out_of_scope=[]).consultation_url is None


def test_templates_left_out_stay_unset_and_a_missing_placeholder_renders_empty() -> None:
    r = rules("en", templates=Templates(decline="Sorry {client}, {title} is not something I do.{referral}"))
    f = r.evaluate([card("Legal review of our T&Cs", created=WEEKDAY_NOON)], at("2026-11-30T12:00:00Z")).findings[0]
    assert f.comment == "Sorry Client, Legal review of our T&Cs is not something I do."
    assert Placeholders(client="Anna")["referral"] == ""
    default = rules("en", templates=Templates(decline=None)).evaluate(
        [card("Legal review of our T&Cs", created=WEEKDAY_NOON)], at("2026-11-30T12:00:00Z")).findings[0]
    assert default.comment and "not something I do" not in default.comment  # the built-in wording


# --- contract periods ---------------------------------------------------------------------------------------

def test_an_unknown_period_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown period kind 'fortnight'"):
        period_of_day(date(2026, 11, 10), "fortnight")


@pytest.mark.parametrize("key, first, last", [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
    ("2026-W47", date(2026, 11, 16), date(2026, 11, 22)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
])
def test_period_keys_read_back(key: str, first: date, last: date) -> None:
    period = period_of_key(key)
    assert (period.key, period.start, period.end) == (key, first, last)


@pytest.mark.parametrize("key", ["2026-13", "2026-W54", "november", "2026-11-01", "", "2026-Wx"])
def test_malformed_period_keys_say_what_a_key_looks_like(key: str) -> None:
    with pytest.raises(ValueError, match=r"is not a contract period such as 2026-11 \(a month\) or 2026-W47"):
        period_of_key(key)


def test_a_rolling_ledger_skips_history_keys_it_cannot_read_or_of_the_other_kind() -> None:
    c = card("Newsletter de novembre", created="2026-11-03T15:00:00Z", hours=12)
    bills = card("Relancer les factures impayées (invoice) 😩", created="2026-11-04T15:00:00Z", hours=3)
    now = at("2026-11-20T15:00:00Z")
    clean = rules("fr", hours=10, rollover="unused").evaluate([c], now, {"2026-10": Decimal(4)})
    noisy = rules("fr", hours=10, rollover="unused").evaluate(
        [c, bills], now, {"2026-10": Decimal(4), "octobre": Decimal(1), "2026-W40": Decimal(2)})
    assert noisy.findings[1].verdict == "out_of_scope"  # its 3 h use none of the contracted hours
    assert clean.hours.carried_in == Decimal(6)  # October's 6 unused hours roll into November
    assert (noisy.hours.carried_in, noisy.hours.used, noisy.hours.extra) == (Decimal(6), Decimal(12), Decimal(0))


def test_balance_remaining_is_never_negative() -> None:
    def balance(used: int) -> HoursSummary:
        return HoursSummary(contracted=Decimal(10), used=Decimal(used), extra=Decimal(0), extra_amount=Decimal(0),
                            currency="EUR", carried_in=Decimal(2), available=Decimal(12))

    assert balance(3).remaining == Decimal(9)
    assert balance(15).remaining == Decimal(0)


# --- hours: None, empty and malformed values ----------------------------------------------------------------

@pytest.mark.parametrize("tracked", [-30.0, float("nan"), float("inf")])
def test_tracked_time_that_is_no_number_of_minutes_leaves_the_hours_field_to_decide(tracked: float) -> None:
    hours, why = card_hours({"Hours": "1,5"}, tracked, "Newsletter [3h]", "hours")
    assert (hours, why) == (Decimal("1.5"), "1.5 h from field 'Hours'")


def test_a_card_with_broken_tracked_time_counts_its_hours_field() -> None:
    f = one(card("Newsletter de diciembre 📧 [5h]", created=WEEKDAY_NOON, hours="2", minutes=-45.0), "es")
    assert f.hours == Decimal(2)
    assert "2 h from field 'Hours'" in f.evidence


def test_broken_tracked_time_on_a_card_with_plus_comments_leaves_the_comments_to_decide() -> None:
    entries = (TimeEntry("p1", "plus", 90, at=at("2026-11-10T12:00:00Z"), text="plus! 1.5/2"),
               TimeEntry("p2", "plus", 0, at=at("2026-11-10T13:00:00Z"), text="plus! abc", problem="not a number"))
    c = replace(card("Posty na Instagram 📸 - pilne!!", created=WEEKDAY_NOON, hours="4", minutes=-15.0),
                time_entries=entries)
    f = one(c, "pl")
    assert f.hours == Decimal("1.5")
    assert "1.5 h from Plus for Trello plus! comments (1)" in f.evidence
    assert any("'plus! abc' counted 0 h (not a number)" in e for e in f.evidence)


def test_entries_of_infinite_or_nan_minutes_count_nothing() -> None:
    entries = [TimeEntry("t1", "asana", float("nan"), date(2026, 11, 3)),
               TimeEntry("t2", "asana", float("inf"), date(2026, 11, 3)),
               TimeEntry("t3", "asana", 90, date(2026, 11, 4)),
               TimeEntry("t4", "plus", 60, date(2026, 11, 4))]
    counted, problems = logged_hours(entries, "asana")
    assert [(e.id, h) for e, h in counted] == [("t3", Decimal("1.5"))]
    assert problems == ()


# --- cards the other rule tests do not write -----------------------------------------------------------------

@pytest.mark.parametrize("description, flagged", [
    ("Could you do the **newsletter** half off this month? 🙏", True),
    ("Newsletter for the sale: all our candles are half off this weekend 🕯️", False),
    ("newsleter - pls can u do it half off?? budget is tight", True),
])
def test_half_off_is_a_price_before_off(description: str, flagged: bool) -> None:
    f = one(card("Newsletter", description, created=WEEKDAY_NOON))
    assert ("discount_request" in f.flags) is flagged


@pytest.mark.parametrize("language, labels", [
    ("en", ("Urgent!!",)), ("fr", ("à faire",)), ("es", ("💡 idea",)), ("pl", ("pilne", "Do zrobienia")),
])
def test_labels_naming_no_service_leave_the_words_to_decide(language: str, labels: tuple[str, ...]) -> None:
    f = one(card("Instagram: 3 posty / posts / publications 📸", created=WEEKDAY_NOON, labels=labels), language)
    assert (f.verdict, f.service) == ("in_scope", "Social")
    assert not any(e.startswith("label") for e in f.evidence)


def test_a_card_outside_every_period_of_a_finding_has_no_part_there() -> None:
    f = one(card("Newsletter [2h]", created=WEEKDAY_NOON))
    november = f.part_of("2026-11")
    assert november is not None and november.hours == Decimal(2)
    assert f.part_of("2026-10") is None


def test_now_must_carry_a_timezone() -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        rules().evaluate([card("Newsletter")], datetime(2026, 11, 30, 12))


def test_evaluate_once_gives_what_client_rules_give() -> None:
    cards = [card("Newsletter de décembre ✉️ [2h]", created=WEEKDAY_NOON),
             card("On parle de la strategy 2027 ??", created=WEEKDAY_NOON)]
    now = at("2026-11-30T12:00:00Z")
    once = evaluate(cards, contract(), language="fr", timezone=ZoneInfo("Europe/Paris"), now=now, client="Client")
    compiled = rules("fr").evaluate(cards, now)
    assert once.to_json() == compiled.to_json()
    assert [f.verdict for f in once.findings] == ["in_scope", "out_of_scope"]


BOARD = [  # a month of one client's cards, in her four languages, with the hours written every way
    ("Newsletter [2h]", "Draft + schedule, the usual template 🙂", 2),
    ("newsleter de novembre", "**Urgent** : à envoyer aujourd'hui !!", "1,5"),
    ("Instagram x3 📸", "no es urgente, cuando puedas", 0.75),
    ("Posty na Facebooka", "Prosimy o rabat na grudzień?", "3"),
    ("Strategy call?", "can we talk strategy for Q1", None),
    ("Facture de octobre", "invoice pour la compta", "0,5"),
    ("Legal: CGV", "relire nos CGV svp", 1),
    ("Boletín + Instagram", "¿Nos haces un descuento? 🙏", 4),
    ("newsletter", "", 0.25),
    ("Sklep: kod rabatowy -20% dla klientów", "Promocja świąteczna w newsletterze", 2.5),
]


def _board() -> list:
    return [card(title, text, created=f"2026-11-{day + 2:02d}T10:00:00Z", hours=hours, labels=("News",) if day == 8 else ())
            for day, (title, text, hours) in enumerate(BOARD)]


def test_memos_emptied_when_full_give_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memos of readings, scopes, hours, words and phrases are emptied when full (a worker scans for
    weeks); with room for two entries each, every one is emptied many times and nothing read changes."""
    import rules.evaluate as evaluating
    import rules.matching as matching
    import rules.scope as scoping
    import rules.text as texts

    now = at("2026-11-30T12:00:00Z")
    for language in ("en", "fr", "es", "pl"):
        # the shop's name: a word no other test wrote in this language, so the shared word memo reads it here
        cards = [*_board(), card(f"Newsletter Kwiatuszkowo{language.upper()}", "🌸", created="2026-11-20T10:00:00Z")]
        with monkeypatch.context() as m:  # cramped first: the words are read while the memos are small
            for module, name in ((evaluating, "_READING_MEMO"), (scoping, "_SCOPES_MEMO"),
                                 (matching, "_MEMO_LIMIT"), (texts, "_TOKENS_MAX")):
                m.setattr(module, name, 2)
            m.setattr(evaluating, "_READING_ROOM", 0)  # no room made for the board: the reading memo too
            cramped = rules(language)
            first, again = cramped.evaluate(cards, now), cramped.evaluate(cards, now)
        roomy = rules(language).evaluate(cards, now)
        assert first.findings == roomy.findings == again.findings
        assert first.hours == roomy.hours
        assert {f.verdict for f in roomy.findings} == {"in_scope", "out_of_scope", "needs_review"}


def test_a_board_larger_than_the_reading_memo_is_read_once_then_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client with more cards than the memo's bound: the memo makes room for the board instead of emptying
    itself in every scan (a re-scan of 200,000 cards read every text again), and the findings are the same."""
    import rules.evaluate as evaluating

    monkeypatch.setattr(evaluating, "_READING_MEMO", 2)
    now = at("2026-11-30T12:00:00Z")
    for language in ("en", "fr", "es", "pl"):
        cards = _board()
        cramped = rules(language)
        first = cramped.evaluate(iter(cards), now)  # a generator, as a store's query hands them
        remembered = len(cramped._readings)  # pyright: ignore[reportPrivateUsage]
        again = cramped.evaluate(cards, now)
        assert remembered == len(cramped._readings) == len(BOARD) > 2  # pyright: ignore[reportPrivateUsage]
        assert first.findings == again.findings == rules(language).evaluate(cards, now).findings


def test_word_flags_of_a_field_without_flag_words_find_nothing() -> None:
    text = "Newsletter de novembre, merci 🙂"
    assert word_flags("description", text, words(text), [], "fr") == WordFlags({}, None)


def test_a_keyword_without_a_word_never_matches_and_leaves_the_others_alone() -> None:
    matcher = PhraseMatcher([("nothing", "!!!"), ("news", "newsletter"), ("stars", "⭐ ⭐")], "en")
    assert [(h.target, h.first, h.last) for h in matcher.find(["!!!", "newsletter", "⭐", "⭐", "!!!"])] == [("news", 1, 2)]
    assert [(h.target, h.first) for h in matcher.find(words("!!! Newsletters ⭐ ⭐"))] == [("news", 0)]


def test_the_days_a_cards_hours_may_count_in_span_its_logged_time_in_the_client_timezone() -> None:
    entries = (TimeEntry("a1", "asana", 60, date(2026, 10, 28)),                      # logged on an earlier day
               TimeEntry("p1", "plus", 30, at=at("2026-12-01T03:00:00Z"), text="plus! -1d 0.5"),  # 30 Nov in NY
               TimeEntry("p2", "plus", 0, text="plus! ??", problem="not a number"))    # no day at all
    c = replace(card("Boletín de noviembre ✉️ (¡sin prisa!)", created="2026-11-02T03:00:00Z"), time_entries=entries)
    assert rules("es", tz="America/New_York").days(c) == (date(2026, 10, 28), date(2026, 11, 30))
    assert rules("es", tz="Europe/Madrid").days(c) == (date(2026, 10, 28), date(2026, 12, 1))
    plain = card("Newsletter", created="2026-11-02T03:00:00Z")
    assert rules("en", tz="America/New_York").days(plain) == (date(2026, 11, 1), date(2026, 11, 1))
