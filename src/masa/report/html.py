"""Report model → one self-contained, accessible HTML file (inline CSS, no external loads)."""

from __future__ import annotations

from html import escape
from importlib.resources import files

from . import markdown
from .model import Chart, Heading, Items, Markdown, Paragraph, Report, Section, Table


def page_marking_css(banner: str) -> str:
    """Print the marking at the head and foot of every PDF page (running header and footer)."""
    mark = banner.split(" – unsuppressed")[0].replace('"', "")
    box = f'content: "{mark}"; color: #a3141f; font-weight: bold; font-size: 9pt;'
    return f"@page {{ @top-right {{ {box} }} @bottom-left {{ {box} }} }}"


NUM = ' class="num"'
FLAGGED = ' class="flagged"'


def stylesheet() -> str:
    return files("masa.report").joinpath("style.css").read_text(encoding="utf-8")


def render_html(report: Report) -> str:
    css = stylesheet() + ("\n" + page_marking_css(report.banner) if report.banner else "")
    title = report.title + (" – INTERNAL" if report.internal else " – DRAFT" if report.draft else "")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{report.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f'<meta name="description" content="{escape(_appendix_list(report))}">',
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#main">Skip to main content</a>',
        '<header class="doc-header">',
    ]
    if report.banner:
        out.append(f'<p class="banner-internal" role="note">{escape(report.banner)}</p>')
    out.append(f"<h1>{escape(report.title)}</h1>")
    if report.front:  # before the contents: the first thing a reader sees
        out.append('<div class="status-notice">' + "".join(render_block(b, 2) for b in report.front) + "</div>")
    out += ["</header>", _contents(report), '<main id="main" tabindex="-1">']
    if report.notes:
        out.append('<div class="notes">' + "".join(f"<p>{escape(n)}</p>" for n in report.notes) + "</div>")
    for s in report.sections:
        out += _section(s, 2)
    out += ["</main>", '<footer class="doc-footer">',
            f"<p>{escape(report.partnership_name)}, {escape(report.period)}. Built by masa from partner returns.</p>",
            "</footer>", "</body>", "</html>"]
    return "\n".join(out)


def _appendix_list(report: Report) -> str:
    return "; ".join(s.title for s in report.sections)


def _contents(report: Report) -> str:
    parts = ['<nav class="contents" aria-label="Contents"><p class="contents-title"><strong>Contents</strong></p><ol>']
    for s in report.sections:
        parts.append(f'<li><a href="#{s.id}">{escape(s.title)}</a>')
        if s.children:
            parts.append("<ol>" + "".join(f'<li><a href="#{c.id}">{escape(c.title)}</a></li>' for c in s.children) + "</ol>")
        parts.append("</li>")
    parts.append("</ol></nav>")
    return "".join(parts)


def _section(s: Section, level: int) -> list[str]:
    h = min(level, 6)
    out = ["<section>", f'<h{h} id="{s.id}">{escape(s.title)}</h{h}>']
    for b in s.blocks:
        out.append(render_block(b, level))
    for c in s.children:
        out += _section(c, level + 1)
    out.append("</section>")
    return out


def render_block(b, level: int) -> str:
    if isinstance(b, Markdown):
        return markdown.to_html(b.text, heading_floor=min(6, level + 2))
    if isinstance(b, Heading):
        h = min(6, level + 1)
        return f"<h{h}>{escape(b.text)}</h{h}>"
    if isinstance(b, Paragraph):
        return f'<p class="{b.kind}">{escape(b.text)}</p>'
    if isinstance(b, Items):
        head = f'<p class="list-title"><strong>{escape(b.title)}</strong></p>' if b.title else ""
        flags = b.flags or [False] * len(b.items)
        lis = "".join(f"<li{FLAGGED if f else ''}>{escape(i)}</li>" for i, f in zip(b.items, flags))
        return f"{head}<ul>{lis}</ul>"
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Chart):
        return (f'<figure class="chart" id="{b.id}">{b.svg}<figcaption>Chart: {escape(b.title)}. '
                f'The figures are in the table <a href="#{b.table_id}">above</a>.</figcaption></figure>')
    raise TypeError(f"unknown block {type(b).__name__}")


def _cell(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _table(t: Table) -> str:
    num = t.numeric_from
    head = "".join(f'<th scope="col"{NUM if num is not None and i >= num else ""}>{escape(c)}</th>'
                   for i, c in enumerate(t.header))
    body = []
    for row in t.rows:
        cells = []
        for i, c in enumerate(row):
            cls = NUM if num is not None and i >= num else ""
            if i < t.row_headers:
                cells.append(f'<th scope="row"{cls}>{_cell(c)}</th>')
            else:
                cells.append(f"<td{cls}>{_cell(c)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    notes = "".join(f'<p class="table-notes">{escape(n)}</p>' for n in t.notes)
    tid = f' id="{t.id}"' if t.id else ""
    return (f"<table{tid}><caption>{escape(t.caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{notes}")
