"""What the HTML and Markdown templates show, worded once for both."""
from __future__ import annotations

from typing import Any

from scheduler.reports.i18n import texts
from scheduler.reports.model import VA, ClientReport, PracticeReport


def client_view(r: ClientReport) -> dict[str, Any]:
    """Template context of one client's report."""
    t = texts(r.language)
    runs_out = r.burnup.runs_out
    if runs_out is None:
        runs_out_text = t("runs_out_never")
    else:
        runs_out_text = t("ran_out_on" if r.burnup.ran_out else "runs_out_on", date=t.day(runs_out))
    return {
        "t": t, "r": r, "week": r.week,
        "title": t("report_title" if r.audience == VA else "client_title", client=r.client),
        "period": t.period(r.period, r.period_kind),
        "previous_period": t.period(r.previous_period, r.period_kind),
        "runs_out": runs_out_text,
        "chart_alt": t("chart_alt", used=t.hours(r.used), contracted=t.hours(r.contracted), runs_out=runs_out_text),
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
        "capacity_verdict": verdict,
        "periods": [t.period(c.period, c.period_kind) for c in p.clients],
        "invoice_rows": invoice,
        "flag_rows": [(c.client, t.number(c.flag_count), False) for c in p.most_flagged],
    }
