"""Words that signal a discount request or a demand for immediate work, per language.

Phrases are written in dictionary form; matching handles case, accents and inflection.
A client's own language is used together with English, the lingua franca of "ASAP".
"""
from __future__ import annotations

DISCOUNT: dict[str, tuple[str, ...]] = {
    "en": ("discount", "cheaper", "lower price", "lower the price", "lower rate", "lower your rate",
           "reduce the price", "reduce your rate", "reduced rate", "price reduction", "half price",
           "better price", "better rate", "special price", "special rate", "mates rates", "cut your rate",
           "knock off"),
    "fr": ("réduction", "remise", "rabais", "ristourne", "moins cher", "petit prix", "prix d'ami",
           "geste commercial", "baisser le prix", "baisser vos tarifs", "tarif réduit", "meilleur prix",
           "prix réduit", "prix spécial"),
    "es": ("descuento", "rebaja", "rebajar", "más barato", "precio más bajo", "mejor precio",
           "precio especial", "bajar el precio", "tarifa reducida", "precio reducido"),
    "pl": ("zniżka", "rabat", "upust", "taniej", "obniżka", "obniżyć cenę", "obniżyć stawkę",
           "niższa cena", "niższa stawka", "lepsza cena", "specjalna cena", "tańszy"),
}

# Discount words that are about the client's own shop, not the VA's price.
DISCOUNT_EXCEPTIONS: dict[str, tuple[str, ...]] = {
    "en": ("discount code", "promo code", "coupon", "coupon code", "discount codes"),
    "fr": ("code promo", "code de réduction", "bon de réduction", "coupon"),
    "es": ("código de descuento", "código promocional", "cupón", "cupón de descuento"),
    "pl": ("kod rabatowy", "kod zniżkowy", "kod promocyjny", "kupon"),
}

URGENT: dict[str, tuple[str, ...]] = {
    "en": ("asap", "a s a p", "urgent", "urgently", "urgency", "emergency", "immediately", "right away",
           "right now", "straight away", "as soon as possible", "rush", "end of day", "eod", "by tonight",
           "by today", "top priority"),
    "fr": ("urgent", "urgence", "urgemment", "au plus vite", "au plus tôt", "dès que possible",
           "immédiatement", "tout de suite", "sans délai", "aujourd'hui même", "dans la journée"),
    "es": ("urgente", "urgencia", "urgentemente", "cuanto antes", "lo antes posible",
           "lo más pronto posible", "inmediatamente", "de inmediato", "enseguida", "ya mismo",
           "sin demora", "para hoy"),
    "pl": ("pilny", "pilnie", "pilne", "na cito", "natychmiast", "jak najszybciej", "niezwłocznie",
           "od razu", "na już", "na dziś", "na dzisiaj", "w trybie pilnym", "asap"),
}

# A flag word right after one of these is negated: "not urgent", "pas urgent", "nie pilne".
NEGATIONS = frozenset({"not", "no", "non", "pas", "nie", "sin", "never", "jamais", "nunca", "nigdy",
                       "without", "sans", "bez", "ni"})


def for_language(table: dict[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    """The phrases of the client's language, then the English ones."""
    phrases = table[language] + (table["en"] if language != "en" else ())
    return tuple(dict.fromkeys(phrases))
