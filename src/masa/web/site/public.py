"""The published site of the request's partnership: only the returns it published are
reachable (for a return shared with other partnerships, the version it published); every
figure comes through the publishing boundary (``masa.report.boundary``), never from the
stored values directly. A withdrawn publication says so, and when, and shows no figures."""

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
from masa.returns.quarters import year_and_quarters
from masa.spec.periods import parse_period
from masa.web import publishing
from masa.web.core.models import Return
from masa.web.workflow.models import ReportBuild, Withdrawal
from masa.web.workflow.reviews import published_ids

from . import common, spreadsheets


def _partners(period: str | None = None):
    """The partnership's partners: of that year's own spec when a period is given."""
    if period is None:
        return [p.code for p in common.spec().partners]
    from masa.web.store import spec_for

    return [p.code for p in spec_for(common.partnership_code(), period).partners]


def published_periods() -> list[str]:
    """The financial years with something published (or a publication withdrawn): a published
    quarterly return is published into its year's report, not as a report of its own."""
    code = common.partnership_code()
    rows = Return.objects.filter(pk__in=published_ids(code), partner__code__in=_partners())
    years = {_year(c) for c in rows.values_list("period__code", flat=True)}
    years |= set(Withdrawal.objects.filter(partnership=code).values_list("period", flat=True))
    return sorted(years, reverse=True)


def withdrawal(period: str):
    """The newest withdrawal of the partnership's publication of ``period``, while nothing of it
    is published again; else None."""
    code = common.partnership_code()
    codes = year_and_quarters(period)
    if published_ids(code, codes):
        return None
    return Withdrawal.objects.filter(partnership=code, period=period).first()


def _year(code: str) -> str:
    try:
        return parse_period(code).year
    except ValueError:
        return code


def published_returns(period: str):
    """The published returns of a financial year and of its quarters (404 for a quarter)."""
    if _year(period) != period:
        raise Http404("published reports are by financial year")
    codes = year_and_quarters(period)
    ids = published_ids(common.partnership_code(), codes)
    rows = list(Return.objects.filter(pk__in=ids, partner__code__in=_partners(period))
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
    code = common.partnership_code()
    published = published_ids(code, year_and_quarters(period))
    for build in ReportBuild.objects.filter(partnership=code, period=period, state="done"):
        if build.included and set(build.included) <= published and _built_from_published(build, code):
            return build
    return None


def _built_from_published(build, code: str) -> bool:
    """A build reads approved returns too: of a shared return whose newer version this
    partnership approved but has not published, or published after the build, it holds
    another version than the public one, so it is not served."""
    from masa.web.workflow.models import Review

    for review in Review.objects.filter(partnership=code, ret_id__in=build.included).select_related("published"):
        if review.approved_id and review.approved_id != review.published_id:
            return False
        if review.published is not None and review.published.created_at > build.created:
            return False
    return True


@require_GET
def index(request):
    return render(request, "site/published_index.html", {"periods": published_periods()})


@require_GET
def report(request, period: str):
    gone = withdrawal(period) if _year(period) == period else None
    if gone is not None:
        return render(request, "site/published_withdrawn.html", {"period": period, "withdrawal": gone,
                                                                 "spec": common.spec()})
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
