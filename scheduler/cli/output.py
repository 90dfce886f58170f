"""Findings for people: a table, the totals and the comments that would be posted."""
from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from rules.comments import money
from rules.findings import ScanResult

_VERDICT_STYLE = {"in_scope": "green", "out_of_scope": "red", "needs_review": "yellow"}


def print_table(result: ScanResult, console: Console, language: str = "en") -> None:
    """Render one client's findings."""
    h = result.hours
    table = Table(title=f"{result.client} — {result.period.start} to {result.period.end}", expand=False)
    table.add_column("Card", min_width=24, ratio=3, overflow="fold")
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Service / category", ratio=1, overflow="fold")
    table.add_column("Response", ratio=1, overflow="fold")
    table.add_column("Hours", justify="right", no_wrap=True)
    table.add_column("Flags", ratio=1, overflow="fold")
    for f in result.findings:
        response = f.response.replace("_", " ") if f.response != "none" else "—"
        if f.extra_amount:
            response += f" {_hours(f.extra_hours)} = {money(f.extra_amount, h.currency, language)}"
        table.add_row(
            f.title, f"[{_VERDICT_STYLE.get(f.verdict, '')}]{f.verdict.replace('_', ' ')}[/]",
            f.service or f.category or "—", response, _hours(f.hours), ", ".join(f.flags).replace("_", " "),
        )
    console.print(table)
    console.print(
        f"Hours this period: {_hours(h.used)} used of {_hours(h.contracted)} contracted; "
        f"extra {_hours(h.extra)} = [bold]{money(h.extra_amount, h.currency, language)}[/] to bill.")
    to_post = [f for f in result.findings if f.comment]
    if to_post:
        console.print(f"\n[bold]{len(to_post)} comment(s) ScopeKeeper would post:[/]")
        for f in to_post:
            console.print(f"\n[bold]{f.title}[/] [dim]{f.url}[/]", highlight=False)
            console.print(f.comment, highlight=False, markup=False)
    review = [f for f in result.findings if f.verdict == "needs_review"]
    if review:
        console.print(f"\n[yellow]{len(review)} card(s) need your review[/] (no comment is posted for them): "
                      + "; ".join(f.title for f in review), highlight=False)


def _hours(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f} h"
