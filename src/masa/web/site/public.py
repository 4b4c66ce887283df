"""The published site: only published returns are reachable, figures pass disclosure control."""

from __future__ import annotations

from pathlib import Path

from csp.decorators import csp_update
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masa.disclosure import SUPPRESSED, protect
from masa.web import store
from masa.web.core.models import Return
from masa.web.workflow.models import ReportBuild

from . import common, spreadsheets
from .returnform import by_key, fmt


def published_periods() -> list[str]:
    return sorted(set(Return.objects.filter(status="published").values_list("period__code", flat=True)), reverse=True)


def published_returns(period: str):
    rows = list(Return.objects.filter(status="published", period__code=period)
                .select_related("partner", "period", "template").order_by("template__code", "partner__code"))
    if not rows:
        raise Http404("nothing published for this period")
    return rows


def protected_figures(spec, ret) -> list[dict]:
    """This return's figures for its period, counts passed through small-number suppression."""
    units = {i.code: i.unit for i in spec.indicators}
    names = {i.code: i.name for i in spec.indicators}
    vals = [v for v in ret.values if (v.period or ret.period) == ret.period]
    counts = {(v.indicator, by_key(v.by)): (int(v.value) if v.value is not None else None)
              for v in vals if units.get(v.indicator) == "count"}
    constraints = []
    for (ind, bk) in counts:
        if bk == "":
            parts = [k for k in counts if k[0] == ind and k[1] and k[1].count("=") == 1]
            if parts:
                constraints.append(((ind, bk), parts))
    try:
        published = protect(counts, constraints).published if counts else {}
    except Exception:
        published = protect(counts).published if counts else {}
    out = []
    for v in vals:
        k = (v.indicator, by_key(v.by))
        shown = published.get(k, v.value) if k in counts else v.value
        text = SUPPRESSED if shown == SUPPRESSED else fmt(shown) if shown is not None else "not recorded"
        if units.get(v.indicator) == "percent" and shown is not None:
            text += "%"
        out.append({"indicator": v.indicator, "name": names.get(v.indicator, v.indicator),
                    "by": ", ".join(spec.option_name(d, o) for d, o in sorted(v.by.items())) or "Total",
                    "by_key": by_key(v.by), "value": text})
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
    spec = common.spec()
    parts = []
    for row in rows:
        ret = store.return_from_row(row)
        parts.append({"row": row, "ret": ret, "name": row.partner.name, "template": spec.template(row.template.code),
                      "sections": [(s, common.markdown(s.text)) for s in ret.sections],
                      "voice": common.markdown(ret.voice), "figures": protected_figures(spec, ret),
                      "case_studies": [(c, common.markdown(c.text)) for c in ret.case_studies]})
    build = public_build(period)
    return render(request, "site/published_report.html", {"period": period, "parts": parts, "build": build,
                                                          "spec": spec})


@require_GET
def figures_csv(request, period: str):
    rows = published_returns(period)
    spec = common.spec()
    out = [["partner", "period", "indicator", "indicator_name", "breakdown", "value"]]
    for row in rows:
        ret = store.return_from_row(row)
        for f in protected_figures(spec, ret):
            out.append([row.partner.code, period, f["indicator"], f["name"], f["by_key"], f["value"]])
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
