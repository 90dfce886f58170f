"""Report wording in English, French, Spanish and Polish, and locale-aware figures and dates."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from babel.dates import (
    format_interval,
    format_skeleton,
    format_time,
    get_datetime_format,
    get_month_names,
    get_timezone_location,
)
from babel.numbers import format_decimal

from rules.comments import LOCALES, money, typeset
from rules.periods import ContractPeriod

_NUMBER = "#,##0.##"
_SIGNED = "+#,##0.##;-#,##0.##"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "report_title": "Scope report: {client}",
        "client_title": "Service summary: {client}",
        "client_intro": "Here is where your plan stands ({period}).",
        "practice_title": "Practice summary",
        "week": "Week {week}",
        "contract_period": "Contract period: {period}",
        "as_of": "Figures as of {moment} ({timezone})",
        "hours_unit": "h",
        "hours_heading": "Hours this period",
        "used": "Used",
        "contracted": "Contracted",
        "remaining": "Remaining",
        "carried_in": "Carried over from earlier periods",
        "available": "Available this period",
        "owed_next": "Taken from next period's hours",
        "extra": "Extra hours",
        "to_bill": "To bill",
        "extra_amount": "Extra-hours amount",
        "rate": "Rate per extra hour",
        "runs_out": "Plan runs out",
        "runs_out_on": "{date} at this pace",
        "runs_out_never": "not before the period ends",
        "ran_out": "Plan used up",
        "ran_out_on": "on {date}",
        "chart_heading": "Hours used over the period",
        "chart_used": "Hours used",
        "chart_contracted": "Contracted",
        "chart_projection": "At this pace",
        "chart_alt": "Burn-up chart: {used} used of {contracted}; plan runs out: {runs_out}",
        "billable_heading": "Extra hours to bill",
        "billable_heading_client": "Extra hours",
        "requests_heading": "Out-of-scope requests",
        "requests_heading_client": "Requests outside your plan",
        "response_consultation": "consultation offered",
        "response_referral": "referred to {referral}",
        "response_decline": "declined",
        "client_consultation": "Available as a consultation; book a time here:",
        "client_referral": "Recommended contact: {referral}",
        "client_decline": "Not part of the services I offer",
        "status_posted": "comment posted",
        "status_review": "comment waiting for your review",
        "status_queued": "comment approved, being posted",
        "status_rejected": "comment rejected",
        "status_not_sent": "comment not sent",
        "review_heading": "Needs your review",
        "review_note": ("No service or category matched these cards; ScopeKeeper posts nothing on them, except "
                        "the polite reply to a discount request."),
        "flags_heading": "Red flags",
        "flag_discount_request": "discount request",
        "flag_urgent_deadline": "urgent deadline",
        "flag_after_hours": "sent after hours",
        "flag_vague_request": "vague request",
        "flag_rescheduled": "rescheduled repeatedly",
        "created": "created {date}",
        "nothing": "None this period.",
        "changes_heading": "Compared with the previous period ({period})",
        "this_period": "This period",
        "previous": "Previous",
        "change": "Change",
        "metric_used": "Hours used",
        "metric_extra": "Extra hours",
        "metric_extra_amount": "Extra-hours amount",
        "metric_requests": "Out-of-scope requests",
        "metric_flags": "Red flags",
        "metric_needs_review": "Cards to review",
        "capacity_heading": "Capacity",
        "booked": "Contracted per week, all clients",
        "capacity": "Weekly capacity",
        "room": "{hours} a week free for a new client.",
        "full": "Fully booked: no room for a new client.",
        "overbooked": "Overbooked by {hours} a week: say no to new work, or renegotiate.",
        "no_capacity": "Set scopekeeper.weekly_capacity_hours to compare with your capacity.",
        "clients_heading": "Clients this period",
        "used_of": "{used} of {contracted}",
        "invoice_heading": "To invoice",
        "total": "Total",
        "flagged_heading": "Clients with the most red flags",
        "no_flags": "No red flags.",
        "footer": "Prepared with ScopeKeeper · week {week}",
        "prepared_by": "Prepared by {name}",
        "timezone_city": "{city} time",
        "work_heading": "Work done this period",
        "no_hours": "time not logged",
    },
    "fr": {
        "report_title": "Rapport de périmètre : {client}",
        "client_title": "Récapitulatif de votre forfait : {client}",
        "client_intro": "Voici où en est votre forfait ({period}).",
        "practice_title": "Vue d'ensemble de l'activité",
        "week": "Semaine {week}",
        "contract_period": "Période du contrat : {period}",
        "as_of": "Chiffres au {moment} ({timezone})",
        "hours_unit": "h",
        "hours_heading": "Heures sur la période",
        "used": "Utilisées",
        "contracted": "Prévues au contrat",
        "remaining": "Restantes",
        "carried_in": "Reportées des périodes précédentes",
        "available": "Disponibles sur la période",
        "owed_next": "Décomptées des heures de la période suivante",
        "extra": "Heures supplémentaires",
        "to_bill": "À facturer",
        "extra_amount": "Montant des heures supplémentaires",
        "rate": "Tarif de l'heure supplémentaire",
        "runs_out": "Fin prévue du forfait",
        "runs_out_on": "le {date} à ce rythme",
        "runs_out_never": "pas avant la fin de la période",
        "ran_out": "Forfait épuisé",
        "ran_out_on": "le {date}",
        "chart_heading": "Consommation des heures sur la période",
        "chart_used": "Heures utilisées",
        "chart_contracted": "Prévues au contrat",
        "chart_projection": "À ce rythme",
        "chart_alt": "Graphique de consommation : {used} utilisées sur {contracted} ; fin du forfait : {runs_out}",
        "billable_heading": "Heures supplémentaires à facturer",
        "billable_heading_client": "Heures supplémentaires",
        "requests_heading": "Demandes hors périmètre",
        "requests_heading_client": "Demandes hors de votre forfait",
        "response_consultation": "consultation proposée",
        "response_referral": "orientée vers {referral}",
        "response_decline": "refusée",
        "client_consultation": "Possible dans le cadre d'une consultation ; réservez un créneau ici :",
        "client_referral": "Contact recommandé : {referral}",
        "client_decline": "Ne fait pas partie des services que je propose",
        "status_posted": "commentaire publié",
        "status_review": "commentaire en attente de validation",
        "status_queued": "commentaire validé, en cours de publication",
        "status_rejected": "commentaire refusé",
        "status_not_sent": "commentaire non envoyé",
        "review_heading": "À examiner",
        "review_note": ("Aucun service ni aucune catégorie ne correspond à ces cartes ; ScopeKeeper n'y publie rien, "
                        "sauf la réponse courtoise à une demande de remise."),
        "flags_heading": "Signaux d'alerte",
        "flag_discount_request": "demande de réduction",
        "flag_urgent_deadline": "délai urgent",
        "flag_after_hours": "envoyée hors horaires",
        "flag_vague_request": "demande vague",
        "flag_rescheduled": "reportée plusieurs fois",
        "created": "créée le {date}",
        "nothing": "Rien sur cette période.",
        "changes_heading": "Par rapport à la période précédente ({period})",
        "this_period": "Cette période",
        "previous": "Précédente",
        "change": "Écart",
        "metric_used": "Heures utilisées",
        "metric_extra": "Heures supplémentaires",
        "metric_extra_amount": "Montant des heures supplémentaires",
        "metric_requests": "Demandes hors périmètre",
        "metric_flags": "Signaux d'alerte",
        "metric_needs_review": "Cartes à examiner",
        "capacity_heading": "Capacité",
        "booked": "Heures prévues par semaine, tous clients",
        "capacity": "Capacité hebdomadaire",
        "room": "{hours} par semaine encore libres pour un nouveau client.",
        "full": "Complet : pas de place pour un nouveau client.",
        "overbooked": "Surcharge de {hours} par semaine : refusez les nouvelles demandes ou renégociez.",
        "no_capacity": "Renseignez scopekeeper.weekly_capacity_hours pour comparer avec votre capacité.",
        "clients_heading": "Clients sur la période",
        "used_of": "{used} sur {contracted}",
        "invoice_heading": "À facturer",
        "total": "Total",
        "flagged_heading": "Clients avec le plus de signaux d'alerte",
        "no_flags": "Aucun signal d'alerte.",
        "footer": "Préparé avec ScopeKeeper · semaine {week}",
        "prepared_by": "Préparé par {name}",
        "timezone_city": "heure de {city}",
        "work_heading": "Travail réalisé sur la période",
        "no_hours": "temps non saisi",
    },
    "es": {
        "report_title": "Informe de alcance: {client}",
        "client_title": "Resumen de su plan: {client}",
        "client_intro": "Así va su plan ({period}).",
        "practice_title": "Resumen de la actividad",
        "week": "Semana {week}",
        "contract_period": "Periodo del contrato: {period}",
        "as_of": "Datos a {moment} ({timezone})",
        "hours_unit": "h",
        "hours_heading": "Horas del periodo",
        "used": "Usadas",
        "contracted": "Contratadas",
        "remaining": "Restantes",
        "carried_in": "Acumuladas de periodos anteriores",
        "available": "Disponibles en este periodo",
        "owed_next": "Descontadas de las horas del próximo periodo",
        "extra": "Horas adicionales",
        "to_bill": "A facturar",
        "extra_amount": "Importe de las horas adicionales",
        "rate": "Tarifa por hora adicional",
        "runs_out": "El plan se agota",
        "runs_out_on": "el {date} a este ritmo",
        "runs_out_never": "no antes del final del periodo",
        "ran_out": "Plan agotado",
        "ran_out_on": "el {date}",
        "chart_heading": "Horas consumidas en el periodo",
        "chart_used": "Horas usadas",
        "chart_contracted": "Contratadas",
        "chart_projection": "A este ritmo",
        "chart_alt": "Gráfico de consumo: {used} usadas de {contracted}; el plan se agota: {runs_out}",
        "billable_heading": "Horas adicionales a facturar",
        "billable_heading_client": "Horas adicionales",
        "requests_heading": "Solicitudes fuera del alcance",
        "requests_heading_client": "Solicitudes fuera de su plan",
        "response_consultation": "consulta ofrecida",
        "response_referral": "derivada a {referral}",
        "response_decline": "rechazada",
        "client_consultation": "Posible en una consulta; reserve una hora aquí:",
        "client_referral": "Contacto recomendado: {referral}",
        "client_decline": "No forma parte de los servicios que ofrezco",
        "status_posted": "comentario publicado",
        "status_review": "comentario pendiente de revisión",
        "status_queued": "comentario aprobado, en publicación",
        "status_rejected": "comentario rechazado",
        "status_not_sent": "comentario no enviado",
        "review_heading": "Por revisar",
        "review_note": ("Ningún servicio ni categoría coincide con estas tarjetas; "
                        "ScopeKeeper no publica nada en ellas, salvo la respuesta cortés a una petición de descuento."),
        "flags_heading": "Señales de alerta",
        "flag_discount_request": "petición de descuento",
        "flag_urgent_deadline": "plazo urgente",
        "flag_after_hours": "fuera de horario",
        "flag_vague_request": "solicitud imprecisa",
        "flag_rescheduled": "reprogramada varias veces",
        "created": "creada el {date}",
        "nothing": "Nada en este periodo.",
        "changes_heading": "Frente al periodo anterior ({period})",
        "this_period": "Este periodo",
        "previous": "Anterior",
        "change": "Variación",
        "metric_used": "Horas usadas",
        "metric_extra": "Horas adicionales",
        "metric_extra_amount": "Importe de horas adicionales",
        "metric_requests": "Solicitudes fuera del alcance",
        "metric_flags": "Señales de alerta",
        "metric_needs_review": "Tarjetas por revisar",
        "capacity_heading": "Capacidad",
        "booked": "Horas contratadas por semana, todos los clientes",
        "capacity": "Capacidad semanal",
        "room": "Quedan {hours} libres por semana para un cliente nuevo.",
        "full": "Agenda completa: no hay sitio para un cliente nuevo.",
        "overbooked": "Exceso de {hours} por semana: no acepte trabajo nuevo o renegocie.",
        "no_capacity": "Indique scopekeeper.weekly_capacity_hours para compararlo con su capacidad.",
        "clients_heading": "Clientes en el periodo",
        "used_of": "{used} de {contracted}",
        "invoice_heading": "A facturar",
        "total": "Total",
        "flagged_heading": "Clientes con más señales de alerta",
        "no_flags": "Ninguna señal de alerta.",
        "footer": "Preparado con ScopeKeeper · semana {week}",
        "prepared_by": "Preparado por {name}",
        "timezone_city": "hora de {city}",
        "work_heading": "Trabajo realizado en el periodo",
        "no_hours": "tiempo sin registrar",
    },
    "pl": {
        "report_title": "Raport zakresu prac: {client}",
        "client_title": "Podsumowanie pakietu: {client}",
        "client_intro": "Oto stan pakietu ({period}).",
        "practice_title": "Podsumowanie działalności",
        "week": "Tydzień {week}",
        "contract_period": "Okres rozliczeniowy: {period}",
        "as_of": "Stan na {moment} ({timezone})",
        "hours_unit": "godz.",
        "hours_heading": "Godziny w tym okresie",
        "used": "Wykorzystane",
        "contracted": "W umowie",
        "remaining": "Pozostało",
        "carried_in": "Przeniesione z poprzednich okresów",
        "available": "Dostępne w tym okresie",
        "owed_next": "Odliczone od godzin następnego okresu",
        "extra": "Godziny dodatkowe",
        "to_bill": "Do zafakturowania",
        "extra_amount": "Kwota za godziny dodatkowe",
        "rate": "Stawka za godzinę dodatkową",
        "runs_out": "Pakiet się wyczerpie",
        "runs_out_on": "{date} przy obecnym tempie",
        "runs_out_never": "nie przed końcem okresu",
        "ran_out": "Pakiet wyczerpany",
        "ran_out_on": "{date}",
        "chart_heading": "Zużycie godzin w okresie",
        "chart_used": "Wykorzystane",
        "chart_contracted": "Limit z umowy",
        "chart_projection": "Prognoza",
        "chart_alt": "Wykres zużycia: wykorzystano {used} z {contracted}; pakiet się wyczerpie: {runs_out}",
        "billable_heading": "Godziny dodatkowe do zafakturowania",
        "billable_heading_client": "Godziny dodatkowe",
        "requests_heading": "Zlecenia spoza zakresu",
        "requests_heading_client": "Zlecenia spoza pakietu",
        "response_consultation": "zaproponowano konsultację",
        "response_referral": "przekazano do: {referral}",
        "response_decline": "odmówiono",
        "client_consultation": "Możliwe w ramach konsultacji; termin można zarezerwować tutaj:",
        "client_referral": "Polecany kontakt: {referral}",
        "client_decline": "Nie wchodzi w zakres moich usług",
        "status_posted": "komentarz opublikowany",
        "status_review": "komentarz czeka na akceptację",
        "status_queued": "komentarz zatwierdzony, w trakcie publikacji",
        "status_rejected": "komentarz odrzucony",
        "status_not_sent": "komentarz niewysłany",
        "review_heading": "Do przejrzenia",
        "review_note": ("Te karty nie pasują do żadnej usługi ani kategorii; ScopeKeeper nic na nich nie publikuje "
                        "poza uprzejmą odpowiedzią na prośbę o rabat."),
        "flags_heading": "Sygnały ostrzegawcze",
        "flag_discount_request": "prośba o zniżkę",
        "flag_urgent_deadline": "pilny termin",
        "flag_after_hours": "poza godzinami pracy",
        "flag_vague_request": "niejasne zlecenie",
        "flag_rescheduled": "wielokrotnie przekładane",
        "created": "utworzono {date}",
        "nothing": "Brak w tym okresie.",
        "changes_heading": "W porównaniu z poprzednim okresem ({period})",
        "this_period": "Ten okres",
        "previous": "Poprzedni",
        "change": "Zmiana",
        "metric_used": "Wykorzystane godziny",
        "metric_extra": "Godziny dodatkowe",
        "metric_extra_amount": "Kwota za godziny dodatkowe",
        "metric_requests": "Zlecenia spoza zakresu",
        "metric_flags": "Sygnały ostrzegawcze",
        "metric_needs_review": "Karty do przejrzenia",
        "capacity_heading": "Obciążenie tygodniowe",
        "booked": "Godziny z umów tygodniowo, wszyscy klienci",
        "capacity": "Tygodniowy limit godzin",
        "room": "Zostaje {hours} tygodniowo: jest miejsce na nowego klienta.",
        "full": "Pełne obłożenie: brak miejsca na nowego klienta.",
        "overbooked": "Nadmiar o {hours} tygodniowo: nie przyjmuj nowych zleceń albo renegocjuj umowy.",
        "no_capacity": "Ustaw scopekeeper.weekly_capacity_hours, aby porównać z dostępnym czasem.",
        "clients_heading": "Klienci w tym okresie",
        "used_of": "{used} z {contracted}",
        "invoice_heading": "Do zafakturowania",
        "total": "Razem",
        "flagged_heading": "Klienci z największą liczbą sygnałów ostrzegawczych",
        "no_flags": "Brak sygnałów ostrzegawczych.",
        "footer": "Przygotowano w ScopeKeeper · tydzień {week}",
        "prepared_by": "Opracowanie: {name}",
        "timezone_city": "czas: {city}",
        "work_heading": "Prace wykonane w tym okresie",
        "no_hours": "czas nie został zapisany",
    },
}


# What changes when the client is addressed informally (tu, tú, Ty); English has one "you".
INFORMAL: dict[str, dict[str, str]] = {
    "en": {},
    "fr": {"client_title": "Récapitulatif de ton forfait : {client}",
           "client_intro": "Voici où en est ton forfait ({period}).",
           "requests_heading_client": "Demandes hors de ton forfait",
           "client_consultation": "Possible dans le cadre d'une consultation ; réserve un créneau ici :"},
    "es": {"client_title": "Resumen de tu plan: {client}",
           "client_intro": "Así va tu plan ({period}).",
           "requests_heading_client": "Solicitudes fuera de tu plan",
           "client_consultation": "Posible en una consulta; reserva una hora aquí:"},
    "pl": {"client_intro": "Oto stan Twojego pakietu ({period}).",
           "requests_heading_client": "Zlecenia spoza Twojego pakietu"},
}


class Texts:
    """One language's wording and formats, as templates call them: t('key', name=value), t.hours(x)..."""

    def __init__(self, language: str, address: str = "formal") -> None:
        self.language, self._locale = language, LOCALES[language]
        self._strings = {**STRINGS[language], **(INFORMAL[language] if address == "informal" else {})}
        self.colon = "\u00a0: " if language == "fr" else ": "  # between a label and its value

    def __call__(self, key: str, **values: object) -> str:
        return self.typeset(self._strings[key]).format(**values)

    def typeset(self, text: str) -> str:
        """The language's spacing around punctuation (French no-break spaces), before values go in."""
        return typeset(text, self.language)

    def number(self, value: Decimal | float | int) -> str:
        return format_decimal(value, format=_NUMBER, locale=self._locale)

    def hours(self, value: Decimal | float | None) -> str:
        return "" if value is None else self._in_hours(self.number(value))

    def money(self, amount: Decimal, currency: str) -> str:
        return money(amount, currency, self.language)

    def figure(self, value: Decimal, kind: str, currency: str = "") -> str:
        """A figure of kind 'hours', 'money' or 'count'."""
        if kind == "hours":
            return self.hours(value)
        return self.money(value, currency) if kind == "money" else self.number(value)

    def signed(self, value: Decimal, kind: str, currency: str = "") -> str:
        """A change: '+6.5 h', '-$45.00', '+2', or '0'."""
        if not value:
            return "0"
        sign = "+" if value > 0 else "-"
        if kind == "money":
            return sign + self.money(abs(value), currency)
        text = format_decimal(value, format=_SIGNED, locale=self._locale)
        return self._in_hours(text) if kind == "hours" else text

    def day(self, value: date) -> str:
        """'November 27', '27 novembre', '27 de noviembre', '27 listopada'."""
        return format_skeleton("MMMMd", value, locale=self._locale)

    def short_day(self, value: date) -> str:
        """'Nov 27', '27 nov.', '27 nov', '27 lis' (chart ticks)."""
        return format_skeleton("MMMd", value, locale=self._locale)

    def moment(self, value: datetime) -> str:
        """A local date and time: 'Nov 22, 2026, 11:59 PM', '22 listopada 2026, 23:59'."""
        pattern = str(get_datetime_format("medium", locale=self._locale)).replace("'", "")
        day = format_skeleton("yMMMMd", value, locale=self._locale)
        return pattern.replace("{1}", day).replace("{0}", format_time(value, "short", locale=self._locale))

    def period(self, period: ContractPeriod, kind: str) -> str:
        """'November 2026' for a month, 'Nov 16 – 22, 2026' for a week."""
        if kind == "month":
            return format_skeleton("yMMMM", period.start, locale=self._locale)
        return self.days(period.start, period.end)

    def plain_days(self, first: date, last: date) -> str:
        """'23–29 November 2026', '30 novembre – 6 décembre 2026', '23–29 de noviembre de 2026'."""
        months = get_month_names("wide", "format", self._locale)
        of = " de " if self.language == "es" else " "

        def day(d: date, month: bool, year: bool) -> str:
            text = f"{d.day}{of}{months[d.month]}" if month else str(d.day)
            return f"{text}{of}{d.year}" if year else text

        if first.year != last.year:
            return f"{day(first, True, True)} – {day(last, True, True)}"
        if first.month != last.month:
            return f"{day(first, True, False)} – {day(last, True, True)}"
        return f"{day(first, False, False)}–{day(last, True, True)}"

    def plain_period(self, period: ContractPeriod, kind: str) -> str:
        """'November 2026' for a month, '23–29 November 2026' for a week: no ISO week numbers."""
        return format_skeleton("yMMMM", period.start, locale=self._locale) if kind == "month" \
            else self.plain_days(period.start, period.end)

    def zone(self, name: str) -> str:
        """'Paris time', 'heure de Paris', 'hora de París', 'czas: Paryż'; 'UTC' stays 'UTC'."""
        if name in ("UTC", "Etc/UTC", "GMT", "Etc/GMT") or "/" not in name:
            return name
        city = get_timezone_location(name, locale=self._locale, return_city=True)
        return self("timezone_city", city=city)

    def days(self, first: date, last: date) -> str:
        """'Nov 16 – 22, 2026', '16–22 nov. 2026'..."""
        return format_interval(first, last, "yMMMd", locale=self._locale)

    def _in_hours(self, number: str) -> str:
        return f"{number}\u00a0{self._strings['hours_unit']}"  # never split from its number


@cache
def texts(language: str, address: str = "formal") -> Texts:
    return Texts(language, address)
