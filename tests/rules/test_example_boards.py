"""Hold-out example boards (tests/boards), written like real clients in four languages, scored as a whole."""
from __future__ import annotations

import pytest

from tests.rules.boards import manifest, score


@pytest.fixture(scope="module")
def scores():
    boards = manifest()["boards"]
    return {"all": score(boards), **{b["language"]: score([b]) for b in boards}}


def test_flags_are_found_with_high_f1(scores) -> None:
    total = scores["all"]
    print("\n" + "\n".join(f"{name}: {s.summary()}" for name, s in scores.items()))
    assert total.f1() >= 0.95, (total.summary(), total.misses)
    assert total.f1("discount_request") >= 0.9, (total.summary(), total.misses)
    assert total.f1("urgent_deadline") >= 0.9, (total.summary(), total.misses)


def test_every_language_finds_its_discounts_and_urgency(scores) -> None:
    for language in ("en", "fr", "es", "pl"):
        s = scores[language]
        assert s.f1("discount_request") >= 0.85 and s.f1("urgent_deadline") >= 0.85, (language, s.summary(), s.misses)


def test_out_of_scope_is_never_said_wrongly(scores) -> None:
    total = scores["all"]
    assert total.oos_said >= 12  # the boards hold real out-of-scope requests: the figure is not vacuous
    assert total.oos_precision == 1.0, (total.summary(), total.misses)


def test_no_client_facing_comment_on_cards_that_should_get_none(scores) -> None:
    assert scores["all"].unwanted_comments == []


def test_verdicts_match_the_boards(scores) -> None:
    total = scores["all"]
    assert total.verdicts_right / total.cards >= 0.95, (total.summary(), total.misses)
