"""Present a check run: a Rich table (terminal), a JSON list (machines), an accessible HTML page
(a scrutineer's review copy)."""

from __future__ import annotations

import json
from collections import defaultdict

from jinja2 import Environment, select_autoescape

from .finding import SEVERITY_ORDER, CheckRun, Finding


def assumed_finding(run: CheckRun) -> Finding | None:
    """The run's partnership assumption as an info entry, so the JSON list can carry it first."""
    if not run.assumed:
        return None
    return Finding(code="report.assumed", title="Partnership the check assumed", severity="info", scope="report",
                   message=run.assumed)


def to_json(run: CheckRun) -> str:
    """The stable JSON list of findings (docs/checks.md documents each field); its first entry is
    the ``report.assumed`` line when the run read documents."""
    head = assumed_finding(run)
    items = ([head] if head else []) + run.findings
    return json.dumps([f.model_dump(mode="json") for f in items], ensure_ascii=False, indent=2)


def _group(f: Finding) -> str:
    if f.location.file and not f.location.return_key and f.location.section:
        return f.location.section  # the partner's heading as written in the document
    return f.partner or ("Whole report" if f.scope == "report" else "No partner section")


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def to_rich(run: CheckRun, console) -> None:
    from rich.markup import escape
    from rich.table import Table

    counts = run.counts()
    if run.assumed:
        console.print(escape(run.assumed), highlight=False, soft_wrap=True)
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in run.findings:
        groups[_group(f)].append(f)
    styles = {"crashed": "bold magenta", "error": "bold red", "query": "yellow", "info": "cyan"}
    for name, items in groups.items():
        table = Table(title=name, title_justify="left", show_lines=True, expand=True)
        table.add_column("Severity", no_wrap=True)
        table.add_column("Where", no_wrap=True)
        table.add_column("Finding", ratio=1)
        for f in sorted(items, key=lambda f: (SEVERITY_ORDER[f.severity], f.location.start or 0)):
            where = f"{f.location.file.rsplit('/', 1)[-1]}:{f.location.line}" if f.location.file and f.location.line else (
                short(f.location.section or "", 30))
            quote = f'\n[dim]“{escape(short(f.quote, 100))}”[/]' if f.quote else ""
            table.add_row(f"[{styles[f.severity]}]{f.severity}[/]", where,
                          f"[bold]{escape(f.title)}[/] [dim]{f.code}[/]\n{escape(f.message)}{quote}")
        console.print(table)
    if run.compliance:
        t = Table(title="Working Together: what the yearly report must cover", title_justify="left", expand=True)
        t.add_column("Item")
        t.add_column("Evidenced", no_wrap=True)
        t.add_column("Where / quote")
        for c in run.compliance:
            ev = c.evidence[0] if c.evidence else None
            where = f"{ev.location.label()}: \"{short(ev.quote, 70)}\"" if ev else "—"
            t.add_row(f"{c.item}. {c.title}", "[green]yes[/]" if c.evidenced else "[red]no[/]", escape(where))
        console.print(t)
    console.print(summary_line(run, counts), highlight=False)


def summary_line(run: CheckRun, counts: dict[str, int]) -> str:
    """The closing line: counts over the files actually checked, and how many could not be
    read (each named on its own error line), so an unreadable file never reads as a clean one."""
    unread = len(run.errors)
    checked = len(run.files) - unread
    if checked <= 0 and unread:
        return f"Nothing was checked: {unread} file(s) could not be read (see the error lines above)."
    line = (f"{counts['error']} errors, {counts['query']} queries, {counts['info']} info"
            f"{', ' + str(counts['crashed']) + ' crashed checks' if counts['crashed'] else ''}"
            f" in {checked} file(s)")
    return line + (f"; {unread} more could not be read (see the error lines above)." if unread else ".")


_HTML = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;background:#fff;margin:0;line-height:1.5}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fd0;color:#0b0c0c;padding:.5rem}
header,main,footer{max-width:72rem;margin:0 auto;padding:1rem}
header{border-bottom:4px solid #1d70b8}
table{border-collapse:collapse;width:100%;margin:0 0 2rem}
caption{text-align:left;font-weight:bold;font-size:1.2rem;padding:.5rem 0}
th,td{border:1px solid #505a5f;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
.sev{font-weight:bold;white-space:nowrap}
.error,.crashed{color:#942514}.query{color:#594d00}.info{color:#1d4f7a}
blockquote{margin:0;padding-left:.6rem;border-left:4px solid #b1b4b6;white-space:pre-wrap}
a{color:#1d4f7a}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
.files li{font-family:monospace}
</style>
</head>
<body>
<a class="skip" href="#main">Skip to the findings</a>
<header><p>masa check</p><h1>{{ title }}</h1></header>
<main id="main">
{% if run.assumed %}<p id="assumed"><strong>{{ run.assumed }}</strong></p>{% endif %}
<h2>Summary</h2>
{% if checked %}<p>{{ counts.error }} errors (block approval), {{ counts.query }} queries (questions for the partner),
{{ counts.info }} for information{% if counts.crashed %}, {{ counts.crashed }} checks crashed (not passed){% endif %},
in {{ checked|length }} file(s){% if run.errors %}; {{ run.errors|length }} more could not be read (below){% endif %}.</p>
<h3>Files checked</h3>
<ul class="files">{% for f in checked %}<li>{{ f }}</li>{% endfor %}</ul>
{% else %}<p>Nothing was checked: {{ run.errors|length }} file(s) could not be read (below).</p>{% endif %}
{% if run.errors %}<h3>Files that could not be checked</h3>
<ul>{% for e in run.errors %}<li>{{ e.file }}: {{ e.reason }}</li>{% endfor %}</ul>{% endif %}
{% if run.compliance %}
<h2 id="wt2023">Working Together: what the yearly report must cover</h2>
<table>
<caption>Each item, whether the text evidences it, and where</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Evidenced</th><th scope="col">Evidence (quote and place)</th></tr></thead>
<tbody>{% for c in run.compliance %}<tr><th scope="row">{{ c.item }}. {{ c.title }}</th>
<td>{{ "Yes" if c.evidenced else "No" }}</td>
<td>{% for e in c.evidence[:3] %}<blockquote>{{ e.quote }}</blockquote><p>{{ e.location.label() }}</p>{% else %}None found.{% endfor %}</td></tr>
{% endfor %}</tbody></table>
{% endif %}
<h2>Findings by partner</h2>
{% for name, items in groups %}
<table>
<caption>{{ name }} ({{ items|length }})</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Where</th><th scope="col">Check</th><th scope="col">Quote</th><th scope="col">What is wrong</th></tr></thead>
<tbody>{% for f in items %}<tr>
<td class="sev {{ f.severity }}">{{ f.severity }}</td>
<td>{{ f.location.label() }}</td>
<td>{{ f.title }} <br><code>{{ f.code }}</code></td>
<td>{% if f.quote %}<blockquote>{{ f.quote[:400] }}{% if f.quote|length > 400 %}…{% endif %}</blockquote>{% endif %}</td>
<td>{{ f.message }}{% if f.expected %}<br>Expected: {{ f.expected }}{% endif %}</td>
</tr>{% endfor %}</tbody></table>
{% else %}<p>{{ "No findings." if checked else "None: nothing was checked." }}</p>{% endfor %}
</main>
<footer><p>Made by masa check. Errors block approval; queries ask a question; information needs no action.</p></footer>
</body>
</html>
"""


def to_html(run: CheckRun, title: str = "Report check") -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in run.findings:
        groups[_group(f)].append(f)
    unread = {e.file for e in run.errors}
    return env.from_string(_HTML).render(run=run, title=title, counts=run.counts(), groups=list(groups.items()),
                                         checked=[f for f in run.files if f not in unread])
