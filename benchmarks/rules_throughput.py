"""Rules throughput: evaluate 100,000 synthetic cards against a 50-keyword contract; prints cards/s.

Run: ./dev bench  (or .venv/bin/python benchmarks/rules_throughput.py --cards 100000 --language en)
Single process, single thread: the figure is per core. Target: >= 20,000 cards/s.
Cards read like real requests: mostly ordinary words, about one word in five from the contract's
vocabulary (so a card mentions a few keywords), one in ten unique (names, numbers).
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from integrations.models import Card
from rules.contract import Contract
from rules.evaluate import ClientRules

WORDS = {
    "en": ["please", "update", "the", "weekly", "newsletter", "post", "blog", "video", "draft", "schedule", "client", "launch", "calendar", "photos", "website", "page", "email", "inbox", "reply", "clients", "invoice", "strategy", "course", "platform", "podcast", "notes", "episode", "template", "design", "planning", "campaign", "report", "spreadsheet", "meeting", "call", "agenda", "follow", "up", "with", "team", "for", "our", "new", "this", "next", "month", "week", "today", "tomorrow", "about", "and", "from", "into", "after", "before", "share"],
    "fr": ["merci", "de", "mettre", "à", "jour", "la", "newsletter", "les", "articles", "réseaux", "sociaux", "publier", "poster", "planifier", "rendez-vous", "agenda", "clients", "factures", "stratégie", "affiches", "logo", "pour", "notre", "nouveau", "mois", "semaine", "prochaine", "avec", "l'équipe", "des", "photos", "du", "site", "page", "courriel", "répondre", "demain", "aujourd'hui", "campagne", "rapport", "réunion", "modèle", "vidéo", "podcast", "notes", "épisode", "sondage", "formulaire", "boutique", "commandes", "budget"],
    "es": ["por", "favor", "actualizar", "el", "boletín", "las", "publicaciones", "redes", "sociales", "correo", "bandeja", "de", "entrada", "facturas", "estrategia", "clientes", "calendario", "fotos", "para", "nuestro", "nuevo", "mes", "semana", "próxima", "con", "el", "equipo", "del", "sitio", "página", "responder", "mañana", "hoy", "campaña", "informe", "reunión", "diseño", "plantilla", "vídeo", "podcast", "notas", "episodio", "encuesta", "formulario", "presupuesto", "pedidos", "envíos", "tienda", "blog", "artículo"],
    "pl": ["proszę", "zaktualizować", "newsletter", "posty", "na", "facebooku", "kalendarz", "zajęć", "grafik", "faktury", "strategia", "klientów", "zdjęcia", "dla", "naszego", "nowego", "miesiąca", "tygodnia", "następnego", "z", "zespołem", "strony", "odpowiedzieć", "jutro", "dzisiaj", "kampanię", "raport", "spotkanie", "platformę", "kursów", "projekt", "szablon", "wideo", "podcast", "notatki", "odcinek", "ankieta", "formularz", "budżet", "zamówienia", "sklep", "blog", "artykuł", "wysyłka", "reklama", "baner", "ulotka", "prezentacja", "umowa", "oferta"],
}


FILLER = {
    "en": ["could", "you", "we", "need", "a", "the", "to", "of", "and", "in", "on", "at", "by", "it", "is", "are", "be", "have", "this", "that", "these", "those", "some", "any", "all", "when", "where", "which", "who", "what", "how", "can", "will", "would", "should", "just", "also", "only", "more", "less", "very", "so"],
    "fr": ["pouvez", "vous", "nous", "avons", "besoin", "un", "une", "le", "la", "les", "de", "du", "des", "et", "en", "sur", "au", "par", "il", "est", "sont", "être", "avoir", "ce", "cette", "ces", "quelques", "tout", "quand", "où", "qui", "quoi", "comment", "peut", "sera", "devrait", "juste", "aussi", "plus", "très"],
    "es": ["puedes", "podemos", "necesitamos", "un", "una", "el", "la", "los", "las", "de", "del", "y", "en", "sobre", "al", "por", "es", "son", "ser", "tener", "este", "esta", "estos", "algunos", "todo", "cuando", "donde", "quien", "qué", "cómo", "puede", "será", "debería", "solo", "también", "más", "muy"],
    "pl": ["czy", "możesz", "musimy", "potrzebujemy", "i", "w", "na", "do", "z", "od", "przez", "jest", "są", "być", "mieć", "ten", "ta", "te", "to", "jakieś", "wszystko", "kiedy", "gdzie", "kto", "co", "jak", "może", "będzie", "powinien", "tylko", "także", "więcej", "bardzo", "już", "jeszcze"],
}


def contract(language: str) -> Contract:
    """A contract with 10 services and 5 out-of-scope categories, 50 keywords in all."""
    vocabulary = WORDS[language]
    assert len(vocabulary) >= 50, f"{language}: the vocabulary needs 50 words for 50 keywords"
    keywords = [f"{w} {vocabulary[(i * 7) % len(vocabulary)]}" if i % 5 == 0 else w
                for i, w in enumerate(vocabulary[:50])]
    services = [{"name": f"Service {i}", "keywords": keywords[i * 3:(i + 1) * 3]} for i in range(10)]
    categories = [{"name": f"Category {i}", "keywords": keywords[30 + i * 4:30 + (i + 1) * 4],
                   "response": "consultation"} for i in range(5)]
    return Contract.model_validate({
        "hours": 40, "overage_rate": 50, "currency": "EUR", "consultation_url": "https://book.example/x",
        "services": services, "out_of_scope": categories})


def cards(count: int, language: str, seed: int = 7) -> list[Card]:
    """Cards whose titles and descriptions mix the vocabulary with unique words (names, numbers)."""
    rng = random.Random(seed)
    vocabulary, filler = WORDS[language], FILLER[language]
    start = datetime(2026, 11, 1, tzinfo=UTC)

    def word() -> str:
        roll = rng.random()
        if roll < 0.2:
            return rng.choice(vocabulary)
        return f"item{rng.randrange(10**6)}" if roll < 0.3 else rng.choice(filler)

    def words(n: int) -> str:
        return " ".join(word() for _ in range(n))

    return [Card(id=f"{i:024x}", title=words(rng.randint(2, 8)).capitalize(),
                 description=words(rng.randint(0, 25)) if rng.random() > 0.2 else "",
                 created_at=start + timedelta(minutes=7 * i % 40_000),
                 custom_fields={"Hours": rng.choice([None, 0.5, 1, 1.5, 2, 3])},
                 due=start + timedelta(hours=rng.randint(1, 200)) if rng.random() > 0.7 else None)
            for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--language", choices=[*sorted(WORDS), "all"], default="all")
    args = parser.parse_args()
    languages = sorted(WORDS) if args.language == "all" else [args.language]
    print(f"{'language':<9}{'cards':>9}{'first scan':>12}{'re-scan':>10}  cards/s, 50 keywords, target >= 20,000")
    for language in languages:
        batch = cards(args.cards, language)
        rules = ClientRules(contract(language), language=language, timezone=ZoneInfo("Europe/Warsaw"))
        # The first scan meets every word for the first time; the worker's later scans see the
        # same cards again, with the per-word analysis already cached.
        first, again = (_rate(rules, batch) for _ in range(2))
        print(f"{language:<9}{args.cards:>9,}{first:>12,.0f}{again:>10,.0f}")


def _rate(rules: ClientRules, batch: list[Card]) -> float:
    began = time.perf_counter()
    result = rules.evaluate(batch, datetime(2026, 12, 31, tzinfo=UTC))
    elapsed = time.perf_counter() - began
    assert len(result.findings) == len(batch)
    return len(batch) / elapsed


if __name__ == "__main__":
    main()
