"""What the HTML and Markdown templates show, worded once for both."""
from __future__ import annotations

import re
from typing import Any

from scheduler.reports.evidence import translate
from scheduler.reports.i18n import Texts, texts
from scheduler.reports.model import VA, CardLine, ClientReport, PracticeReport


def client_view(r: ClientReport) -> dict[str, Any]:
    """Template context of one client's report."""
    t = texts(r.language, r.address)
    va = r.audience == VA
    runs_out = r.burnup.runs_out
    if runs_out is None:
        runs_out_label, runs_out_text = t("runs_out"), t("runs_out_never")
    elif r.burnup.ran_out:
        runs_out_label, runs_out_text = t("ran_out"), t("ran_out_on", date=t.day(runs_out))
    else:
        runs_out_label, runs_out_text = t("runs_out"), t("runs_out_on", date=t.day(runs_out))
    return {
        "t": t, "r": r, "week": r.week, "va": va,
        "title": t("report_title" if va else "client_title", client=r.client),
        # The VA plans by ISO week; a client reads plain dates.
        "week_line": (f"{t('week', week=r.week.key)} · " if va else "") + t.plain_days(r.week.monday, r.week.sunday),
        "period": t.plain_period(r.period, r.period_kind),
        "previous_period": t.plain_period(r.previous_period, r.period_kind),
        "zone": t.zone(r.timezone),
        "runs_out_label": runs_out_label,
        "runs_out": runs_out_text,
        "chart_alt": t("chart_alt", used=t.hours(r.used), contracted=t.hours(r.contracted), runs_out=runs_out_text),
        "evidence": lambda line: _evidence(line, t),
        "footer": _footer(t, r) if not va else t("footer", week=r.week.key),
    }


def practice_view(p: PracticeReport) -> dict[str, Any]:
    """Template context of the practice summary."""
    t = texts(p.language)
    if p.room is None:
        verdict = t("no_capacity")
    elif p.room > 0:
        verdict = t("room", hours=t.hours(p.room))
    elif p.room == 0:
        verdict = t("full")
    else:
        verdict = t("overbooked", hours=t.hours(-p.room))
    invoice = [(c.client, t.money(c.extra_amount, c.currency), False) for c in p.clients]
    invoice += [(f"{t('total')} ({currency})", t.money(amount, currency), True)
                for currency, amount in p.invoice_totals]
    return {
        "t": t, "r": p, "week": p.week, "title": t("practice_title"),
        "week_line": f"{t('week', week=p.week.key)} · {t.plain_days(p.week.monday, p.week.sunday)}",
        "capacity_verdict": verdict,
        "periods": [t.plain_period(c.period, c.period_kind) for c in p.clients],
        "invoice_rows": invoice,
        "flag_rows": [(c.client, t.number(c.flag_count), False) for c in p.most_flagged],
        "footer": t("footer", week=p.week.key),
    }


def _evidence(line: CardLine, t: Texts) -> str:
    return " · ".join(translate(e, t) for e in line.evidence)


def _footer(t: Texts, r: ClientReport) -> str:
    """The VA's name and contact under a report she forwards; nothing about the tool she uses."""
    parts = [t("prepared_by", name=r.va_name)] if r.va_name else []
    if r.va_contact:  # a phone number stays on one line: '+48 600 100 200'
        parts.append(re.sub(r"(?<=[\d+]) (?=\d)", "\u00a0", r.va_contact))
    return " · ".join(parts)
