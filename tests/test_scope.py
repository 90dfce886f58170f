"""Scope precedence: a label decides; out-of-scope beats service; otherwise review."""
from __future__ import annotations

from rules_support import card, one


def test_service_keyword_makes_the_card_in_scope_with_evidence() -> None:
    f = one(card("Send the weekly newsletter"))
    assert (f.verdict, f.service, f.category, f.response) == ("in_scope", "Newsletter", None, "none")
    assert "keyword 'newsletter' in title" in f.evidence


def test_out_of_scope_keyword_beats_a_service_keyword() -> None:
    f = one(card("Instagram strategy for 2027"))
    assert (f.verdict, f.category, f.response) == ("out_of_scope", "Strategy", "consultation")
    assert any("also matched service 'Social'" in e for e in f.evidence)


def test_keyword_in_the_description_counts() -> None:
    f = one(card("Quick one", "Could you chase the unpaid invoices?"))
    assert (f.category, f.response) == ("Bookkeeping", "referral")
    assert "keyword 'invoice' matched 'invoices' in description" in f.evidence


def test_a_label_decides_over_keywords() -> None:
    f = one(card("Instagram strategy", labels=("News",)))
    assert (f.verdict, f.service) == ("in_scope", "Newsletter")
    assert f.evidence[0] == "label 'News'"


def test_a_label_naming_the_service_matches_case_insensitively() -> None:
    assert one(card("Misc work", labels=("social",))).service == "Social"


def test_category_label_wins_over_service_label() -> None:
    f = one(card("Newsletter", labels=("News", "Lawyer")))
    assert (f.verdict, f.category, f.response) == ("out_of_scope", "Legal", "decline")


def test_no_match_needs_review_and_posts_nothing() -> None:
    f = one(card("Podcast show notes", "Episodes 12 and 13."))
    assert (f.verdict, f.response, f.comment) == ("needs_review", "none", None)
    assert f.evidence == ("no service, category or label matched",)


def test_first_service_in_the_title_wins_when_several_match() -> None:
    assert one(card("Facebook post about the newsletter")).service == "Social"
    assert one(card("Newsletter and a facebook post")).service == "Newsletter"
