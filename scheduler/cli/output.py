"""Findings for people: a table per contract period, the totals and the comments that would be posted."""
from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from rich.console import Console
from rich.table import Table

from rules.comments import money
from rules.findings import Finding, ScanResult, Verdict
from rules.periods import ContractPeriod
from scheduler.cli.titles import shown_title

_VERDICT_STYLE: dict[Verdict, str] = {"in_scope": "green", "out_of_scope": "red", "needs_review": "yellow"}
DISCOUNT_RULE = ("A discount request is the one flag answered on the card (the polite reply to decline it); "
                 "everything else about such a card is yours to answer.")


def print_table(result: ScanResult, console: Console, language: str = "en") -> None:
    """Render one client's findings: one table per contract period, newest first, money in `language`."""
    h = result.hours
    by_period = groupby(sorted(result.findings, key=lambda f: f.period, reverse=True), key=lambda f: f.period)
    for period, findings in by_period:
        console.print(_table(result.client, period, list(findings), h.currency, language, current=period == result.period))
    console.print(
        f"Hours in {period_label(result.period)}: {_hours(h.used)} used of {_hours(h.contracted)} contracted; "
        f"extra {_hours(h.extra)} = [bold]{money(h.extra_amount, h.currency, language)}[/] to bill.", highlight=False)
    to_post = [f for f in result.findings if f.comment]
    if to_post:
        console.print(f"\n[bold]{len(to_post)} comment(s) ScopeKeeper would post:[/]")
        for f in to_post:
            console.print(f"\n[bold]{shown_title(f.title)}[/] [dim]{f.url}[/]", highlight=False)
            console.print(f.comment, highlight=False, markup=False)
    review = [f for f in result.findings if f.verdict == "needs_review"]
    if review:
        console.print(f"\n[yellow]{len(review)} card(s) need your review[/] (no scope comment is posted for them): "
                      + "; ".join(shown_title(f.title) for f in review), highlight=False)
        if any("discount_request" in f.flags for f in review):
            console.print(DISCOUNT_RULE, highlight=False)


def period_label(period: ContractPeriod) -> str:
    """'November 2026', or 'the week of 16–22 November 2026'."""
    if "-W" not in period.key:
        return f"{period.start:%B %Y}"
    start = f"{period.start.day}" if period.start.month == period.end.month else f"{period.start.day} {period.start:%B}"
    return f"the week of {start}–{period.end.day} {period.end:%B %Y}"


def _table(client: str, period: ContractPeriod, findings: list[Finding], currency: str, language: str, *,
           current: bool) -> Table:
    """Four columns that fit 80: words wrap, never cut; a word longer than its column folds."""
    label = period_label(period)
    table = Table(title=f"{client} — {label}" + (" (current)" if current else ""), expand=False,
                  title_justify="left")
    table.add_column("Card", min_width=16, ratio=3, overflow="fold")
    table.add_column("Decision", min_width=14, ratio=2, overflow="fold")
    table.add_column("Hours", justify="right", no_wrap=True)
    table.add_column("Flags", min_width=9, ratio=1, overflow="fold")
    for f in findings:
        decision = f"[{_VERDICT_STYLE.get(f.verdict, '')}]{f.verdict.replace('_', ' ')}[/]"
        if f.service or f.category:
            decision += f"\n{f.service or f.category}"
        if f.response != "none":
            decision += "\n→ " + f.response.replace("_", " ")
        if f.extra_amount:
            decision += f" {_hours(f.extra_hours)} = {money(f.extra_amount, currency, language)}"
        table.add_row(shown_title(f.title), decision, _hours(f.hours), "\n".join(flag.replace("_", " ") for flag in f.flags))
    return table


def _hours(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f} h"
