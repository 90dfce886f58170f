"""Markdown reports, and the same text unescaped as the plain-text part of report emails."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scheduler.reports.html import TEMPLATES
from scheduler.reports.model import CardLine, ClientReport, PracticeReport
from scheduler.reports.views import client_view, practice_view

# Characters that would turn a client's card title into Markdown formatting, links or table cells.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


class _Verbatim(str):
    """Markdown built on purpose from escaped parts (a card's link): not escaped again."""


def client_markdown(report: ClientReport, chart_src: str | None = None, *, plain: bool = False) -> str:
    """One client's report; `chart_src` is the chart's file name beside it (none in a plain-text email)."""
    return _env(plain).get_template("client.md.j2").render(chart_src=chart_src, **client_view(report))


def practice_markdown(report: PracticeReport, *, plain: bool = False) -> str:
    return _env(plain).get_template("practice.md.j2").render(**practice_view(report))


def _escape(value: object) -> object:
    if value is None or isinstance(value, _Verbatim):
        return value
    return _SPECIAL.sub(r"\\\1", str(value))


def _card(line: CardLine, escape: Callable[[object], object]) -> _Verbatim:
    """The card's title, linked to the card; the target percent-encoded so it cannot end the link early."""
    if not line.url:
        return _Verbatim(escape(line.title))
    return _Verbatim(f"[{escape(line.title)}]({quote(line.url, safe=':/?#[]@!$&*+,;=%~')})")


@lru_cache(maxsize=2)
def _env(plain: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      finalize=None if plain else _escape)
    env.filters["card"] = partial(_card, escape=str if plain else _escape)
    return env
