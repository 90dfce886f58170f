"""Red flags in four languages: discount, urgency, after hours, vagueness, rescheduling."""
from __future__ import annotations

import pytest

from tests.rules.support import card, one

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
    # the words counted are the title's as written, without its tag: a link's words count, the tag's do not
    ("Do it [2h] now", "", True), ("See https://drive.example.com/brief now", "", False),
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


@pytest.mark.parametrize("language, title, description", [
    ("en", "Could you do January at $35 instead of $45?", ""),
    ("en", "Any chance of 15% off this month?", ""),
    ("en", "Newsletter", "Is there any way you could lower your hourly rate a bit for Q1? money's tight"),
    ("en", "Rate question", "Would you consider a preferential rate since we've been with you 2 years?"),
    ("en", "quick q", "could you knock $100 off this month's bill?"),
    ("en", "Quick one", "could u do the newsletter for 20 bucks less this month"),
    ("fr", "Pourriez-vous baisser un peu votre tarif horaire ?", ""),
    ("fr", "Question tarif", "On pourrait passer à 35 € de l'heure au lieu de 40 € ?"),
    ("fr", "Devis", "Vous nous feriez un prix d'ami pour le lancement ? 🙏"),
    ("fr", "Janvier", "Serait-il possible de les facturer un peu moins cher ?"),
    ("es", "¿Podrías bajarnos un poco la tarifa este mes?", ""),
    ("es", "Presupuesto", "¿Podemos dejarlo en 25 € la hora en vez de 30 €?"),
    ("es", "Consulta", "Somos clientes desde hace 3 años, ¿habría alguna tarifa preferente para nosotros?"),
    ("es", "Enero", "Este mes vamos justos... ¿te parece cobrarnos un poco menos?"),
    ("pl", "Czy możemy obniżyć stawkę na styczeń?", ""),
    ("pl", "Pytanie o stawkę", "Może 90 zł za godzinę zamiast 110 zł? Mamy słaby miesiąc 😕"),
    ("pl", "Newsletter", "Czy mogłabyś policzyć ten miesiąc trochę taniej? 🙏"),
    ("pl", "Wycena", "Trochę drogo wyszło, da się coś z tym zrobić? 😅"),
])
def test_price_lowering_requests_in_their_common_shapes(language: str, title: str, description: str) -> None:
    f = one(card(title, description, created=WEEKDAY_NOON), language)
    assert "discount_request" in f.flags
    assert any(e.startswith("discount_request: ") and "asked of you ('" in e for e in f.evidence)


@pytest.mark.parametrize("language, title, description", [
    ("en", "Instagram posts for the sale", "Black Friday: announce a 30% discount on all memberships 🎉"),
    ("en", "Facebook post - 20% off our candles this weekend", "Photos are in the shared folder."),
    ("en", "Blog post about our spring discount for new students", "Could you draft it?"),
    ("en", "Newsletter", "Give our list 10% off with code FAMILY10 📧"),
    ("fr", "Post Instagram Black Friday", "Annoncer une réduction de 20 % sur les bougies, code BLACK20"),
    ("fr", "Newsletter : offre de Noël", "Pouvez-vous mettre en avant notre remise de 15 % pour les abonnées ?"),
    ("es", "Publicación de Instagram: rebajas de enero", "Anunciar un 40% de descuento en toda la tienda 🛍️"),
    ("es", "Redes sociales", "¿Puedes publicar la promo? 15% de descuento para nuestras clientas"),
    ("pl", "Post na Instagram - Black Friday", "Ogłosić rabat 25% na kubki 🎉 kod: LIPA25"),
    ("pl", "Newsletter: wyprzedaż", "Czy możesz napisać o zniżce -30% na całą kolekcję dla naszych klientek?"),
])
def test_the_clients_own_promotions_are_never_discount_requests(language: str, title: str, description: str) -> None:
    f = one(card(title, description, created=WEEKDAY_NOON), language)
    assert "discount_request" not in f.flags
    assert not any(kind == "discount" for kind, _ in f.messages)
    assert any(e.startswith("not a discount request: ") and "own offer" in e for e in f.evidence)


@pytest.mark.parametrize("language, text", [
    ("en", "Is $40/h still your rate for next year? Just budgeting."),  # a price question, nothing lowered
    ("en", "We don't need a discount, just the usual invoice."),
    ("en", "Discount"),                                            # a bare word asks for nothing: the VA reviews
    ("en", "Can you do 2 posts instead of 3 this week?"),          # fewer posts, not a lower price
    ("en", "Please cut the intro of the video"),                   # a verb that lowers, but no price
    ("fr", "Vos tarifs augmentent en janvier ? Merci de me dire."),
    ("es", "¿Cuál será tu tarifa para 2027? Es para el presupuesto."),
    ("pl", "Czy stawka zmienia się od stycznia? Pytam do budżetu."),
    ("pl", "Nie potrzebujemy rabatu, tylko faktury."),
])
def test_price_talk_that_asks_for_no_lower_price_is_not_a_discount_request(language: str, text: str) -> None:
    assert "discount_request" not in one(card("Question", text, created=WEEKDAY_NOON), language).flags


def test_a_billing_word_inside_a_discount_request_is_not_a_bookkeeping_request() -> None:
    f = one(card("Quick q", "Could you knock $100 off the November invoice?", created=WEEKDAY_NOON))
    assert "discount_request" in f.flags and f.verdict == "needs_review"
    assert "keyword 'invoice' in description not counted: your bill, in a discount request" in f.evidence
    assert one(card("Chase the November invoice", "x", created=WEEKDAY_NOON)).category == "Bookkeeping"


@pytest.mark.parametrize("language, text", [
    ("en", "This isn't urgent."), ("en", "this is not at all urgent"), ("en", "Nothing urgent, next week is fine."),
    ("en", "It's not super urgent tbh"), ("en", "hey! no rush on this"), ("en", "Not time sensitive."),
    ("fr", "Rien de vraiment urgent."), ("fr", "Pas du tout urgent 😊"), ("fr", "Aucune urgence, fin du mois"),
    ("es", "No es nada urgente, cuando puedas."), ("es", "No corre ninguna prisa"), ("es", "Nada urgente"),
    ("pl", "To nic pilnego."), ("pl", "nie jest to pilne"), ("pl", "Bez pośpiechu, na przyszły miesiąc"),
])
def test_a_negation_anywhere_before_it_in_its_clause_cancels_urgency(language: str, text: str) -> None:
    assert "urgent_deadline" not in one(card("Update", text, created=WEEKDAY_NOON), language).flags


@pytest.mark.parametrize("language, text", [
    ("en", "Please don't forget, this is urgent"),         # the negation is about forgetting, in another clause
    ("en", "Not the newsletter - the Facebook post, ASAP"),
    ("en", "No, this one is urgent!"),
    ("fr", "Ce n'est pas pour demain mais c'est urgent"),
    ("es", "No olvides que es urgente"),
    ("es", "Hay que hacerlo sin demora"),                   # a negation word inside an urgency phrase
    ("pl", "Nie zapomnij, to pilne"),
])
def test_a_negation_in_another_clause_or_phrase_leaves_urgency(language: str, text: str) -> None:
    assert "urgent_deadline" in one(card("Update", text, created=WEEKDAY_NOON), language).flags


@pytest.mark.parametrize("language, text", [
    ("en", "I needed this yesterday honestly 🙈"), ("en", "Drop everything - the giveaway post has the wrong date"),
    ("en", "Stop what you're doing and fix the blog"), ("en", "This is for yesterday"),
    ("fr", "Publication Instagram pour hier 😬"), ("fr", "Toutes affaires cessantes, retirer le post"),
    ("es", "Correo a proveedores para ayer"), ("es", "Deja todo lo demás, esto es prioridad máxima"),
    ("pl", "Post na fb na wczoraj 🙈"), ("pl", "Rzuć wszystko, strona sklepu nie działa!!"),
])
def test_idioms_that_demand_immediate_work_are_urgent(language: str, text: str) -> None:
    f = one(card("Update", text, created=WEEKDAY_NOON), language)
    assert "urgent_deadline" in f.flags
    assert any(e.startswith("urgent_deadline: '") for e in f.evidence)


def test_yesterdays_event_is_not_for_yesterday() -> None:
    assert "urgent_deadline" not in one(card("Recap post for yesterday's workshop", "x", created=WEEKDAY_NOON)).flags


def test_the_vas_invoice_named_in_the_title_of_a_discount_request_is_not_bookkeeping() -> None:
    f = one(card("Nov invoice", "Hey! Any wiggle room on the November invoice? Things have been slow", created=WEEKDAY_NOON))
    assert (f.flags[0], f.verdict) == ("discount_request", "needs_review")
    assert [kind for kind, _ in f.messages] == ["discount"]
    assert "keyword 'invoice' in title not counted: your bill, in a discount request" in f.evidence
