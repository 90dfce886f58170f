"""Retainer arithmetic (rules.retainer): rollover, caps, expiry, grace and billing increments."""
from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.retainer import Share, Terms, overage, round_up, settle

D = Decimal
HOURS = st.decimals(min_value=0, max_value=120, places=2)
TERMS = st.builds(
    Terms,
    contracted=st.decimals(min_value=1, max_value=80, places=1),
    rollover=st.sampled_from(["none", "unused", "overrun", "both"]),
    cap=st.none() | st.decimals(min_value=0, max_value=60, places=1),
    expires_after=st.integers(1, 4),
    grace=st.decimals(min_value=0, max_value=5, places=1),
    increment_minutes=st.sampled_from([0, 6, 15, 30]),
)


def test_productive_examples_reproduce_exactly():
    # 40 contracted, 30 used -> 50 next month; 60 used of those 50 -> 30 the month after.
    balances = settle(Terms(D(40), "both"), [D(30), D(60), D(0)])
    assert [b.available for b in balances] == [D(40), D(50), D(30)]
    assert [b.carried_in for b in balances] == [D(0), D(10), D(-10)]
    assert balances[1].share == Share(owed=D(10))  # not billed: it comes out of the third month
    assert balances[2].used == 0 and balances[2].unused == D(30)


def test_unused_only_bills_the_overrun_and_overrun_only_forgets_unused_hours():
    unused = settle(Terms(D(40), "unused"), [D(30), D(60)])
    assert unused[1].available == D(50) and unused[1].share.billed == D(10) and unused[1].share.owed == 0
    overrun = settle(Terms(D(40), "overrun"), [D(30), D(60), D(0)])
    assert [b.available for b in overrun] == [D(40), D(40), D(20)]
    assert overrun[1].forfeited == D(10)


def test_carried_hours_are_used_oldest_first_and_expire():
    terms = Terms(D(10), "unused", expires_after=2)
    balances = settle(terms, [D(4), D(0), D(0), D(0)])
    # 6 unused in period 0 live through periods 1 and 2; period 1's own 10 through 2 and 3.
    assert [b.carried_in for b in balances] == [D(0), D(6), D(16), D(20)]
    assert balances[3].forfeited == D(6)


def test_cap_limits_what_enters_one_period():
    balances = settle(Terms(D(20), "unused", cap=D(5), expires_after=3), [D(0), D(0), D(30)])
    assert [b.carried_in for b in balances] == [D(0), D(5), D(5)]
    assert balances[2].share.billed == D(5)


def test_grace_forgives_then_increment_rounds_up_per_period():
    terms = Terms(D(10), grace=D("0.5"), increment_minutes=15)
    assert settle(terms, [D("10.4")])[0].share == Share(graced=D("0.4"))
    share = settle(terms, [D("10.6")])[0].share
    assert (share.billed_exact, share.billed, share.graced) == (D("0.1"), D("0.25"), D("0.5"))
    assert round_up(D("0.05"), 6) == D("0.1") and round_up(D("0.1"), 6) == D("0.1") and round_up(D(1), 0) == 1


def test_an_overrun_larger_than_a_period_is_billed_past_one_period_of_hours():
    balances = settle(Terms(D(10), "overrun"), [D(35), D(0)])
    assert balances[0].share == Share(owed=D(10), billed=D(15), billed_exact=D(15))
    assert balances[1].available == 0


@settings(max_examples=300, deadline=None)
@given(TERMS, st.lists(HOURS, min_size=1, max_size=14))
def test_hours_are_conserved_across_periods(terms, used):
    balances = settle(terms, used)
    supplied = terms.contracted * len(used)
    accounted = (sum(b.used for b in balances) + sum(b.forfeited for b in balances) + balances[-1].unused
                 - sum(b.share.graced + b.share.billed_exact for b in balances) - balances[-1].share.owed)
    assert supplied == accounted
    for before, after in pairwise(balances):
        # What one period owes is what the next one starts short of.
        assert after.available == after.contracted + after.carried_in
        assert after.carried_in == (before.unused - after.forfeited if terms.carries_unused else 0) - before.share.owed


@settings(max_examples=300, deadline=None)
@given(TERMS, st.lists(HOURS, min_size=1, max_size=14))
def test_carried_hours_never_exceed_the_cap_nor_outlive_their_expiry(terms, used):
    balances = settle(terms, used)
    for b in balances:
        carried = b.carried_in + (balances[b.index - 1].share.owed if b.index else 0)
        assert carried >= 0
        if terms.cap is not None:
            assert carried <= terms.cap
        if not terms.carries_unused:
            assert carried == 0
        assert all(b.index - origin <= terms.expires_after for origin, _ in b.lots if origin < b.index)
        assert all(h > 0 for _, h in b.lots)


@settings(max_examples=300, deadline=None)
@given(TERMS, st.lists(HOURS, min_size=1, max_size=8))
def test_rounding_and_grace_are_per_period(terms, used):
    for b in settle(terms, used):
        share = b.share
        assert share.graced <= terms.grace and share.owed <= terms.contracted
        if terms.increment_minutes:
            steps = share.billed * 60 / terms.increment_minutes
            assert steps == steps.to_integral_value()
            assert share.billed_exact <= share.billed < share.billed_exact + D(terms.increment_minutes) / 60
        else:
            assert share.billed == share.billed_exact
        past = max(b.used - b.available, D(0))
        assert share.graced + share.owed + share.billed_exact == past


@settings(max_examples=300, deadline=None)
@given(TERMS, st.decimals(min_value=-20, max_value=80, places=1), st.lists(HOURS, min_size=1, max_size=10))
def test_card_shares_add_up_to_the_period_and_never_change_with_later_cards(terms, available, pieces):
    available = max(available, D(0))
    before, total = D(0), Share()
    firsts = []
    for hours in pieces:
        share = overage(terms, available, before, hours)
        assert share.owed + share.billed_exact + share.graced <= hours
        assert min(share.owed, share.billed, share.graced) >= 0
        firsts.append(share)
        before += hours
        total = Share(total.owed + share.owed, total.billed + share.billed, total.billed_exact + share.billed_exact,
                      total.graced + share.graced)
    assert total == overage(terms, available, D(0), sum(pieces, D(0)))
    # Adding a card later leaves the earlier cards' shares alone.
    again = [overage(terms, available, sum(pieces[:i], D(0)), h) for i, h in enumerate(pieces)]
    assert again == firsts


@pytest.mark.parametrize("used", [[D(0)], [D(5), D(25)], [D(12), D(3), D(40)]])
def test_none_has_nothing_carried(used):
    for b in settle(Terms(D(10)), used):
        assert b.carried_in == 0 and b.available == 10 and b.share.billed == max(b.used - 10, 0)
