"""The published site: only published returns are reachable; every figure comes through the
publishing boundary (``masa.report.boundary``), never from the stored values directly."""

from __future__ import annotations

from pathlib import Path

from csp.decorators import csp_update
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masa.report import opendata
from masa.report.boundary import quarterly_templates, report_templates
from masa.report.figures import by_label, show
from masa.report.model import Report
from masa.spec.periods import parse_period
from masa.web import publishing
from masa.web.core.models import Return
from masa.web.workflow.models import ReportBuild

from . import common, spreadsheets


def _partners(period: str | None = None):
    """The partnership's partners: of that year's own spec when a period is given."""
    if period is None:
        return [p.code for p in common.spec().partners]
    from masa.web.store import spec_for

    return [p.code for p in spec_for(common.partnership_code(), period).partners]


def published_periods() -> list[str]:
    """The financial years with something published: a published quarterly return is
    published into its year's report, not as a report of its own."""
    rows = Return.objects.filter(status="published", partner__code__in=_partners())
    return sorted({_year(code) for code in rows.values_list("period__code", flat=True)}, reverse=True)


def _year(code: str) -> str:
    try:
        return parse_period(code).year
    except ValueError:
        return code


def published_returns(period: str):
    """The published returns of a financial year and of its quarters (404 for a quarter)."""
    if _year(period) != period:
        raise Http404("published reports are by financial year")
    codes = [period, *(f"{period} Q{n}" for n in (1, 2, 3, 4))]
    rows = list(Return.objects.filter(status="published", period__code__in=codes, partner__code__in=_partners(period))
                .select_related("partner", "period", "template")
                .order_by("template__code", "partner__code", "period__code"))
    if not rows:
        raise Http404("nothing published for this period")
    return rows


def published(period: str) -> publishing.Published:
    published_returns(period)  # 404 when nothing is published
    return _published(period)


def _published(period: str) -> publishing.Published:
    return publishing.published(common.spec().partnership.code, period)


def figure_rows_for_page(spec, cells) -> list[dict]:
    """Table rows for one return's figures, printed as the report prints them."""
    out = []
    for c in cells:
        ind = spec.indicator(c.value.indicator)
        out.append({"indicator": ind.code, "name": ind.name, "period": c.period,
                    "by": by_label(spec, ind, c.by), "value": show(c.published, ind.unit)})
    return out


def public_build(period: str):
    """The newest finished build whose every return is now published (else nothing)."""
    published = set(Return.objects.filter(period__code=period, status="published").values_list("pk", flat=True))
    for build in ReportBuild.objects.filter(period=period, state="done"):
        if build.included and set(build.included) <= published:
            return build
    return None


@require_GET
def index(request):
    return render(request, "site/published_index.html", {"periods": published_periods()})


@require_GET
def report(request, period: str):
    rows = published_returns(period)
    pub = _published(period)
    spec = pub.dataset.spec  # that year's own spec: the names and labels its CSV and report use
    parts = []
    feeds = {q: t.code for t in report_templates(spec) for q in quarterly_templates(spec, t.code)}
    shown: set[tuple[str, str]] = set()
    for row in rows:
        ret = next((r for r in pub.dataset.returns
                    if (r.partner, r.template, r.period) == (row.partner.code, row.template.code, row.period.code)), None)
        if ret is None:  # not in that year's figures: never a 500
            continue
        key = (feeds.get(row.template.code, row.template.code), row.partner.code)
        cells = [] if key in shown else pub.parts.get(key, [])  # a year's figures once, quarters included
        shown.add(key)
        named = {p.code: p.name for p in spec.partners}
        parts.append({"row": row, "ret": ret, "name": named.get(row.partner.code, row.partner.name),
                      "template": spec.template(row.template.code),
                      "sections": [(s, common.markdown(s.text)) for s in ret.sections],
                      "voice": common.markdown(ret.voice), "figures": figure_rows_for_page(spec, cells),
                      "case_studies": [(c, common.markdown(c.text)) for c in ret.case_studies]})
    build = public_build(period)
    return render(request, "site/published_report.html", {"period": period, "parts": parts, "build": build,
                                                          "spec": spec, "withheld": pub.withheld})


@require_GET
def figures_csv(request, period: str):
    """The site's open data: the report's CSV layout, from the same boundary."""
    pub = published(period)
    if pub.withheld:
        return HttpResponse(pub.withheld, status=503, content_type="text/plain; charset=utf-8")
    spec = pub.dataset.spec
    shape = Report(title="", partnership=spec.partnership.code, partnership_name=spec.partnership.name,
                   period=period, internal=False, sections=[], notes=[], figures=pub.figures,
                   breakdowns=opendata.breakdowns_of(spec, pub.figures))
    out = [opendata.header(shape), *opendata.rows(shape)]
    resp = HttpResponse(spreadsheets.csv_bytes(out), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="figures-{period}.csv"'
    return resp


@require_GET
@csp_update({"style-src": ["'unsafe-inline'"]})  # the one-file HTML report carries its own styles; no scripts
def report_file(request, period: str, name: str):
    published_returns(period)
    build = public_build(period)
    if build is None or name not in build.files:
        raise Http404("no such file")
    path = Path(build.out_dir) / name
    if not path.is_file():
        raise Http404("no such file")
    return FileResponse(open(path, "rb"), as_attachment=not name.endswith(".html"), filename=name)
