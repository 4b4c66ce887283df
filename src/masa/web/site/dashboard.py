"""The business unit's dashboard, for the request's partnership: completeness per partner and
period (each return's status as this partnership's review sees it), deadlines, findings,
and a one-click report build run by the background worker (masa.web.queue.builds) with a
polling progress page that links every built file (HTML, PDF, DOCX, CSV, XLSX) for download
before publication."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import close_old_connections
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masa.returns import PUBLIC_STATUSES
from masa.returns.quarters import quarter_codes, year_and_quarters
from masa.spec.deadlines import read_uk_date
from masa.spec.opening import fits
from masa.spec.periods import parse_period, shift_period
from masa.web import store
from masa.web.accounts import access
from masa.web.auditlog.chain import append
from masa.web.core.models import Return
from masa.web.queue.builds import enqueue_build
from masa.web.workflow import due
from masa.web.workflow.checks_seam import findings_for_row
from masa.web.workflow.models import Deadline, ReportBuild
from masa.web.workflow.reviews import filter_rows, published_ids, statuses_in

from . import common, opening


def _bu_only(request):
    if not access.can_review(request.user):
        raise Http404("business unit only")


def has_quarters(spec) -> bool:
    """True when partners send quarterly returns (a quarterly template, and quarters in the periods)."""
    return spec.periods.quarters and any(t.frequency == "quarterly" for t in spec.templates)


def dashboard_periods(spec) -> list[str]:
    """The periods the dashboard shows: each year, then its quarters when there are quarterly returns."""
    quarters = has_quarters(spec)
    out = []
    for year in spec.periods.financial_years:
        out += (year_and_quarters(year) if quarters else [year])
    return out


def quarter_tallies(spec, period: str) -> list[tuple[str, dict[str, int]]]:
    """(quarter, on time / late / outstanding counts) for each quarter of a year, when the
    spec has quarterly returns; [] for a quarter or a spec without them."""
    if not has_quarters(spec) or parse_period(period).kind != "year":
        return []
    return [(q, due.tally(spec, q)) for q in quarter_codes(period)]


def completeness(spec, period: str, with_findings: bool = True) -> list[dict]:
    """One row per partner and template that fits the period (a year's yearly templates, a
    quarter's quarterly ones): status, standing against the partner's due date
    (its extension, if any), and finding counts. A return submitted after its due date stays
    late ("submitted 3 days late"); one not yet submitted is late once its due date has passed."""
    rows = {(r.partner.code, r.template.code): r for r in
            access.in_partnership(Return.objects.filter(period__code=period), spec.partnership.code)
            .select_related("partner", "template", "period")}
    # a shared return: this partnership's own status; every row's in three queries, not one per row
    statuses = statuses_in(rows.values(), spec.partnership.code)
    quarters = _quarter_rows(rows.values(), period) if with_findings else {}
    last_year = _last_year_rows(rows.values(), period) if with_findings else {}
    dues = due.book([period], rows.values(), spec.partnership.code)
    per = parse_period(period)
    out = []
    year_spec = store.spec_for(spec.partnership.code, period)  # a partner owes returns only for its years
    for p in year_spec.partners:
        for t in year_spec.templates:
            if not fits(t, per):
                continue
            row = rows.get((p.code, t.code))
            status = statuses[row.pk] if row else "not started"
            counts = {"error": 0, "query": 0}
            if row is not None and with_findings and status != "draft":
                # the returns its page reads beside it (``checks_seam.sibling_rows``), from the rows at hand
                beside = [r for (pc, _), r in rows.items() if pc == p.code and r.pk != row.pk]
                found = findings_for_row(spec, row, quarters=quarters.get(row.partner_id, []),
                                         siblings=sorted(beside + last_year.get(row.partner_id, []),
                                                         key=lambda r: (r.period.code, r.template.code)))
                for f in found:
                    if f.severity in counts:
                        counts[f.severity] += 1
            standing = dues.standing(period, p.code, row)
            out.append({"partner": p, "template": t, "row": row, "status": status, "standing": standing,
                        "due": dues.due(period, p.code), "extended": dues.extension(period, p.code) is not None,
                        "late": standing.late, "errors": counts["error"], "queries": counts["query"]})
    return out


def _last_year_rows(rows, period: str) -> dict[int, list]:
    """partner id -> its returns of the period before (the comparison column the report
    prints): ``checks_seam.sibling_rows``'s last year for every row at once, in one query."""
    out: dict[int, list] = {}
    for r in (Return.objects.filter(partner_id__in={r.partner_id for r in rows}, period__code=shift_period(period, -1))
              .select_related("partner", "period", "template")):
        out.setdefault(r.partner_id, []).append(r)
    return out


def _quarter_rows(rows, period: str) -> dict[int, list]:
    """partner id -> its quarterly returns of ``period``'s year (``checks_seam.quarter_rows``
    for every row at once: one query, none for a quarter)."""
    if parse_period(period).kind != "year":
        return {}
    out: dict[int, list] = {}
    for q in (Return.objects.filter(partner_id__in={r.partner_id for r in rows}, period__code__in=quarter_codes(period))
              .select_related("partner", "period", "template").order_by("period__code", "template__code")):
        out.setdefault(q.partner_id, []).append(q)
    return out


@require_GET
def dashboard(request):
    _bu_only(request)
    spec = common.spec()
    period = request.GET.get("period") or spec.periods.current
    periods = dashboard_periods(spec)
    if period not in periods:
        messages.error(request, f"Period: {period!r} is not one of this partnership's periods "
                                f"({', '.join(periods)}); showing {spec.periods.current}")
        period = spec.periods.current
    table = completeness(spec, period)
    summary: dict[str, int] = {}
    for r in table:
        summary[r["status"]] = summary.get(r["status"], 0) + 1
    deadline = Deadline.objects.filter(period__code=period, partnership=spec.partnership.code).first()
    return render(request, "site/dashboard.html", {
        "table": table, "period": period, "periods": periods, "summary": sorted(summary.items()),
        "late": sum(1 for r in table if r["late"]), "deadline": deadline, "tally": due.tally(spec, period),
        "quarters": quarter_tallies(spec, period), "is_year": parse_period(period).kind == "year",
        "builds": ReportBuild.objects.filter(partnership=spec.partnership.code, period=period)[:5],
        "published_here": len(published_ids(spec.partnership.code, year_and_quarters(period)))
        if parse_period(period).kind == "year" else 0})


@require_POST
def set_deadline(request):
    """The dashboard's deadline form: the periods screen's rules (UK dates, not before the period)."""
    _bu_only(request)
    spec = common.spec()
    period, typed = request.POST.get("period", ""), request.POST.get("due", "").strip()
    if period not in dashboard_periods(spec):
        messages.error(request, "Choose a period")
        return redirect("site:dashboard")
    try:
        opening.set_deadline(spec, period, read_uk_date(typed), request.user)
    except ValueError as exc:  # a date that is no date, or a refusal of the service
        messages.error(request, str(exc) if isinstance(exc, opening.PeriodRefused) else f"Returns due by: {exc}")
        return redirect(_at(period))
    messages.success(request, f"Deadline for {period} set to {read_uk_date(typed):%d %B %Y}")
    return redirect(_at(period))


def _at(period: str) -> str:
    return f"{reverse('site:dashboard')}?period={period}"


@require_POST
def start_build(request):
    _bu_only(request)
    spec = common.spec()
    period = request.POST.get("period", "")
    if period not in spec.periods.financial_years:
        messages.error(request, "Choose a period to build")
        return redirect("site:dashboard")
    build = ReportBuild.objects.create(partnership=spec.partnership.code, period=period, started_by=request.user)
    append(request.user, "report.build_started", f"period:{period}", {"build": build.pk})
    enqueue_build(build.pk)  # run by `masa worker` once committed (masa.web.queue.builds)
    return redirect("site:build", pk=build.pk)


FORMATS = ["html", "pdf", "docx", "csv", "xlsx"]
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def run_build(pk: int, in_thread: bool = False) -> None:
    """Build the public report of a period: approved and published returns, the others listed as waiting."""
    if in_thread:
        close_old_connections()
    try:
        build = ReportBuild.objects.get(pk=pk)
        ReportBuild.objects.filter(pk=pk).update(state="running", progress=10, message="Reading approved returns")
        # The whole dataset goes to the engine: a public build includes only approved and
        # published returns and lists the others as not yet approved (not "No response").
        dataset = store.dataset_for(build.partnership, build.period, history=PUBLIC_STATUSES)
        if not any(r.period == build.period and r.status in PUBLIC_STATUSES for r in dataset.returns):
            raise RuntimeError("no approved or published returns for this period yet")
        try:
            from masa.report import build_report
        except ImportError:
            raise RuntimeError("the report engine (masa.report.build_report) is not installed") from None
        out = Path(settings.MEDIA_ROOT) / "reports" / build.period / str(pk)
        out.mkdir(parents=True, exist_ok=True)
        ReportBuild.objects.filter(pk=pk).update(progress=40, message="Building HTML, PDF, DOCX, CSV and XLSX")
        quarters = quarter_codes(build.period)  # their figures are built in too
        included = list(filter_rows(access.in_partnership(Return.objects.filter(
            period__code__in=[build.period, *quarters]), build.partnership), build.partnership, PUBLIC_STATUSES)
            .values_list("pk", flat=True))
        from masa.web.assurance.service import book
        from masa.web.section11.reporting import section11_data

        build_report(dataset, build.period, FORMATS, out, assurance=book(build.partnership),
                     section11=section11_data(build.partnership, build.period))
        files = sorted(p.name for p in out.iterdir() if p.is_file())
        ReportBuild.objects.filter(pk=pk).update(state="done", progress=100, files=files, out_dir=str(out),
                                                 included=included,
                                                 message=f"Built {len(files)} file(s)")
    except Exception as exc:  # noqa: BLE001 - any failure must end the build as failed, with its reason
        ReportBuild.objects.filter(pk=pk).update(state="failed", progress=100,
                                                 message=f"Build failed: {exc}")
    finally:
        if in_thread:
            close_old_connections()


def _build(pk: int) -> ReportBuild:
    """A build of the request's partnership (404 for another partnership's)."""
    build = ReportBuild.objects.filter(pk=pk, partnership=common.partnership_code()).first()
    if build is None:
        raise Http404("no such build")
    return build


def build_files(build) -> list[dict]:
    """The built files that exist, each with its format, size and download link."""
    out = []
    for name in build.files:
        path = Path(build.out_dir) / name
        if build.state == "done" and path.is_file():
            fmt = name.rsplit(".", 1)[-1]
            out.append({"name": name, "format": fmt.upper(), "size": path.stat().st_size,
                        "url": reverse("site:build_file", kwargs={"pk": build.pk, "name": name})})
    return out


@require_GET
def build_page(request, pk: int):
    _bu_only(request)
    build = _build(pk)
    return render(request, "site/build.html", {"build": build, "files": build_files(build),
                                               "public": _public_words(build)})


def _public_words(build) -> str:
    """What of this build the public sees, said exactly (breaker 12 F13): a build whose
    returns are all published is served the moment it is done."""
    from .public import public_build, published_ids

    if build.state != "done":
        return ("When it is done, check every format here. If every return it includes is already published, "
                "the public sees it at once, in place of any earlier build.")
    if (shown := public_build(build.period)) is not None and shown.pk == build.pk:
        return (f"This build is public now: anyone can read and download these files on the published "
                f"{build.period} page. To correct it, fix what is wrong and build again; the newer build replaces it.")
    periods = year_and_quarters(build.period)
    done = len(set(build.included) & published_ids(build.partnership, periods))
    return (f"Not public: {done} of the {len(build.included)} returns this build includes are published. "
            "Check every format now; once all of them are published, the public sees this build unless a newer "
            "one replaces it.")


@require_GET
def build_status(request, pk: int):
    _bu_only(request)
    build = _build(pk)
    return JsonResponse({"state": build.state, "progress": build.progress, "message": build.message,
                         "files": build.files, "downloads": build_files(build)})


@require_GET
def build_file(request, pk: int, name: str):
    """One built file, for the business unit to read or check before anything is published."""
    _bu_only(request)
    build = _build(pk)
    if name not in build.files or name.rsplit(".", 1)[-1] not in CONTENT_TYPES:
        raise Http404("no such file")
    path = Path(build.out_dir) / name
    if not path.is_file():
        raise Http404("no such file")
    resp = FileResponse(open(path, "rb"), as_attachment=True, filename=name)
    resp["Content-Type"] = CONTENT_TYPES[name.rsplit(".", 1)[-1]]
    return resp
