"""Red flags in four languages: discount, urgency, after hours, vagueness, rescheduling."""
from __future__ import annotations

import pytest

from rules_support import card, one

WEEKDAY_NOON = "2026-11-10T11:00:00Z"  # Tuesday 12:00 in Paris


@pytest.mark.parametrize("language, title, description", [
    ("en", "Can you give me a discount next month?", ""),
    ("en", "Newsletter", "Could you do it a bit cheaper?"),
    ("en", "Rates", "Any chance of a lower rate for 2027?"),
    ("fr", "Peux-tu me faire une réduction ?", ""),
    ("fr", "Newsletter", "Un petit prix ce mois-ci ?"),
    ("fr", "Question", "Une remise serait possible ?"),
    ("es", "¿Puedes hacerme un precio más barato?", ""),
    ("es", "Boletín", "¿Nos haces un descuento?"),
    ("es", "Consulta", "¿Hay alguna rebaja para clientes fieles?"),
    ("pl", "Czy mogę prosić o zniżkę?", ""),
    ("pl", "Newsletter", "Czy da się taniej?"),
    ("pl", "Pytanie", "Prosimy o rabat na grudzień"),
    ("pl", "Pytanie", "Any discount for us?"),               # English works for every client
])
def test_discount_requests_are_flagged(language: str, title: str, description: str) -> None:
    f = one(card(title, description, created=WEEKDAY_NOON), language)
    assert "discount_request" in f.flags
    assert f.comment  # the polite refusal is the one flag that reaches the client


@pytest.mark.parametrize("language, title, description", [
    ("en", "Set up discount codes for Black Friday", ""),
    ("en", "Holiday offers", "Holiday offers and the gift guide."),
    ("fr", "Créer un code promo pour Noël", ""),
    ("es", "Con las ofertas de diciembre", ""),
    ("es", "Crear un código de descuento", ""),
    ("pl", "Promocja świąteczna w newsletterze", ""),
    ("pl", "Dodać kod rabatowy do sklepu", ""),
])
def test_shop_promotions_are_not_discount_requests(language: str, title: str, description: str) -> None:
    assert "discount_request" not in one(card(title, description, created=WEEKDAY_NOON), language).flags


@pytest.mark.parametrize("language, text", [
    ("en", "Instagram posts ASAP"), ("en", "Need this right away"), ("en", "Urgent: fix the form"),
    ("en", "Please do it as soon as possible"),
    ("fr", "Post Facebook URGENT"), ("fr", "À publier au plus vite"), ("fr", "Il faut le faire tout de suite"),
    ("es", "Responder correos urgentes"), ("es", "Hay que hacerlo cuanto antes"), ("es", "Lo necesito de inmediato"),
    ("pl", "PILNE: post o odwołanych zajęciach"), ("pl", "Proszę zrobić jak najszybciej"), ("pl", "Potrzebne na cito"),
])
def test_demands_for_immediate_work_are_urgent(language: str, text: str) -> None:
    f = one(card(text, "Details inside.", created=WEEKDAY_NOON), language)
    assert "urgent_deadline" in f.flags


@pytest.mark.parametrize("language, text", [
    ("en", "Not urgent: tidy the drive"), ("en", "No rush on this one"),
    ("fr", "Ce n'est pas urgent"), ("es", "No es urgente"), ("pl", "Nie pilne, na przyszły tydzień"),
])
def test_negated_urgency_is_not_a_flag(language: str, text: str) -> None:
    assert "urgent_deadline" not in one(card(text, "Details inside.", created=WEEKDAY_NOON), language).flags


def test_due_sooner_than_the_notice_is_urgent_and_later_is_not() -> None:
    assert "urgent_deadline" in one(card("newsletter", "x", created=WEEKDAY_NOON, due="2026-11-10T20:00:00Z")).flags
    assert "urgent_deadline" not in one(card("newsletter", "x", created=WEEKDAY_NOON, due="2026-11-11T11:00:00Z")).flags
    assert "urgent_deadline" in one(card("newsletter", "x", created=WEEKDAY_NOON, due="2026-11-09T11:00:00Z")).flags


@pytest.mark.parametrize("created, after_hours", [
    ("2026-11-10T07:59:00Z", True),    # 08:59 Paris
    ("2026-11-10T08:00:00Z", False),   # 09:00 Paris: the start is inside
    ("2026-11-10T15:59:00Z", False),   # 16:59 Paris
    ("2026-11-10T16:00:00Z", True),    # 17:00 Paris: the end is outside
    ("2026-11-14T11:00:00Z", True),    # Saturday
    ("2026-10-23T07:30:00Z", False),   # Friday 09:30 Paris (UTC+2, before the DST change)
    ("2026-10-26T07:30:00Z", True),    # Monday 08:30 Paris (UTC+1, after it)
])
def test_after_hours_in_the_client_timezone(created: str, after_hours: bool) -> None:
    assert ("after_hours" in one(card("newsletter", "x", created=created)).flags) is after_hours


def test_business_days_and_hours_come_from_the_contract() -> None:
    saturday = card("newsletter", "x", created="2026-11-14T11:00:00Z")
    assert "after_hours" not in one(saturday, business_hours={"days": ["sat"], "start": "10:00", "end": "14:00"}).flags


@pytest.mark.parametrize("title, description, vague", [
    ("Misc", "", True), ("Fix the thing", "", True), ("Fix the thing now", "", False),
    ("Misc", "Call the printer about the flyers.", False), ("Stuff [2h]", "", True), ("Misc", "   ", True),
])
def test_vague_requests(title: str, description: str, vague: bool) -> None:
    assert ("vague_request" in one(card(title, description, created=WEEKDAY_NOON)).flags) is vague


def test_rescheduled_after_two_due_date_changes() -> None:
    assert "rescheduled" not in one(card("newsletter", "x", created=WEEKDAY_NOON, due_changes=1)).flags
    assert "rescheduled" in one(card("newsletter", "x", created=WEEKDAY_NOON, due_changes=2)).flags


def test_flags_keep_a_fixed_order_and_each_has_evidence() -> None:
    f = one(card("Misc ASAP", "", created="2026-11-14T11:00:00Z", due_changes=3))
    assert f.flags == ("urgent_deadline", "after_hours", "vague_request", "rescheduled")
    assert sum(e.startswith(tuple(f.flags)) for e in f.evidence) == 4
