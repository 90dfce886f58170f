"""The default comment wording, per language and form of address, as a native writer would put it.

Texts never presume the VA's or the client's gender: no first-person past tense in Polish, no
gendered adjectives about either side in French or Spanish, an impersonal formal register in Polish
(neither Pan nor Pani). French spacing before punctuation is added by comments.typeset.
"""
from __future__ import annotations

from .overrun_wording import OVERRUN

FORMAL, INFORMAL = "formal", "informal"

_EN = {
    "consultation": (
        "Thank you for this request! It falls under “{category}”, which isn't one of the services in our "
        "current agreement, so I can't fit it into your plan. It would make a great topic for a consultation, "
        "though. You can book a time that suits you here: {consultation_url}. Once we've talked it through, "
        "I'll send you a proposal."),
    "referral": (
        "Thank you for thinking of me! This request falls under “{category}”, which isn't among the services "
        "I offer, so I'm not the right person for it. I'm happy to recommend {referral}, who specialises in "
        "exactly this kind of work."),
    "decline": (
        "Thank you for your request. It falls under “{category}”, which isn't part of our agreement, and it "
        "isn't something I can take on. I'll keep giving my full attention to the work we agreed on."),
    "extra_hours": (
        "Happy to take this on! This task goes {extra_hours} beyond the {contracted_hours} included in your "
        "plan for {this_period}, so that time will be billed as extra hours at {rate} per hour: {amount} in "
        "total. If you'd rather keep it for {next_period}, just let me know before I start on it."),
    "extra_hours_done": (
        "A quick note on hours: this task took {hours}, so the work for {this_period} has gone {extra_hours} "
        "beyond the {contracted_hours} included in your plan. That time is billed as extra hours at {rate} "
        "per hour: {amount} in total."),
    "discount": (
        "Thank you for asking. My rate is already the best I can offer, so I'm not able to give a discount. "
        "If the budget is tight, I'm glad to look at the scope with you and adjust the work to fit it."),
}

_EN_INFORMAL = {kind: text.replace("Thank you", "Thanks") for kind, text in _EN.items()}

_FR_VOUS = {
    "consultation": (
        "Merci pour votre demande ! Elle relève du domaine « {category} », qui ne fait pas partie des services "
        "prévus dans notre contrat : je ne peux donc pas l'intégrer à votre forfait. C'est en revanche un "
        "excellent sujet de consultation. Vous pouvez réserver le créneau qui vous convient ici : "
        "{consultation_url}. Après notre échange, je vous enverrai une proposition."),
    "referral": (
        "Merci d'avoir pensé à moi ! Cette demande relève du domaine « {category} », qui ne fait pas partie "
        "des services que je propose. Je vous recommande de vous adresser à {referral}, dont c'est précisément "
        "la spécialité."),
    "decline": (
        "Merci pour votre demande. Elle relève du domaine « {category} », qui ne fait pas partie des services "
        "prévus dans notre contrat, et je ne suis pas en mesure de la prendre en charge. Je reste bien "
        "entendu pleinement disponible pour les missions convenues."),
    "extra_hours": (
        "Avec plaisir ! Cette tâche dépasse de {extra_hours} les {contracted_hours} prévues dans votre forfait "
        "pour {this_period} : ce temps sera donc facturé en supplément, hors forfait, au tarif de {rate} de "
        "l'heure, soit {amount} au total. Si vous préférez la reporter {next_period}, dites-le-moi simplement "
        "avant que je m'y mette."),
    "extra_hours_done": (
        "Un petit point sur les heures : cette tâche a demandé {hours}, et le travail pour {this_period} "
        "dépasse donc de {extra_hours} les {contracted_hours} prévues dans votre forfait. Ce temps est facturé "
        "en supplément, hors forfait, au tarif de {rate} de l'heure, soit {amount} au total."),
    "discount": (
        "Merci pour votre message. Mon tarif est déjà le plus juste que je puisse proposer : je ne peux donc "
        "pas vous accorder de réduction. Si votre budget est serré, je vous propose volontiers de revoir "
        "ensemble le périmètre des tâches pour l'adapter."),
}

_FR_TU = {
    "consultation": (
        "Merci pour ta demande ! Elle relève du domaine « {category} », qui ne fait pas partie des services "
        "prévus dans notre contrat : je ne peux donc pas l'intégrer à ton forfait. C'est en revanche un "
        "excellent sujet de consultation. Tu peux réserver le créneau qui te convient ici : "
        "{consultation_url}. Après notre échange, je t'enverrai une proposition."),
    "referral": (
        "Merci d'avoir pensé à moi ! Cette demande relève du domaine « {category} », qui ne fait pas partie "
        "des services que je propose. Je te recommande de t'adresser à {referral}, dont c'est précisément "
        "la spécialité."),
    "decline": (
        "Merci pour ta demande. Elle relève du domaine « {category} », qui ne fait pas partie des services "
        "prévus dans notre contrat, et je ne suis pas en mesure de la prendre en charge. Je reste bien "
        "entendu pleinement disponible pour les missions convenues."),
    "extra_hours": (
        "Avec plaisir ! Cette tâche dépasse de {extra_hours} les {contracted_hours} prévues dans ton forfait "
        "pour {this_period} : ce temps sera donc facturé en supplément, hors forfait, au tarif de {rate} de "
        "l'heure, soit {amount} au total. Si tu préfères la reporter {next_period}, dis-le-moi simplement "
        "avant que je m'y mette."),
    "extra_hours_done": (
        "Un petit point sur les heures : cette tâche a demandé {hours}, et le travail pour {this_period} "
        "dépasse donc de {extra_hours} les {contracted_hours} prévues dans ton forfait. Ce temps est facturé "
        "en supplément, hors forfait, au tarif de {rate} de l'heure, soit {amount} au total."),
    "discount": (
        "Merci pour ton message. Mon tarif est déjà le plus juste que je puisse proposer : je ne peux donc "
        "pas t'accorder de réduction. Si ton budget est serré, je te propose volontiers de revoir ensemble "
        "le périmètre des tâches pour l'adapter."),
}

_ES_USTED = {
    "consultation": (
        "¡Gracias por su solicitud! Corresponde al ámbito «{category}», que no forma parte de los servicios "
        "incluidos en nuestro contrato, así que no puedo incluirla en su plan. Eso sí, es un tema ideal para "
        "una consulta. Puede reservar la hora que mejor le convenga aquí: {consultation_url}. Después de la "
        "conversación, le enviaré una propuesta."),
    "referral": (
        "¡Gracias por pensar en mí! Esta solicitud corresponde al ámbito «{category}», que no forma parte de "
        "los servicios que ofrezco. Le recomiendo ponerse en contacto con {referral}, que se especializa "
        "precisamente en este tipo de trabajo."),
    "decline": (
        "Gracias por su solicitud. Corresponde al ámbito «{category}», que no forma parte de los servicios "
        "incluidos en nuestro contrato, y no es un trabajo que pueda asumir. Sigo a su disposición para todo "
        "lo acordado."),
    "extra_hours": (
        "¡Con mucho gusto me encargo! Esta tarea supera en {extra_hours} las {contracted_hours} incluidas en "
        "su plan {this_period}, por lo que ese tiempo se facturará como horas adicionales a {rate} por hora: "
        "{amount} en total. Si prefiere dejarla para {next_period}, avíseme antes de que me ponga con ella."),
    "extra_hours_done": (
        "Una nota sobre las horas: esta tarea ha llevado {hours}, así que el trabajo {this_period} supera en "
        "{extra_hours} las {contracted_hours} incluidas en su plan. Ese tiempo se factura como horas "
        "adicionales a {rate} por hora: {amount} en total."),
    "discount": (
        "Gracias por preguntar. Mi tarifa ya es la mejor que puedo ofrecer, así que no me es posible "
        "hacerle un descuento. Si el presupuesto es ajustado, con gusto podemos revisar el alcance del trabajo para "
        "adaptarlo."),
}

_ES_TU = {
    "consultation": (
        "¡Gracias por tu solicitud! Corresponde al ámbito «{category}», que no forma parte de los servicios "
        "incluidos en nuestro contrato, así que no puedo incluirla en tu plan. Eso sí, es un tema ideal para "
        "una consulta. Puedes reservar la hora que mejor te convenga aquí: {consultation_url}. Después de la "
        "conversación, te enviaré una propuesta."),
    "referral": (
        "¡Gracias por pensar en mí! Esta solicitud corresponde al ámbito «{category}», que no forma parte de "
        "los servicios que ofrezco. Te recomiendo ponerte en contacto con {referral}, que se especializa "
        "precisamente en este tipo de trabajo."),
    "decline": (
        "Gracias por tu solicitud. Corresponde al ámbito «{category}», que no forma parte de los servicios "
        "incluidos en nuestro contrato, y no es un trabajo que pueda asumir. Sigo a tu disposición para todo "
        "lo acordado."),
    "extra_hours": (
        "¡Con mucho gusto me encargo! Esta tarea supera en {extra_hours} las {contracted_hours} incluidas en "
        "tu plan {this_period}, por lo que ese tiempo se facturará como horas adicionales a {rate} por hora: "
        "{amount} en total. Si prefieres dejarla para {next_period}, avísame antes de que me ponga con ella."),
    "extra_hours_done": (
        "Una nota sobre las horas: esta tarea ha llevado {hours}, así que el trabajo {this_period} supera en "
        "{extra_hours} las {contracted_hours} incluidas en tu plan. Ese tiempo se factura como horas "
        "adicionales a {rate} por hora: {amount} en total."),
    "discount": (
        "Gracias por preguntar. Mi tarifa ya es la mejor que puedo ofrecer, así que no me es posible "
        "hacerte un descuento. Si el presupuesto es ajustado, con gusto podemos revisar el alcance del trabajo para "
        "adaptarlo."),
}

# Formal Polish stays impersonal ("można", "proszę o informację"): neither Pan nor Pani is presumed.
_PL_FORMAL = {
    "consultation": (
        "Dziękuję za zgłoszenie! To zadanie dotyczy obszaru „{category}”, który nie wchodzi w zakres usług "
        "z naszej umowy, więc nie mogę go zrealizować w ramach pakietu. To jednak świetny temat na "
        "konsultację. Dogodny termin można zarezerwować tutaj: {consultation_url}. Po rozmowie przygotuję "
        "ofertę."),
    "referral": (
        "Dziękuję za zaufanie! To zadanie dotyczy obszaru „{category}”, którym się nie zajmuję. W tej sprawie "
        "polecam kontakt z osobą, która specjalizuje się właśnie w takich zadaniach: {referral}."),
    "decline": (
        "Dziękuję za zgłoszenie. To zadanie dotyczy obszaru „{category}”, który nie wchodzi w zakres usług "
        "z naszej umowy, i niestety nie mogę się go podjąć. Nadal z pełnym zaangażowaniem zajmuję się "
        "wszystkim, co zostało uzgodnione."),
    "extra_hours": (
        "Chętnie się tym zajmę! To zadanie wykracza o {extra_hours} poza limit {contracted_hours} w pakiecie "
        "na {this_period}, dlatego ten czas zostanie rozliczony jako godziny dodatkowe według stawki {rate} "
        "za godzinę, łącznie {amount}. Jeśli lepiej przełożyć je na {next_period}, proszę o informację, "
        "zanim zacznę."),
    "extra_hours_done": (
        "Informacja o godzinach: to zadanie zajęło {hours}, więc praca w pakiecie na {this_period} przekracza "
        "limit {contracted_hours} o {extra_hours}. Ten czas jest rozliczany jako godziny dodatkowe według "
        "stawki {rate} za godzinę, łącznie {amount}."),
    "discount": (
        "Dziękuję za pytanie. Moja stawka jest już najkorzystniejsza, jaką mogę zaproponować, dlatego rabat "
        "nie jest możliwy. Jeśli budżet jest napięty, chętnie wspólnie przejrzymy zakres prac "
        "i dopasujemy go do możliwości."),
}

_PL_TY = {
    "consultation": (
        "Dziękuję za zgłoszenie! To zadanie dotyczy obszaru „{category}”, który nie wchodzi w zakres usług "
        "z naszej umowy, więc nie mogę go zrealizować w ramach Twojego pakietu. To jednak świetny temat na "
        "konsultację. Dogodny termin możesz zarezerwować tutaj: {consultation_url}. Po rozmowie przygotuję "
        "dla Ciebie ofertę."),
    "referral": (
        "Dziękuję za zaufanie! To zadanie dotyczy obszaru „{category}”, którym się nie zajmuję. W tej sprawie "
        "polecam Ci kontakt z osobą, która specjalizuje się właśnie w takich zadaniach: {referral}."),
    "decline": (
        "Dziękuję za zgłoszenie. To zadanie dotyczy obszaru „{category}”, który nie wchodzi w zakres usług "
        "z naszej umowy, i niestety nie mogę się go podjąć. Nadal z pełnym zaangażowaniem zajmuję się "
        "wszystkim, co zostało uzgodnione."),
    "extra_hours": (
        "Chętnie się tym zajmę! To zadanie wykracza o {extra_hours} poza limit {contracted_hours} w Twoim "
        "pakiecie na {this_period}, dlatego ten czas zostanie rozliczony jako godziny dodatkowe według stawki "
        "{rate} za godzinę, łącznie {amount}. Jeśli wolisz przełożyć je na {next_period}, daj mi znać, "
        "zanim zacznę."),
    "extra_hours_done": (
        "Informacja o godzinach: to zadanie zajęło {hours}, więc praca w Twoim pakiecie na {this_period} "
        "przekracza limit {contracted_hours} o {extra_hours}. Ten czas jest rozliczany jako godziny dodatkowe "
        "według stawki {rate} za godzinę, łącznie {amount}."),
    "discount": (
        "Dziękuję za pytanie. Moja stawka jest już najkorzystniejsza, jaką mogę zaproponować, dlatego rabat "
        "nie wchodzi w grę. Jeśli Twój budżet jest napięty, chętnie wspólnie przejrzymy zakres prac "
        "i dopasujemy go do Twoich możliwości."),
}

TEMPLATES: dict[tuple[str, str], dict[str, str]] = {
    ("en", FORMAL): _EN, ("en", INFORMAL): _EN_INFORMAL,
    ("fr", FORMAL): _FR_VOUS, ("fr", INFORMAL): _FR_TU,
    ("es", FORMAL): _ES_USTED, ("es", INFORMAL): _ES_TU,
    ("pl", FORMAL): _PL_FORMAL, ("pl", INFORMAL): _PL_TY,
}
for _key, _texts in TEMPLATES.items():
    _texts["overrun"] = OVERRUN[_key]

# The contract period as the sentences above name it, in the grammatical slot each one needs:
# the current period ("this month"), then a named one (month name, or the week's days).
PERIODS: dict[str, dict[str, str]] = {
    "en": {"this_month": "this month", "next_month": "next month", "this_week": "this week",
           "next_week": "next week", "month": "{month}", "week": "the week of {days}"},
    "fr": {"this_month": "ce mois-ci", "next_month": "au mois prochain", "this_week": "cette semaine",
           "next_week": "à la semaine prochaine", "month": "{month}", "week": "la semaine {days}",
           "next_named_month": "en {month}", "next_named_week": "à la semaine {days}"},
    "es": {"this_month": "de este mes", "next_month": "el mes que viene", "this_week": "de esta semana",
           "next_week": "la semana que viene", "month": "de {month}", "week": "de la semana {days}",
           "next_named_month": "{month}", "next_named_week": "la semana {days}"},
    "pl": {"this_month": "ten miesiąc", "next_month": "przyszły miesiąc", "this_week": "ten tydzień",
           "next_week": "przyszły tydzień", "month": "{month}", "week": "tydzień {days}"},
}
