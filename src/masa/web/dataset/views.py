"""The partnership dataset dashboard: ``/bu/dataset/`` for the business unit, board and
scrutineer (every stored figure, true counts, commentary), ``/published/dataset/`` for the
public (published figures only, through the publishing boundary). Thin: the figures come from
``service``, the series and ratings from ``masa.compare.trends``, the wording from ``layout``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masa.compare.trends import Filters, apply_filters, series_of
from masa.web.accounts import access
from masa.web.auditlog.chain import append
from masa.web.site import common, spreadsheets
from masa.web.site.public import published_periods

from . import layout, service
from .models import Commentary

MAX_COMMENTARY = 5000


def _reader(request):
    if not access.is_staff_reader(request.user):
        raise Http404("business unit, board and scrutineer only")


@dataclass
class _Page:
    spec: object
    filters: Filters
    gathered: service.Gathered
    series: list
    problems: list[str]


def _filters(request, spec) -> tuple[Filters, list[str]]:
    """The GET form's choices; an unknown one is dropped and named, never a 500."""
    choices = {"priority": {p.code for p in spec.priorities}, "partner": {p.code for p in spec.partners},
               "area": set(spec.partnership.areas), "period": set(spec.periods.financial_years)}
    chosen, wrong = {}, []
    for name, allowed in choices.items():
        value = request.GET.get(name, "").strip()
        if value and value not in allowed:
            wrong.append(f"{name.capitalize()}: {value!r} is not one of this partnership's {name} codes; "
                         "showing every one")
            value = ""
        chosen[name] = value
    return Filters(**chosen), wrong


def _page(request, *, public: bool) -> _Page:
    spec = common.spec()
    code = spec.partnership.code
    gathered = service.public(code, spec, published_periods()) if public else service.internal(code, spec)
    filters, wrong = _filters(request, spec)
    series = series_of(spec, apply_filters(spec, gathered.observations, filters))
    return _Page(spec, filters, gathered, series, wrong + gathered.problems)


def _commentary(spec) -> dict[tuple[str, str], str]:
    return {(c.indicator, c.period): c.text
            for c in Commentary.objects.filter(partnership=spec.partnership.code)}


def _context(request, page: _Page, *, public: bool) -> dict:
    spec = page.spec
    notes = {} if public else _commentary(spec)
    cov = page.gathered.coverage
    priorities = [p for p in (cov.priorities if cov else []) if not page.filters.priority
                  or p.code == page.filters.priority]
    partners = [p for p in (cov.partners if cov else []) if not page.filters.partner
                or p.code == page.filters.partner]
    matrix = [{"partner": p, "cells": [{"priority": pr, "parts": _links(request, page, cov.cells.get((p.code, pr.code), []),
                                                                        public=public)}
                                       for pr in priorities]} for p in partners]
    years = sorted({o.period.split(" ")[0] for o in page.gathered.observations})
    return {"spec": spec, "public": public, "filters": page.filters, "problems": page.problems,
            "blocks": layout.blocks(spec, page.series, notes), "matrix": matrix, "matrix_priorities": priorities,
            "uncovered": cov.uncovered() if cov else [], "years": years,
            "can_comment": not public and access.can_review(request.user),
            "periods": [p.code for p in spec.period_list], "query": request.GET.urlencode()}


def _links(request, page: _Page, parts, *, public: bool) -> list[dict]:
    out = []
    for part in parts:
        if public:
            href = f"{reverse('site:published_report', args=[part.period.split(' ')[0]])}"
        else:
            pk = page.gathered.returns.get((part.partner, part.period, part.template))
            href = reverse("site:return", args=[pk]) if pk else ""
        out.append({"label": f"{part.kind.capitalize()}: {part.label} ({part.period})", "href": href})
    return out


@require_GET
def dashboard(request):
    _reader(request)
    page = _page(request, public=False)
    return render(request, "dataset/dashboard.html", _context(request, page, public=False))


@require_GET
def public_dashboard(request):
    page = _page(request, public=True)
    return render(request, "dataset/dashboard.html", _context(request, page, public=True))


def _export(page: _Page, fmt: str, commentary, name: str) -> HttpResponse:
    rows = layout.export_rows(page.spec, page.series, commentary)
    if fmt == "xlsx":
        resp = HttpResponse(spreadsheets.xlsx_bytes(rows, "dataset"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        resp = HttpResponse(spreadsheets.csv_bytes(rows), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


@require_GET
def export(request, fmt: str):
    """Every figure the filters select, true counts, with the business unit's commentary."""
    _reader(request)
    page = _page(request, public=False)
    return _export(page, fmt, _commentary(page.spec), f"dataset-{page.spec.partnership.code}")


@require_GET
def public_export(request, fmt: str):
    """Published figures only, exactly as the public dashboard shows them."""
    page = _page(request, public=True)
    return _export(page, fmt, None, f"published-dataset-{page.spec.partnership.code}")


@require_POST
def commentary(request):
    """The business unit writes (or clears) its commentary on one indicator for one period."""
    if not access.can_review(request.user):
        raise Http404("business unit only")
    spec = common.spec()
    indicator = request.POST.get("indicator", "").strip()
    period = request.POST.get("period", "").strip()
    text = request.POST.get("text", "").strip()
    back = reverse("dataset:dashboard")
    problem = ""
    if indicator not in {i.code for i in spec.indicators}:
        problem = f"Indicator: {indicator!r} is not in this partnership's catalogue"
    elif period not in spec.period_codes:
        problem = f"Period: {period!r} is not one of this partnership's periods"
    elif len(text) > MAX_COMMENTARY:
        problem = f"Commentary: {len(text)} characters is too long; the limit is {MAX_COMMENTARY}"
    if problem:
        messages.error(request, problem)
        return redirect(back)
    code = spec.partnership.code
    with transaction.atomic():
        if text:
            Commentary.objects.update_or_create(partnership=code, indicator=indicator, period=period,
                                                defaults={"text": text, "author": request.user})
        else:
            Commentary.objects.filter(partnership=code, indicator=indicator, period=period).delete()
        append(request.user, "dataset.commentary", f"{code}/{indicator}/{period}",
               {"text": text, "cleared": not text})
    messages.success(request, f"Commentary on {spec.indicator(indicator).name} for {period} "
                              f"{'saved' if text else 'removed'}")
    return redirect(f"{back}#ind-{indicator}")
