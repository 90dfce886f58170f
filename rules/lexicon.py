"""The words behind the flags, per language: what a discount request, a demand for haste, a
negation and a client's own promotion sound like.

Phrases are written in dictionary form; matching handles case, accents and inflection.
A client's own language is used together with English, the lingua franca of "ASAP".
"""
from __future__ import annotations

# Words that may start a discount request; rules.discount decides from the sentence around them.
# "discount": a reduction by name; "cheaper": a lower price by name; "special": a favour on the price;
# "lower": a verb that needs a price noun beside it; "instead": "X instead of Y" with two amounts;
# "off": "15% off", "$100 off", "20 € de moins"; "less": paying or charging less; "pricey": the price is
# too high (a request only when something is asked).
DISCOUNT_CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "discount": {
        "en": ("discount", "reduction", "rebate", "price cut", "price reduction", "price break", "price freeze",
               "rate freeze", "skip the increase", "without the increase", "no increase"),
        "fr": ("réduction", "remise", "rabais", "ristourne", "geste commercial", "petit geste", "baisse de prix",
               "baisse de tarif", "sans augmentation", "pas d'augmentation"),
        "es": ("descuento", "descuentito", "rebaja", "rebajita", "bajada de precio", "hacer precio",
               "hacer un precio", "sin subida", "sin aumento"),
        "pl": ("zniżka", "zniżeczka", "rabat", "rabacik", "upust", "obniżka", "bonifikata", "opust", "bez podwyżki"),
    },
    "cheaper": {
        "en": ("cheaper", "less expensive", "half price", "lower price", "lower rate", "reduced rate", "reduced price",
               "smaller amount", "lower amount", "smaller invoice", "smaller bill"),
        "fr": ("moins cher", "moins chère", "moins élevé", "tarif réduit", "prix réduit", "petit prix", "demi-tarif",
               "moitié prix", "montant plus bas", "montant moindre", "facture moins élevée"),
        "es": ("más barato", "más barata", "más económico", "más económica", "precio más bajo", "tarifa más baja",
               "tarifa reducida", "precio reducido", "mitad de precio", "importe menor", "menor importe",
               "cantidad menor"),
        "pl": ("taniej", "tańszy", "tańsza", "tańsze", "niższa cena", "niższa stawka", "mniejsza stawka",
               "połowa ceny", "pół ceny", "mniejsza kwota", "niższa kwota", "mniejsza faktura"),
    },
    "special": {
        "en": ("preferential rate", "preferential price", "special rate", "special price", "better rate",
               "better price", "better deal", "mates rates", "friends rate", "loyalty rate", "discounted rate"),
        "fr": ("prix d'ami", "tarif préférentiel", "prix préférentiel", "prix spécial", "tarif spécial",
               "meilleur prix", "meilleur tarif", "tarif d'ami", "tarif fidélité"),
        "es": ("tarifa preferente", "tarifa preferencial", "precio preferente", "precio preferencial",
               "precio especial", "tarifa especial", "precio de amigo", "mejor precio", "mejor tarifa"),
        "pl": ("stawka preferencyjna", "preferencyjna stawka", "cena preferencyjna", "preferencyjna cena",
               "specjalna cena", "cena specjalna", "specjalna stawka", "lepsza cena", "lepsza stawka",
               "cena dla przyjaciół"),
    },
    "lower": {
        "en": ("lower", "reduce", "cut", "decrease", "drop", "bring down", "knock down", "flexibility", "flexible",
               "wiggle room", "negotiate", "negotiable", "renegotiate", "lock in", "freeze"),
        "fr": ("baisser", "baisse", "réduire", "diminuer", "revoir à la baisse", "marge", "négocier", "renégocier",
               "négociable", "flexibilité", "ajuster", "geler", "bloquer"),
        "es": ("bajar", "baja", "rebajar", "reducir", "disminuir", "margen", "negociar", "renegociar", "negociable",
               "flexibilidad", "ajustar", "congelar", "mantener"),
        "pl": ("obniżyć", "obniżać", "zmniejszyć", "zbić", "opuścić", "spuścić", "negocjować", "negocjacja",
               "elastyczność", "ugadać", "zamrozić", "utrzymać"),
    },
    "pricey": {
        "en": ("too expensive", "a bit expensive", "bit pricey", "too pricey", "a bit steep", "too steep",
               "over budget", "out of budget", "over our budget", "can't afford", "cant afford"),
        "fr": ("trop cher", "un peu cher", "assez cher", "trop chère", "hors budget", "au-dessus de notre budget"),
        "es": ("muy caro", "demasiado caro", "un poco caro", "bastante caro", "muy cara", "demasiado cara",
               "fuera de presupuesto", "se nos va de presupuesto"),
        "pl": ("za drogo", "zbyt drogo", "trochę drogo", "drogo", "za drogi", "za droga", "za drogie",
               "ponad budżet", "nie stać"),
    },
    "instead": {
        "en": ("instead of", "rather than"),
        "fr": ("au lieu de", "plutôt que"),
        "es": ("en vez de", "en lugar de"),
        "pl": ("zamiast",),
    },
    "off": {"en": ("off", "bucks less", "dollars less", "euros less", "pounds less", "quid less"),
            "fr": ("moins", "de moins"), "es": ("menos",), "pl": ("mniej",)},
    "less": {
        "en": ("charge less", "charge us less", "charge me less", "bill less", "bill us less", "pay less",
               "invoice less", "charge a bit less", "charge us a bit less", "charge a little less"),
        "fr": ("facturer moins", "payer moins", "facturer un peu moins", "payer un peu moins", "moins facturer"),
        "es": ("cobrar menos", "cobrar un poco menos", "pagar menos", "pagar un poco menos", "facturar menos"),
        "pl": ("zapłacić mniej", "płacić mniej", "policzyć mniej", "liczyć mniej", "policzyć trochę mniej",
               "zapłacić trochę mniej"),
    },
}

# What the sentence around a discount cue holds. "price": what the VA charges by; "your_price": the
# VA's own price, which makes it a request whatever else the sentence says; "request": asking someone;
# "promo": the client's own shop, sale or announcement; "audience": the client's customers by name;
# "customer": customers, a promotion when "ours"; "our": the client's own. "=word": as written only
# ("rebajas", the sales, is not "rebaja", a discount).
DISCOUNT_CONTEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "price": {
        "en": ("rate", "price", "fee", "cost", "bill", "invoice", "amount", "retainer", "hourly", "per hour", "an hour",
               "charge", "pricing", "quote", "dollar", "euro", "pound", "usd", "eur", "gbp"),
        "fr": ("tarif", "prix", "coût", "facture", "facturer", "montant", "forfait", "taux horaire", "de l'heure", "par heure",
               "honoraires", "devis", "euro", "eur"),
        "es": ("tarifa", "precio", "coste", "costo", "factura", "importe", "cobrar", "cuota", "honorarios", "la hora",
               "por hora", "presupuesto", "euro", "eur"),
        "pl": ("stawka", "cena", "koszt", "faktura", "kwota", "rachunek", "cennik", "abonament", "za godzinę",
               "godzinowa", "wycena", "złoty", "zł", "pln", "euro"),
    },
    "engagement": {  # the client's work with the VA: "our plan" is hers to price, not the client's shop
        "en": ("plan", "package", "retainer", "hours", "subscription", "contract", "account", "work",
               "collaboration", "monthly"),
        "fr": ("forfait", "abonnement", "contrat", "heures", "collaboration", "formule", "travail"),
        "es": ("plan", "paquete", "contrato", "horas", "colaboración", "bono", "trabajo", "cuota"),
        "pl": ("pakiet", "abonament", "umowa", "godziny", "współpraca", "plan", "praca"),
    },
    "your_price": {
        "en": ("your rate", "your rates", "your price", "your prices", "your fee", "your fees", "your hourly",
               "your invoice", "your bill", "your quote", "you charge", "your pricing"),
        "fr": ("votre tarif", "vos tarifs", "ton tarif", "tes tarifs", "votre prix", "vos prix", "ton prix",
               "tes prix", "votre facture", "ta facture", "vos honoraires", "votre devis", "ton devis"),
        "es": ("tu tarifa", "tus tarifas", "su tarifa", "sus tarifas", "tu precio", "tus precios", "su precio",
               "tu factura", "su factura", "tus honorarios", "tu presupuesto"),
        "pl": ("twoja stawka", "twoje stawki", "pani stawka", "pani stawki", "twoja cena", "twoje ceny",
               "twoja faktura", "pani faktura", "twój cennik", "pani cennik", "wasza stawka"),
    },
    "request": {
        "en": ("can", "could", "would", "will you", "please", "possible", "any chance", "consider", "wonder",
               "wondering", "hope", "hoping", "like", "love", "want", "give", "us", "me", "you", "ask", "let"),
        "fr": ("pouvoir", "pourriez", "pourrais", "pourrait", "possible", "envisager", "aimer", "vouloir",
               "souhaiter", "svp", "s'il", "merci de", "vous", "tu", "toi", "te", "nous", "me", "moi",
               "faire", "accorder", "demander"),
        "es": ("poder", "podrías", "podría", "posible", "gustar", "querer", "quisiera", "por favor", "porfa",
               "tú", "te", "ti", "usted", "nos", "nosotros", "me", "mí", "hacer", "dar", "pedir", "habría"),
        "pl": ("czy", "proszę", "prosić", "prosimy", "móc", "możesz", "możemy", "można", "mogłabyś", "mógłbyś",
               "moglibyście", "dałoby", "da się", "chcieć", "chciałabym", "chcielibyśmy", "nam", "mi", "mnie",
               "nas", "pani", "pan", "dać", "zrobić"),
    },
    "promo": {
        "en": ("announce", "announcement", "advertise", "promote", "promotion", "promo", "mention", "feature",
               "highlight", "publish", "sale", "sales", "code", "coupon", "voucher", "black friday",
               "cyber monday", "giveaway", "contest", "competition", "win", "storewide", "sitewide", "store", "shop",
               "everything", "on all", "for everyone", "save", "bundle", "free shipping"),
        "fr": ("annoncer", "annonce", "promouvoir", "promotion", "promo", "mettre en avant", "mentionner",
               "publier", "soldes", "code", "coupon", "bon de réduction", "bon d'achat", "bon cadeau", "black friday",
               "boutique", "sur toute", "sur tout", "sur tous", "offre", "vente privée", "concours", "jeu concours",
               "gagner", "pour tous", "pour toutes", "livraison offerte"),
        "es": ("anunciar", "anuncio", "promocionar", "promoción", "promo", "mencionar", "publicar", "destacar",
               "=rebajas", "oferta", "ofertas", "código", "cupón", "black friday", "tienda", "en toda", "en todo",
               "en todos", "2x1", "sorteo", "concurso", "ganar", "para todos", "para todas", "envío gratis"),
        "pl": ("ogłosić", "ogłoszenie", "promować", "promocja", "promocyjny", "wyprzedaż", "kod", "kupon",
               "black friday", "sklep", "na całą", "na cały", "na wszystkie", "na wszystko", "napisać o",
               "opublikować", "wspomnieć", "kolekcja", "konkurs", "wygrać", "do wygrania", "dla wszystkich",
               "darmowa dostawa"),
    },
    "audience": {
        "en": ("subscriber", "follower", "member", "membership", "reader", "student", "attendee", "community",
               "participant", "winner"),
        "fr": ("abonné", "abonnée", "inscrit", "inscrite", "membre", "adhérent", "lectrice", "lecteur",
               "communauté", "élève", "participant", "participante", "gagnant", "gagnante"),
        "es": ("suscriptor", "suscriptora", "seguidor", "seguidora", "socio", "socia", "miembro", "alumno",
               "alumna", "comunidad", "participante", "ganador", "ganadora"),
        "pl": ("subskrybent", "obserwujący", "członek", "kursant", "kursantka", "uczestnik", "uczestniczka",
               "społeczność", "zwycięzca", "zwyciężczyni"),
    },
    "customer": {
        "en": ("customer", "client", "buyer", "guest"),
        "fr": ("client", "cliente"),
        "es": ("cliente", "clienta"),
        "pl": ("klient", "klientka"),
    },
    "our": {
        "en": ("our",),
        "fr": ("notre", "nos"),
        "es": ("nuestro", "nuestra", "nuestros", "nuestras"),
        "pl": ("nasz", "nasza", "nasze", "naszych", "naszej", "naszym", "naszą", "naszego"),
    },
}

URGENT: dict[str, tuple[str, ...]] = {
    "en": ("asap", "a s a p", "urgent", "urgently", "urgency", "emergency", "immediately", "right away",
           "right now", "straight away", "as soon as possible", "rush", "hurry", "end of day", "eod", "by tonight",
           "by today", "top priority", "high priority", "time sensitive", "drop everything", "within the hour",
           "in the next hour", "stop what you", "stop everything", "as fast as possible", "fast as you can"),
    "fr": ("urgent", "urgence", "urgemment", "urgentissime", "au plus vite", "au plus tôt", "dès que possible",
           "immédiatement", "tout de suite", "sans délai", "aujourd'hui même", "dans la journée",
           "toutes affaires cessantes", "priorité absolue", "en priorité", "c'est pressé", "c'est très pressé",
           "le plus vite possible", "le plus rapidement possible", "dans l'heure", "sans tarder"),
    "es": ("urgente", "urgentísimo", "urgentísima", "urgencia", "urgentemente", "para ya", "cuanto antes", "lo antes posible",
           "lo más pronto posible", "inmediatamente", "de inmediato", "enseguida", "ya mismo",
           "sin demora", "para hoy", "prioridad máxima", "máxima prioridad", "máxima urgencia",
           "deja todo", "déjalo todo", "corre prisa", "prisa", "a la de ya", "hoy mismo",
           "lo más rápido posible"),
    "pl": ("pilny", "pilnie", "pilne", "na cito", "natychmiast", "jak najszybciej", "niezwłocznie",
           "od razu", "na już", "na dziś", "na dzisiaj", "w trybie pilnym", "asap",
           "rzuć wszystko", "rzucić wszystko", "pali się", "najwyższy priorytet", "priorytet", "na teraz",
           "jeszcze dziś", "jeszcze dzisiaj", "na gwałt", "pośpiech", "bez zwłoki"),
}

# Work wanted "for yesterday": the word, and what may stand up to three words before it.
YESTERDAY: dict[str, tuple[str, ...]] = {"en": ("yesterday",), "fr": ("hier",), "es": ("ayer",), "pl": ("wczoraj",)}
YESTERDAY_LEADS = frozenset({"for", "need", "needed", "needs", "want", "wanted", "pour", "para", "na"})

# A negation in the clause before a flag word or a category keyword cancels it.
NEGATIONS: dict[str, tuple[str, ...]] = {
    "en": ("not", "no", "never", "nothing", "none", "nobody", "without", "nor", "neither", "isnt", "arent",
           "wasnt", "werent", "dont", "doesnt", "didnt", "wont", "cant", "cannot", "couldnt", "shouldnt",
           "wouldnt", "neednt", "havent", "hasnt", "aint"),
    "fr": ("pas", "non", "rien", "jamais", "aucun", "aucune", "aucuns", "aucunes", "sans", "ni"),
    "es": ("no", "nada", "nunca", "jamás", "ningún", "ninguno", "ninguna", "ningunos", "ningunas", "sin", "ni", "tampoco"),
    "pl": ("nie", "nic", "nigdy", "żaden", "żadna", "żadne", "żadnego", "żadnej", "żadnych", "żadną", "żadnym",
           "żadnemu", "żadni", "bez", "ani"),
}

# Phrases whose negation word negates nothing the flags care about ("don't forget, it's urgent").
NOT_NEGATIONS: dict[str, tuple[str, ...]] = {
    "en": ("dont forget", "do not forget", "never forget", "dont miss", "no matter", "not only", "no later than",
           "not later than", "no excuses", "no exceptions", "cant wait", "dont wait", "dont delay",
           "dont hesitate", "without fail", "no time to lose", "no time", "no longer", "not sure"),
    "fr": ("oublie pas", "oubliez pas", "oublions pas", "sans faute", "sans attendre", "pas plus tard",
           "tarde pas", "tardez pas", "pas de temps à perdre", "pas sûr", "pas sûre", "non seulement"),
    "es": ("no olvides", "no te olvides", "no olvidéis", "no olvidar", "sin falta", "no más tarde",
           "sin esperar", "no tardes", "no hay tiempo", "no sé", "no solo"),
    "pl": ("nie zapomnij", "nie zapomnijcie", "nie zapomnieć", "nie później niż", "nie czekaj", "nie zwlekaj",
           "nie ma czasu", "nie wiem", "nie tylko"),
}

# Words that start a new clause: a negation before them does not reach past them.
CLAUSE_BREAKS = frozenset({
    "but", "however", "though", "although", "because", "yet", "mais", "cependant", "pourtant", "car",
    "pero", "sino", "aunque", "porque", "ale", "lecz", "jednak", "bo", "ponieważ", "chociaż", "choć"})


def for_language(table: dict[str, tuple[str, ...]], language: str) -> tuple[str, ...]:
    """The phrases of the client's language, then the English ones."""
    phrases = table[language] + (table["en"] if language != "en" else ())
    return tuple(dict.fromkeys(phrases))
