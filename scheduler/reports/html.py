"""Self-contained HTML reports: table layout and inline styles, as email clients need; no scripts."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from scheduler.reports.chart import burnup_rows, burnup_svg
from scheduler.reports.model import ClientReport, PracticeReport
from scheduler.reports.views import client_view, practice_view

TEMPLATES = Path(__file__).with_name("templates")
_FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"

# Inline styles: Gmail and Outlook drop or ignore <style> blocks, so every element carries its own.
STYLES = {
    "sheet": "max-width:640px;background:#ffffff;border-radius:8px;",
    "body": f"padding:20px 14px;font-family:{_FONT};font-size:15px;line-height:1.45;color:#111827;",
    "h1": "margin:0 0 6px;font-size:21px;line-height:1.25;font-weight:700;color:#111827;",
    "h2": "margin:26px 0 8px;padding-bottom:4px;border-bottom:1px solid #e5e7eb;font-size:17px;font-weight:700;"
          "color:#111827;",
    "sub": "margin:0 0 4px;font-size:14px;color:#374151;",
    "text": "margin:12px 0 0;",
    "muted": "margin:6px 0;font-size:13px;color:#6b7280;",
    "table": "border-collapse:collapse;",
    "label": "padding:7px 8px 7px 0;border-bottom:1px solid #f3f4f6;font-size:14px;color:#374151;",
    "value": "padding:7px 0 7px 8px;border-bottom:1px solid #f3f4f6;font-size:14px;white-space:nowrap;",
    "strong": "padding:7px 0 7px 8px;border-bottom:1px solid #f3f4f6;font-size:15px;font-weight:700;"
              "white-space:nowrap;",
    # Four columns of money on a phone (e.g. '+180,00 $US'): smaller, tighter, the label free to break.
    "compare_label": "padding:7px 4px 7px 0;border-bottom:1px solid #f3f4f6;font-size:13px;color:#374151;"
                     "overflow-wrap:anywhere;hyphens:auto;",
    "compare": "padding:7px 0 7px 5px;border-bottom:1px solid #f3f4f6;font-size:13px;white-space:nowrap;",
    "th": "padding:6px 0 6px 8px;border-bottom:1px solid #e5e7eb;font-size:12px;color:#6b7280;font-weight:600;",
    "item": "padding:9px 0;border-bottom:1px solid #f3f4f6;word-break:break-word;overflow-wrap:anywhere;",
    "link": "color:#1d4ed8;font-weight:600;text-decoration:none;word-break:break-word;overflow-wrap:anywhere;",
    "card": "font-weight:600;",
    "meta": "margin-top:2px;font-size:13px;color:#4b5563;",
    "pill": "display:inline-block;margin:2px 4px 2px 0;padding:1px 8px;border-radius:10px;background:#fee2e2;"
            "color:#991b1b;font-size:12px;",
    "evidence": "margin-top:3px;font-size:12px;color:#6b7280;",
    "verdict": "margin:10px 0 0;padding:8px 10px;border-radius:6px;background:#ecfdf5;color:#065f46;font-size:14px;",
    "verdict_bad": "margin:10px 0 0;padding:8px 10px;border-radius:6px;background:#fef2f2;color:#991b1b;"
                   "font-size:14px;",
    "footer": "margin:28px 0 0;font-size:12px;color:#9ca3af;",
    "section": "margin:36px 0 6px;padding-top:18px;border-top:3px solid #e5e7eb;font-size:20px;line-height:1.25;"
               "font-weight:700;color:#111827;",
}


def client_chart(report: ClientReport) -> str:
    """The burn-up chart as SVG, its text alternative in the report's words."""
    view = client_view(report)
    return burnup_svg(report.burnup, view["t"], view["chart_alt"])


def client_html(report: ClientReport, chart_svg: str) -> str:
    """One client's report, the chart inline; its table follows, for email clients that drop SVG (Gmail, Outlook)."""
    return _env().get_template("client.html.j2").render(s=STYLES, **_client_context(report, chart_svg))


def practice_html(report: PracticeReport) -> str:
    return _env().get_template("practice.html.j2").render(s=STYLES, **practice_view(report))


def client_section_html(report: ClientReport, chart_svg: str) -> str:
    """One client's report without its page: a section of the VA's weekly digest."""
    return _env().get_template("client_body.html.j2").render(s=STYLES, **_client_context(report, chart_svg))


def digest_html(practice: PracticeReport, sections: Sequence[tuple[str, str]]) -> str:
    """The practice summary, then each client's section (title, HTML) in one page."""
    return _env().get_template("digest.html.j2").render(s=STYLES, sections=sections, **practice_view(practice))


def _client_context(report: ClientReport, chart_svg: str) -> dict:
    view = client_view(report)
    return {**view, "chart": Markup(chart_svg), "chart_rows": burnup_rows(report.burnup, view["t"])}


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)
