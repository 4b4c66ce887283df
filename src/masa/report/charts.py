"""Bar charts drawn directly as SVG (``trendsvg.bar_svg``), with a text alternative.

The chart's root is one ``role="img"`` with a title and a description listing every value, so
assistive technology announces the chart once; the data table beside it carries the numbers.
Only published values are plotted: a suppressed "c" is never drawn.

Charts are cached in this process by a hash of their content (everything that is drawn, and
the ids), so a second build, another format or a web request with the same figures reuses the
SVG and the PNG Word gets. Until issue 15 the charts were Vega-Lite specs rendered by
vl-convert: about 0.5 s to start its engine and 60-120 ms a chart, over half the HTML build,
and WeasyPrint then spent about 0.4 s drawing Vega's hundreds of SVG nodes (docs/report.md).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from masa.compare.formatting import format_value
from masa.spec import parse_period

from .model import Chart
from .trendsvg import bar_svg

# Chart text size in SVG px: at least 11 px on screen, and charts are placed at 1 px = 0.75 pt
# in print (PDF and Word), so 12 px prints at 9 pt, above the 8 pt floor.
FONT_PX = 12
TITLE_PX = 14
CURRENT = "#1d4f91"  # 8.6:1 on white
PREVIOUS = "#505a5f"  # 7.0:1 on white

AXIS_TITLE = {"count": "Number", "percent": "Per cent", "currency": "Pounds (£)", "days": "Days"}

CACHE_SIZE = 512  # charts kept per process (SVG and PNG each); a report has about a dozen


class _Cache:
    """A small thread-safe LRU map (``masa serve`` builds from several threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
            return None

    def put(self, key: str, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


SVG_CACHE = _Cache(CACHE_SIZE)
PNG_CACHE = _Cache(CACHE_SIZE)


def content_key(*parts) -> str:
    """SHA-256 of the parts as canonical JSON: equal content, equal key."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def make_chart(title: str, rows: list[tuple[str, str, object]], unit: str, *,
               chart_id: str, table_id: str) -> Chart | None:
    """``rows`` are (label, period, published value). None when fewer than two bars can be drawn,
    or when all bars share one label: such a chart would only repeat a one-row table."""
    plotted = [(lab, per, float(v)) for lab, per, v in rows if isinstance(v, (int, float))]
    if len(plotted) < 2 or len({lab for lab, _, _ in plotted}) < 2:
        return None  # one bar, or one row of the table again: the table says it better
    # In time order, by when each period ends, a year after its own last quarter: the newest
    # period (the report's year) is last and gets the current colour.
    periods = sorted({per for _, per, _ in plotted},
                     key=lambda p: (parse_period(p).end, parse_period(p).kind == "year"))
    colours = [PREVIOUS] * (len(periods) - 1) + [CURRENT]
    parts = [f"{lab}, {per}: {format_value(v, unit) if isinstance(v, (int, float)) else _word(v)}"
             for lab, per, v in rows]
    description = f"Bar chart of {title}. " + "; ".join(parts) + ". The figures are also in the table above."
    domain = (0.0, 100.0) if unit == "percent" and all(0 <= v <= 100 for _, _, v in plotted) else None
    key = content_key("bar", title, description, plotted, periods, colours, unit, chart_id, domain)
    svg = SVG_CACHE.get(key)
    if svg is None:
        svg = bar_svg(title, description, plotted, periods, colours, unit, AXIS_TITLE.get(unit, "Value"),
                      chart_id, domain=domain)
        SVG_CACHE.put(key, svg)
    return Chart(title=title, description=description, table_id=table_id, id=chart_id, svg=svg)


def png_of(svg: str) -> bytes:
    """The chart rasterised at twice its size for Word, cached by the SVG's content."""
    key = hashlib.sha256(svg.encode("utf-8")).hexdigest()
    png = PNG_CACHE.get(key)
    if png is None:
        import vl_convert  # its SVG rasteriser (resvg); the Vega engine is never started

        png = vl_convert.svg_to_png(svg, scale=2)
        PNG_CACHE.put(key, png)
    return png


def _word(v: object) -> str:
    return "suppressed (c), not plotted" if v == "c" else "not recorded"
