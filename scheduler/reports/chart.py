"""The burn-up chart as inline SVG, and its figures as table rows for the email clients that drop SVG."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from html import escape

from scheduler.reports.i18n import Texts
from scheduler.reports.model import BurnUp, days_into

WIDTH, HEIGHT = 600, 300  # shown 335-600 px wide; the viewBox scales it, text included
_LEFT, _RIGHT, _TOP, _BOTTOM = 42, 16, 40, 28  # y labels left, the legend above, x labels below
_USED, _LIMIT, _PACE, _GRID, _INK = "#2563eb", "#6b7280", "#dc2626", "#e5e7eb", "#374151"
_FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_HOUR = 1 / 24  # in days, the x axis' unit
_STYLE = "display:block;width:100%;max-width:600px;height:auto;border:0;"


@dataclass(frozen=True, slots=True)
class _Series:
    """The chart's data in days and hours: the step line of hours used, the contract and the pace."""

    length: int
    now: float
    xs: list[float]
    ys: list[float]
    contracted: float
    at_end: float  # hours at the period's end at this pace; 0 when there is no pace yet

    @property
    def projected(self) -> bool:
        return bool(self.at_end) and self.length - self.now > _HOUR  # a period that is over projects nothing

    def used_at(self, day: float) -> float:
        return max((y for x, y in zip(self.xs, self.ys, strict=True) if x <= day), default=0.0)

    def ticks(self) -> list[int]:
        return list(range(0, self.length, 1 if self.length <= 7 else 7))


def _series(burnup: BurnUp) -> _Series:
    length = (burnup.end - burnup.start).days + 1
    now = min(days_into(burnup.start, burnup.as_of), length)
    xs = [0.0] + [days_into(burnup.start, moment) for moment, _ in burnup.points] + [now]
    ys = [0.0] + [float(total) for _, total in burnup.points]
    ys.append(ys[-1])
    at_end = ys[-1] / now * length if ys[-1] and now > 0 else 0.0
    return _Series(length, now, xs, ys, float(burnup.contracted), at_end)


def burnup_svg(burnup: BurnUp, t: Texts, title: str) -> str:
    """The chart of one client's period, labels in the report's language; `title` is its text alternative."""
    s = _series(burnup)
    top = max(s.contracted, s.ys[-1], s.at_end) * 1.15 or 1.0
    step = _nice_step(top)
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM

    def x(day: float) -> str:
        return f"{_LEFT + day / s.length * plot_w:.1f}"

    def y(hours: float) -> str:
        return f"{_TOP + plot_h - hours / top * plot_h:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-label="{escape(title)}" style="{_STYLE}" font-family="{_FONT}" '
             f'font-size="14" fill="{_INK}"><title>{escape(title)}</title>']
    for level in (i * step for i in range(int(top // step) + 1)):  # '7,5' in French
        parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(level)}" y2="{y(level)}" stroke="{_GRID}"/>'
                     f'<text x="{_LEFT - 6}" y="{y(level)}" dy="4" text-anchor="end">{t.number(round(level, 2))}</text>')
    ticks = s.ticks()
    # The month once, then day numbers: 'Nov 16, 17, 18...' stays legible in every language.
    labels = [t.short_day(burnup.start)] + [str((burnup.start + timedelta(days=d)).day) for d in ticks[1:]]
    for i, (day, label) in enumerate(zip(ticks, labels, strict=True)):
        parts.append(f'<text x="{x(day)}" y="{HEIGHT - 8}" text-anchor="{"start" if i == 0 else "middle"}">'
                     f'{escape(label)}</text>')
    parts.append(f'<line x1="{_LEFT}" x2="{WIDTH - _RIGHT}" y1="{y(s.contracted)}" y2="{y(s.contracted)}" '
                 f'stroke="{_LIMIT}" stroke-width="1.5"/>')
    path = f"M{x(s.xs[0])} {y(s.ys[0])}" + "".join(f"H{x(px)}V{y(py)}" for px, py in zip(s.xs[1:], s.ys[1:], strict=True))
    parts.append(f'<path d="{path}" fill="none" stroke="{_USED}" stroke-width="2.5"/>')
    if s.projected:
        parts.append(f'<line x1="{x(s.now)}" y1="{y(s.ys[-1])}" x2="{x(s.length)}" y2="{y(s.at_end)}" '
                     f'stroke="{_PACE}" stroke-width="2" stroke-dasharray="6 4"/>')
    crossing = _crossing(s)
    if crossing is not None:
        parts.append(f'<circle cx="{x(crossing)}" cy="{y(s.contracted)}" r="4.5" fill="{_PACE}"/>')
    parts.append(_legend(t, s.projected))
    parts.append("</svg>")
    return "".join(parts)


def burnup_rows(burnup: BurnUp, t: Texts) -> list[tuple[str, str, bool]]:
    """Hours used by the end of each week so far (each day of a weekly period), today's, and the pace's."""
    s = _series(burnup)
    rows = [(t.short_day(burnup.start + timedelta(days=day - 1)), t.hours(s.used_at(day)), False)
            for day in [*s.ticks()[1:], s.length] if day < s.now]
    rows.append((t.short_day(burnup.as_of.date()), t.hours(s.ys[-1]), True))
    if s.projected:
        rows.append((f"{t('chart_projection')} · {t.short_day(burnup.end)}", t.hours(round(s.at_end, 1)), False))
    return rows


def _legend(t: Texts, projected: bool) -> str:
    """Above the plot, where no line runs under it; each entry's width estimated from its text."""
    entries = [(t("chart_used"), _USED, ""), (t("chart_contracted"), _LIMIT, "")]
    if projected:
        entries.append((t("chart_projection"), _PACE, ' stroke-dasharray="6 4"'))
    parts, left = [], float(_LEFT)
    for label, colour, dash in entries:
        parts.append(f'<line x1="{left:.1f}" x2="{left + 20:.1f}" y1="15" y2="15" stroke="{colour}" '
                     f'stroke-width="2.5"{dash}/><text x="{left + 26:.1f}" y="20">{escape(label)}</text>')
        left += 26 + len(label) * 7.7 + 18
    return "".join(parts)


def _nice_step(top: float) -> float:
    """A round grid step (1, 2, 5, 10, 20, 25, 50...) giving at most six lines."""
    magnitude = 1.0
    while True:
        for factor in (1, 2, 2.5, 5):
            if top / (factor * magnitude) <= 6:
                return factor * magnitude
        magnitude *= 10


def _crossing(s: _Series) -> float | None:
    """Where the hours reached the contract (a step), or will at this pace (the dashed line), if they do."""
    for px, py in zip(s.xs, s.ys, strict=True):
        if py >= s.contracted:
            return px
    return s.contracted / s.ys[-1] * s.now if s.at_end >= s.contracted else None
