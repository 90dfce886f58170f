"""The flag rules' explanations (why a discount word is or is not a request, why a keyword is not
counted) reach the VA's report in her language, not in the rules' English."""
from __future__ import annotations

import pytest

from scheduler.reports.evidence import translate
from scheduler.reports.i18n import Texts
from tests.rules.support import card, one

WEEKDAY_NOON = "2026-11-10T11:00:00Z"
CARDS = [  # (title, description): each gives one of the new evidence shapes
    ("Rate question", "Could you do January at $35 instead of $45?"),
    ("Instagram posts for the sale", "Black Friday: announce a 30% discount on all memberships"),
    ("Discount", "x"),
    ("Weekly newsletter", "No strategy work needed, just the newsletter."),
    ("Nov invoice", "Any wiggle room on the November invoice?"),
]
ENGLISH = ("asked of you", "not a discount request", "own offer", "not counted", "negated", "your bill", "' in ")


@pytest.mark.parametrize("language", ["fr", "es", "pl"])
def test_new_evidence_lines_are_translated(language: str) -> None:
    lines = [e for title, text in CARDS for e in one(card(title, text, created=WEEKDAY_NOON)).evidence]
    new = [e for e in lines if any(word in e for word in ENGLISH[:6])]
    assert len(new) >= 5  # every shape is there to translate
    for line in new:
        shown = translate(line, Texts(language))
        assert not [word for word in ENGLISH if word in shown], (line, shown)


def test_english_reports_word_them_for_the_va() -> None:
    lines = one(card("Instagram posts for the sale", "Black Friday: announce a 30% discount on all memberships",
                     created=WEEKDAY_NOON)).evidence
    shown = [translate(e, Texts("en")) for e in lines]
    assert "not a discount request: “discount” in the description: the client's own offer (“black friday”)" in shown


@pytest.mark.parametrize("language", ["fr", "es", "pl"])
def test_an_inflected_keyword_match_is_translated_whole(language: str) -> None:
    shown = translate("keyword 'factura' matched 'facturas' in title", Texts(language))
    assert "matched" not in shown and "factura" in shown and "facturas" in shown, shown
