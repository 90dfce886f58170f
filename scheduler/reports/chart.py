"""The burn-up chart as a PNG (email clients block SVG): hours used against time elapsed in the period."""
from __future__ import annotations

import io
from datetime import timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from scheduler.reports.i18n import Texts
from scheduler.reports.model import BurnUp, days_into

WIDTH_PX, HEIGHT_PX, DPI = 960, 500, 200  # shown 335-600 px wide: sharp on phones, labels still legible
_USED, _LIMIT, _PACE = "#2563eb", "#6b7280", "#dc2626"
_HOUR = 1 / 24  # in days, the x axis' unit


def burnup_png(burnup: BurnUp, t: Texts) -> bytes:
    """The chart of one client's period, labels in the report's language (object API: no pyplot state)."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    length = (burnup.end - burnup.start).days + 1
    now = min(days_into(burnup.start, burnup.as_of), length)
    xs = [0.0] + [days_into(burnup.start, moment) for moment, _ in burnup.points] + [now]
    ys = [0.0] + [float(total) for _, total in burnup.points]
    ys.append(ys[-1])
    used, contracted = ys[-1], float(burnup.contracted)
    at_end = used / now * length if used and now > 0 else 0.0
    axes.step(xs, ys, where="post", color=_USED, linewidth=2, label=t("chart_used"))
    axes.axhline(contracted, color=_LIMIT, linewidth=1, label=t("chart_contracted"))
    if at_end and length - now > _HOUR:  # a period that is over has nothing left to project
        axes.plot([now, length], [used, at_end], color=_PACE, linestyle="--", linewidth=1.5,
                  label=t("chart_projection"))
    crossing = _crossing(xs, ys, contracted, at_end, now)
    if crossing is not None:
        axes.plot([crossing], [contracted], marker="o", color=_PACE)
    ticks = list(range(0, length, 1 if length <= 7 else 7))
    # The month once, then day numbers: 'Nov 16, 17, 18...' stays legible in every language.
    labels = [t.short_day(burnup.start)] + [str((burnup.start + timedelta(days=d)).day) for d in ticks[1:]]
    axes.set_xticks(ticks, labels)
    axes.set_xlim(0, length)
    axes.set_ylim(0, max(contracted, used, at_end) * 1.15)
    axes.set_ylabel(t("hours_unit"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: t.number(round(value, 2))))  # '7,5' in French
    axes.grid(axis="y", color="#e5e7eb")
    axes.spines[["top", "right"]].set_visible(False)
    # Above the plot, where no line can run under it.
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize="small", frameon=False,
                handlelength=1.5, columnspacing=1.2, borderaxespad=0.2)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _crossing(xs: list[float], ys: list[float], contracted: float, at_end: float, now: float) -> float | None:
    """Where the hours reached the contract (a step), or will at this pace (the dashed line), if they do."""
    for x, y in zip(xs, ys):
        if y >= contracted:
            return x
    return contracted / ys[-1] * now if at_end >= contracted else None
