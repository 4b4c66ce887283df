"""Bar charts: Vega-Lite specs (as Altair would write them) rendered to SVG by vl-convert, with a text alternative.

Vega's own ARIA output is switched off and replaced by one ``role="img"`` with a title and
description, so assistive technology announces the chart once; the data table beside it
carries the numbers. Only published values are plotted: a suppressed "c" is never drawn.
"""

from __future__ import annotations

import html
import re
from concurrent.futures import ThreadPoolExecutor

from masa.compare.formatting import format_value
from masa.spec import parse_period

from .model import Chart

# Chart text size in SVG px: at least 11 px on screen, and charts are placed at 1 px = 0.75 pt
# in print (PDF and Word), so 12 px prints at 9 pt, above the 8 pt floor.
FONT_PX = 12
TITLE_PX = 14
CURRENT = "#1d4f91"  # 8.6:1 on white
PREVIOUS = "#505a5f"  # 7.0:1 on white
# vl-convert renders outside the GIL, so charts draw in parallel with each other and with
# the rest of the build; its one-off start-up (about half a second) overlaps too.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="chart")


def warm_up() -> None:
    """Start vl-convert's engine in the background before the first chart is needed."""
    _POOL.submit(_render_svg, {"data": {"values": [{"v": 1}]}, "mark": "bar",
                               "encoding": {"x": {"field": "v", "type": "quantitative"}}})


def _render_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


AXIS_TITLE = {"count": "Number", "percent": "Per cent", "currency": "Pounds (£)", "days": "Days"}


def make_chart(title: str, rows: list[tuple[str, str, object]], unit: str, *,
               chart_id: str, table_id: str) -> Chart | None:
    """``rows`` are (label, period, published value). None when fewer than two bars can be drawn,
    or when all bars share one label: such a chart would only repeat a one-row table."""
    plotted = [{"label": lab, "period": per, "value": float(v)} for lab, per, v in rows
               if isinstance(v, (int, float))]
    if len(plotted) < 2 or len({r["label"] for r in plotted}) < 2:
        return None  # one bar, or one row of the table again: the table says it better
    # In time order, by when each period ends, a year after its own last quarter: the newest
    # period (the report's year) is last and gets the current colour.
    periods = sorted({r["period"] for r in plotted}, key=lambda p: (parse_period(p).end, parse_period(p).kind == "year"))
    labels = list(dict.fromkeys(r["label"] for r in plotted))
    colours = [PREVIOUS] * (len(periods) - 1) + [CURRENT]
    x = {"field": "value", "type": "quantitative", "title": AXIS_TITLE.get(unit, "Value")}
    if unit == "percent":
        x["scale"] = {"domain": [0, 100]}
    encoding = {
        "y": {"field": "label", "type": "nominal", "title": None, "sort": labels, "axis": {"labelLimit": 230}},
        "x": x,
        "color": {"field": "period", "type": "nominal", "title": "Period", "sort": periods,
                  "scale": {"domain": periods, "range": colours}, "legend": {"orient": "bottom"}},
    }
    if len(periods) > 1:
        encoding["yOffset"] = {"field": "period", "type": "nominal", "sort": periods}
    # Plain Vega-Lite (the grammar Altair writes): importing Altair costs more than the charts.
    spec = {
        "data": {"values": plotted}, "mark": "bar", "encoding": encoding, "width": 380, "title": title,
        "config": {"aria": False, "font": "DejaVu Sans, Arial, sans-serif",
                   "axis": {"labelColor": "#0b0c0c", "titleColor": "#0b0c0c",
                            "labelFontSize": FONT_PX, "titleFontSize": FONT_PX},
                   "legend": {"labelColor": "#0b0c0c", "titleColor": "#0b0c0c",
                              "labelFontSize": FONT_PX, "titleFontSize": FONT_PX},
                   "title": {"color": "#0b0c0c", "anchor": "start", "fontSize": TITLE_PX, "limit": 600}},
    }
    parts = [f"{lab}, {per}: {format_value(v, unit) if isinstance(v, (int, float)) else _word(v)}"
             for lab, per, v in rows]
    description = f"Bar chart of {title}. " + "; ".join(parts) + ". The figures are also in the table above."
    pending = _POOL.submit(lambda: _accessible(_render_svg(spec), chart_id, title, description))
    return Chart(title=title, description=description, pending=pending, table_id=table_id, id=chart_id)


def _word(v: object) -> str:
    return "suppressed (c), not plotted" if v == "c" else "not recorded"


def _accessible(svg: str, chart_id: str, title: str, description: str) -> str:
    """Make ids unique per chart and give the root one role, title and description."""
    svg = re.sub(r'\s(role|aria-roledescription|aria-label)="[^"]*"', "", svg)  # Vega's own, per mark
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
    svg = re.sub(r'(xlink:)?href="#([^"]+)"', lambda m: f'{m.group(1) or ""}href="#{chart_id}-{m.group(2)}"', svg)
    head = (f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" ')
    svg = svg.replace("<svg ", head, 1)
    close = svg.index(">", svg.index("<svg")) + 1
    inner = (f'<title id="{chart_id}-title">{html.escape(title)}</title>'
             f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>')
    return svg[:close] + inner + svg[close:]
