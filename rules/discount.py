"""Is a discount word a request to pay the VA less, or the client's own promotion? Read its sentence."""
from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from . import lexicon
from .clauses import FieldText
from .matching import Hit, PhraseMatcher
from .text import words

_AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")
# An amount of money or a percentage just before "off" / "less": "15% off", "$100 off", "20 € de moins".
_AMOUNT_ENDING = re.compile(
    r"(?:\d[\d.,]*\s*(?:%|[$€£]|zł|złotych|pln|eur|euros?|usd|dollars?|bucks|quid|pounds?)|[$€£]\s*\d[\d.,]*)"
    r"\s*(?:de\s+)?$", re.IGNORECASE)
_CURRENCY = re.compile(r"[$€£¥]|\bzł\b|\bpln\b|\beur\b|\busd\b|/\s*h\b", re.IGNORECASE)
_OUR_REACH = 3  # "our" this many words from a discount word makes it the client's own offer
_NEEDS_PRICE = "lower"
_NO_PRICE = "no lower price named"


class Verdict(NamedTuple):
    """A discount cue read in its sentence: whether it asks the VA for a lower price, and why.
    `said` is the client's words; `why` the request's marker ('could you', '?') or why it is none."""

    request: bool
    said: str
    why: str


def cue_entries(language: str) -> list[tuple[str, str]]:
    """(kind, phrase) of the discount cues, for the client's one-pass phrase matcher."""
    return [(f"discount:{kind}", phrase) for kind, table in lexicon.DISCOUNT_CUES.items()
            for phrase in lexicon.for_language(table, language)]


def read(cue: Hit[str], field: FieldText, language: str) -> Verdict:
    """Whether the sentence around a discount cue asks the VA to lower her price."""
    kind = cue.target.partition(":")[2]
    said = field.written(cue.first, cue.last)
    if negation := field.negation_of(cue.first):
        return Verdict(False, said, f"negated ('{field.words[negation.first]}')")
    low, high = field.sentence(cue.first, cue.last)
    sentence = field.text[low:high]
    start, end = field.where(cue.first)[0] - low, field.where(cue.last - 1)[1] - low
    found = _context(language).find(words(sentence))
    kinds = {hit.target for hit in found}
    if kind == _NEEDS_PRICE and not kinds & {"price", "your_price"}:
        return Verdict(False, said, _NO_PRICE)
    if kind == "off" and not _amount_before(field, cue):
        return Verdict(False, said, _NO_PRICE)
    if kind == "instead":
        lower = _lower_amount(sentence[:start], sentence[end:])
        if lower is None or not (kinds & {"price", "your_price"} or _CURRENCY.search(sentence)):
            return Verdict(False, said, _NO_PRICE)
        said = f"{sentence[lower[0]:end + lower[1]].strip()}"
    if "your_price" not in kinds and (promotion := _promotion(found, len(words(sentence[:start])))):
        return Verdict(False, said, f"the client's own offer ({promotion})")
    asked = [h.keyword.lstrip("=") for h in found if h.target in ("request", "your_price")]
    if "?" in sentence or "¿" in sentence:
        asked.append("?")
    if not asked:
        return Verdict(False, said, "not asked of you")
    return Verdict(True, said, asked[0])


def names_price(written: str, language: str) -> bool:
    """True for a word that names what the VA charges ('invoice', 'facturer', 'stawka')."""
    return any(hit.target == "price" for hit in _context(language).find([written]))


def _promotion(found: list[Hit[str]], cue_at: int) -> str | None:
    """What marks the sentence as the client's own offer to their customers, if anything does."""
    for hit in found:
        if hit.target in ("promo", "audience"):
            return f"'{hit.keyword}'"
    # "our candles", "nos bougies": the client's own things; "our bill", "notre forfait" are the VA's.
    priced = {hit.first for hit in found if hit.target in ("price", "engagement")}
    ours = [hit.first for hit in found if hit.target == "our" and hit.first + 1 not in priced]
    for hit in found:
        if hit.target == "customer" and any(0 < hit.first - o <= 2 for o in ours):
            return f"'our {hit.keyword}'"
    if any(abs(cue_at - o) <= _OUR_REACH for o in ours):
        return "'our'"
    return None


def _amount_before(field: FieldText, cue: Hit[str]) -> bool:
    """'15% off', '$100 off', '20 bucks less', 'half off': money or a percentage just before the cue."""
    if cue.first > 0 and field.words[cue.first - 1].casefold() == "half":
        return True
    start = field.where(cue.first)[0]
    if field.words[cue.first].casefold() in ("bucks", "dollars", "euros", "pounds", "quid"):
        return bool(re.search(r"\d\s*$", field.text[max(0, start - 12):start]))
    return bool(_AMOUNT_ENDING.search(field.text[max(0, start - 24):start]))


def _lower_amount(before: str, after: str) -> tuple[int, int] | None:
    """Where 'X instead of Y' starts and ends when X is lower than Y (offsets in before/after)."""
    offered = list(_AMOUNT.finditer(before))
    usual = _AMOUNT.search(after)
    if not offered or usual is None:
        return None
    first, second = (float(m.group().replace(",", ".")) for m in (offered[-1], usual))
    return (offered[-1].start(), usual.end()) if first < second else None


@cache
def _context(language: str) -> PhraseMatcher[str]:
    return PhraseMatcher([(kind, _exact_short(phrase)) for kind, table in lexicon.DISCOUNT_CONTEXT.items()
                          for phrase in lexicon.for_language(table, language)], language)


def _exact_short(phrase: str) -> str:
    """Pronouns and other short words match as written: the lemma of French 'te' is 'le'."""
    return f"={phrase}" if len(phrase.partition(" ")[0]) <= 3 and not phrase.startswith("=") else phrase
