"""Charts as inline SVG, drawn directly: the dataset page's small trend lines (``trend_svg``)
and the report's bar charts (``bar_svg``). A dashboard has dozens of charts and a report a
dozen; one Vega render each took 60-120 ms plus half a second to start the engine, and
WeasyPrint drew Vega's hundreds of SVG nodes slowly. A chart is decoration for sighted
readers; its text alternative (``<title>``, ``<desc>``) and the data table beside it carry the
figures. A suppressed or missing value is a gap, never a guess, and is never drawn.
"""

from __future__ import annotations

import math
from html import escape

from masa.compare.formatting import format_value

W, H, PAD = 220, 70, 8


def trend_svg(series, indicator, chart_id: str, label: str) -> str:
    """The SVG for one series (``masa.compare.trends.Series``), or "" with fewer than two numbers."""
    pts = [(i, p.value) for i, p in enumerate(series.points) if isinstance(p.value, (int, float))]
    if len(pts) < 2:
        return ""
    values = [v for _, v in pts]
    target = indicator.target.value if indicator.target else None
    lo = min(values + ([target] if target is not None else []))
    hi = max(values + ([target] if target is not None else []))
    if hi == lo:
        hi, lo = hi + 1, lo - 1
    n = max(len(series.points) - 1, 1)

    def x(i):
        return PAD + (W - 2 * PAD) * i / n

    def y(v):
        return H - PAD - (H - 2 * PAD) * (v - lo) / (hi - lo)

    alt = f"{label}: " + ", ".join(f"{p.period} {_shown(p.value, indicator.unit)}" for p in series.points)
    if indicator.target:
        word = "at least" if indicator.target.direction == "at_least" else "at most"
        alt += f"; target {word} {format_value(target, indicator.unit)}"
    parts = [(f'<svg class="masa-trend" id="{escape(chart_id)}" role="img" aria-label="{escape(alt)}" '
              f'viewBox="0 0 {W} {H}" width="{W}" height="{H}" xmlns="http://www.w3.org/2000/svg">'),
             f"<title>{escape(alt)}</title>"]
    if target is not None:
        parts.append(f'<line class="masa-trend__target" x1="{PAD}" x2="{W - PAD}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" stroke="#505a5f" stroke-dasharray="4 3"/>')
    run: list[str] = []
    prev = None
    for i, v in pts:  # a gap (suppressed or missing point) breaks the line
        if prev is not None and i != prev + 1 and len(run) > 1:
            parts.append(_path(run))
            run = []
        elif prev is not None and i != prev + 1:
            run = []
        run.append(f"{x(i):.1f},{y(v):.1f}")
        prev = i
    if len(run) > 1:
        parts.append(_path(run))
    for i, v in pts:
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#1d70b8"/>')
    parts.append("</svg>")
    return "".join(parts)


def _path(points: list[str]) -> str:
    return f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{" ".join(points)}"/>'


def _shown(v, unit: str) -> str:
    if v == "c":
        return "c (suppressed)"
    if v is None:
        return "not recorded"
    return format_value(v, unit)


# --- bar charts (the report) -----------------------------------------------------------------

FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#0b0c0c"
AXIS = "#505a5f"
GRID = "#dddddd"
BAR_FONT_PX = 12  # at least 11 px on screen; placed at 1 px = 0.75 pt in print, so 9 pt
BAR_TITLE_PX = 14
PLOT_W = 380  # the bars' width, as the Vega charts had
LABEL_MAX_W = 230  # the row labels' column; longer labels wrap onto more lines
BAR_H, BAR_GAP, GROUP_GAP = 16, 2, 10
LINE_H = 15


def text_width(text: str, px: float = BAR_FONT_PX) -> float:
    """A safe estimate of DejaVu Sans's width for ``text`` (it is a wide face: about 0.62 em)."""
    return sum((0.35 if c in " .,:;!|il'()[]" else 0.8 if c.isupper() or c in "mwMW%£" else 0.62)
               for c in text) * px


def wrap(text: str, width: float, px: float = BAR_FONT_PX) -> list[str]:
    """``text`` in lines no wider than ``width`` where a space allows."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, px) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def nice_ticks(hi: float, lo: float = 0.0, count: int = 5) -> list[float]:
    """Round tick values from ``lo`` to at least ``hi`` (steps of 1, 2, 2.5 or 5 x 10^n)."""
    span = (hi - lo) or 1.0
    raw = span / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t < hi + step * 0.999:
        ticks.append(round(t, 10))
        if t >= hi:
            break
        t += step
    return ticks


def bar_svg(title: str, description: str, bars: list[tuple[str, str, float]], periods: list[str],
            colours: list[str], unit: str, axis_title: str, chart_id: str,
            domain: tuple[float, float] | None = None) -> str:
    """A horizontal bar chart: one group of bars per label, one bar per period in ``periods``
    order (``colours`` alike), the value written at the end of each bar, an axis with round
    ticks, and a legend of the periods. ``bars`` are (label, period, value), numbers only: the
    caller leaves out what is suppressed or not recorded. The root is one ``role="img"`` with a
    ``<title>`` and ``<desc>`` (``description`` lists every value); ids start with ``chart_id``."""
    cid = escape(chart_id)
    labels = list(dict.fromkeys(lab for lab, _, _ in bars))
    values = {(lab, per): v for lab, per, v in bars}
    nums = [v for _, _, v in bars]
    lo, hi = domain if domain else (min(0.0, min(nums)), max(0.0, max(nums)))
    if hi <= lo:  # every value 0: an axis from 0 to 1, the bars at nothing
        hi = lo + 1.0
    ticks = nice_ticks(hi, lo) if not domain else nice_ticks(domain[1], domain[0])
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    wrapped = {lab: wrap(lab, LABEL_MAX_W) for lab in labels}
    label_w = min(LABEL_MAX_W, max(text_width(line) for ls in wrapped.values() for line in ls)) + 8
    shown = {k: format_value(v, unit) for k, v in values.items()}
    value_room = max(text_width(t) for t in shown.values()) + 8
    left = 4 + label_w
    width = round(left + PLOT_W + value_room + 4)
    title_lines = wrap(title, width - 8, BAR_TITLE_PX)
    top = 8 + len(title_lines) * (BAR_TITLE_PX + 4) + 12

    def x(v: float) -> float:
        return left + PLOT_W * (v - lo) / (hi - lo)

    body: list[str] = []
    y = top
    for lab in labels:
        n_bars = len(periods)
        group_h = max(n_bars * BAR_H + (n_bars - 1) * BAR_GAP, len(wrapped[lab]) * LINE_H)
        lines = wrapped[lab]
        first = y + group_h / 2 - (len(lines) - 1) * LINE_H / 2 + 4
        body.append(f'<text x="{left - 6:.1f}" y="{first:.1f}" text-anchor="end">'
                    + "".join(f'<tspan x="{left - 6:.1f}" dy="{0 if i == 0 else LINE_H}">{escape(line)}</tspan>'
                              for i, line in enumerate(lines)) + "</text>")
        bar_top = y + (group_h - (n_bars * BAR_H + (n_bars - 1) * BAR_GAP)) / 2
        for i, (per, colour) in enumerate(zip(periods, colours)):
            by = bar_top + i * (BAR_H + BAR_GAP)
            if (lab, per) not in values:
                continue  # suppressed or not recorded: a gap, never drawn
            v = values[(lab, per)]
            x0, x1 = sorted((x(0.0 if lo <= 0 <= hi else lo), x(v)))
            body.append(f'<rect x="{x0:.1f}" y="{by:.1f}" width="{max(x1 - x0, 0.5):.1f}" height="{BAR_H}" '
                        f'fill="{colour}"/>')
            body.append(f'<text x="{x1 + 4:.1f}" y="{by + BAR_H / 2 + 4:.1f}">{escape(shown[(lab, per)])}</text>')
        y += group_h + GROUP_GAP
    plot_bottom = y - GROUP_GAP + 4
    axis = [(f'<line x1="{left:.1f}" x2="{left + PLOT_W:.1f}" y1="{plot_bottom:.1f}" y2="{plot_bottom:.1f}" '
             f'stroke="{AXIS}"/>')]
    for t in ticks:
        tx = x(t)
        stroke = AXIS if t == 0 or t == ticks[0] else GRID  # the zero line stands out from the grid
        axis.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top - 4:.1f}" y2="{plot_bottom + 4:.1f}" '
                    f'stroke="{stroke}"/>')
        axis.append(f'<text x="{tx:.1f}" y="{plot_bottom + 18:.1f}" text-anchor="middle">{_tick(t)}</text>')
    axis.append(f'<text x="{left + PLOT_W / 2:.1f}" y="{plot_bottom + 36:.1f}" text-anchor="middle" '
                f'font-weight="bold">{escape(axis_title)}</text>')
    ly = plot_bottom + 62
    legend = [f'<text x="{left:.1f}" y="{ly:.1f}" font-weight="bold">Period</text>']
    lx = left
    ly += 8
    for per, colour in zip(periods, colours):
        legend.append(f'<rect x="{lx:.1f}" y="{ly:.1f}" width="12" height="12" fill="{colour}"/>'
                      f'<text x="{lx + 16:.1f}" y="{ly + 11:.1f}">{escape(per)}</text>')
        lx += 16 + text_width(per) + 18
    width = max(width, round(lx))
    height = round(ly + 22)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="masa-bar" role="img" focusable="false" '
            f'aria-labelledby="{cid}-title {cid}-desc" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{BAR_FONT_PX}" fill="{INK}">'
            f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(description)}</desc>')
    heading = "".join(f'<text x="4" y="{8 + BAR_TITLE_PX + i * (BAR_TITLE_PX + 4):.1f}" font-size="{BAR_TITLE_PX}" '
                      f'font-weight="bold">{escape(line)}</text>' for i, line in enumerate(title_lines))
    return head + heading + "".join(axis) + "".join(body) + "".join(legend) + "</svg>"


def _tick(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}".rstrip("0").rstrip(".")
