"""A small trend chart as inline SVG, drawn directly: a dashboard has dozens of them, and one
Vega render each would take seconds. The chart is decoration for sighted readers; its text
alternative (``<title>`` and ``aria-label``) and the data table beside it carry the figures.
A suppressed or missing point is a gap, never a guess."""

from __future__ import annotations

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
