"""The business unit's periods screen (/bu/periods/): every listed year and quarter with its
state, deadline and counts; open the next year; set a period's deadline; give a partner an
extension. The rules live in ``opening`` (services) and ``masa.spec.opening`` (plain Python);
these views only read forms and show what the services say."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masa.spec.opening import fits, next_year, open_periods, state
from masa.spec.periods import parse_period, periods_for_years
from masa.web.workflow import due
from masa.web.workflow.models import Deadline, Extension

from . import common, opening
from .dashboard import _bu_only
from .periodforms import DeadlineForm, ExtensionForm, OpenYearForm, PeriodStateForm
from .starting import closed_codes


def _errors(*forms) -> list[tuple[str, str]]:
    return [(f[name].auto_id if name in f.fields else "main-content", msg) for f in forms if f is not None and f.is_bound
            for name, msgs in f.errors.items() for msg in msgs]


def _date_hint(example: date, before: str = "") -> str:
    """A field hint whose example dates belong to the period shown, in each accepted form."""
    return f"{before}For example {example:%d/%m/%Y}, {example.day} {example:%B %Y} or {example:%Y-%m-%d}"


def _example_due(code: str) -> date:
    """An example deadline for a period: two months after it ends."""
    return parse_period(code).end + timedelta(days=61)


def _refused(form, exc: opening.PeriodRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@require_GET
def periods_page(request):
    _bu_only(request)
    return _list(request)


def _list(request, form=None, status=200):
    spec = common.spec()
    listed = periods_for_years(spec.periods.financial_years, spec.periods.quarters)
    codes = [p.code for p in listed]
    here = spec.partnership.code
    deadlines = {d.period.code: d.due for d in
                 Deadline.objects.filter(period__code__in=codes, partnership=here).select_related("period")}
    extensions: dict[str, int] = {}
    for e in Extension.objects.filter(period__code__in=codes, partnership=here).select_related("period"):
        extensions[e.period.code] = extensions.get(e.period.code, 0) + 1
    closed = closed_codes(here)
    quarterly = any(t.frequency == "quarterly" for t in spec.templates)
    rows = []
    for p in listed:
        if p.kind == "quarter" and not quarterly:
            continue  # no template collects quarterly returns: its quarters would be rows of noise
        st = state(spec, p.code, closed)
        collects = any(fits(t, p) for t in spec.templates)
        rows.append({"period": p, "state": st, "due": deadlines.get(p.code), "extensions": extensions.get(p.code, 0),
                     "tally": due.tally(spec, p.code) if st != "not yet open" and collects else None,
                     "why": "not open yet" if st == "not yet open" else
                            f"no {'quarterly' if p.kind == 'quarter' else 'yearly'} returns"})
    form = form or OpenYearForm(initial={"year": next_year(spec)})
    return render(request, "site/periods.html", {
        "rows": rows, "form": form, "next_year": next_year(spec), "current": spec.periods.current,
        "quarters": spec.periods.quarters, "show_quarters": spec.periods.quarters and quarterly,
        "due_hint": _date_hint(_example_due(next_year(spec)), "Optional. "),
        "error_list": _errors(form)}, status=status)


@require_POST
def periods_open(request):
    _bu_only(request)
    spec = common.spec()
    form = OpenYearForm(request.POST)
    if form.is_valid():
        try:
            started = opening.open_year(spec, form.cleaned_data["year"], request.user,
                                        due=form.cleaned_data["due"], quarters=form.cleaned_data["quarters"])
        except opening.PeriodRefused as exc:
            _refused(form, exc)
        else:
            year, n = form.cleaned_data["year"], len(started)
            messages.success(request, f"{year} is open and is now the current year; "
                                      f"{n} draft {'return' if n == 1 else 'returns'} started for partners")
            return redirect("site:period", code=year)
    return _list(request, form, status=400)


def _period_or_404(spec, code: str):
    if code not in {p.code for p in open_periods(spec)}:
        raise Http404("no such open period")
    return parse_period(code)


@require_GET
def period_page(request, code: str):
    _bu_only(request)
    return _detail(request, code)


def _detail(request, code: str, deadline_form=None, extension_form=None, state_form=None, status=200):
    spec = common.spec()
    period = _period_or_404(spec, code)
    here = spec.partnership.code
    deadline = Deadline.objects.filter(period__code=code, partnership=here).first()
    deadline_form = deadline_form or DeadlineForm(initial={"due": deadline.due if deadline else None})
    extension_form = extension_form or ExtensionForm(partners=spec.partners)
    names = {p.code: p.name for p in spec.partners}
    extensions = [{"name": names.get(e.partner.code, e.partner.name), "ext": e}
                  for e in Extension.objects.filter(period__code=code, partnership=here).select_related("partner", "set_by")]
    example = deadline.due if deadline else _example_due(code)
    return render(request, "site/period.html", {
        "due_hint": _date_hint(_example_due(code)),
        "extension_hint": _date_hint(example + timedelta(days=30), "Later than the deadline. "),
        "period": period, "state": state(spec, code, closed_codes(here)), "deadline": deadline,
        "deadline_form": deadline_form, "extension_form": extension_form, "extensions": extensions,
        "tally": due.tally(spec, code), "state_form": state_form or PeriodStateForm(),
        "year_closed": code != period.year and period.year in closed_codes(here),
        "error_list": _errors(deadline_form, extension_form, state_form)}, status=status)


@require_POST
def period_deadline(request, code: str):
    _bu_only(request)
    spec = common.spec()
    _period_or_404(spec, code)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            opening.set_deadline(spec, code, form.cleaned_data["due"], request.user)
        except opening.PeriodRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Returns for {code} are due by {form.cleaned_data['due']:%d %B %Y}")
            return redirect(reverse("site:period", kwargs={"code": code}))
    return _detail(request, code, deadline_form=form, status=400)


@require_POST
def period_extension(request, code: str):
    _bu_only(request)
    spec = common.spec()
    _period_or_404(spec, code)
    form = ExtensionForm(request.POST, partners=spec.partners)
    if form.is_valid():
        d = form.cleaned_data
        try:
            opening.set_extension(spec, code, d["partner"], d["due"], d["reason"].strip(), request.user)
        except opening.PeriodRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"{spec.partner(d['partner']).name} has until {d['due']:%d %B %Y} for {code}")
            return redirect(reverse("site:period", kwargs={"code": code}))
    return _detail(request, code, extension_form=form, status=400)


@require_POST
def period_state(request, code: str):
    """Close a period to new returns, or reopen it."""
    _bu_only(request)
    spec = common.spec()
    _period_or_404(spec, code)
    form = PeriodStateForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["action"] == "close":
                opening.close_period(spec, code, request.user)
            else:
                opening.reopen_period(spec, code, request.user)
        except opening.PeriodRefused as exc:
            _refused(form, exc)
        else:
            done = "closed to new returns" if form.cleaned_data["action"] == "close" else "open for new returns again"
            messages.success(request, f"{code} is {done}")
            return redirect(reverse("site:period", kwargs={"code": code}))
    return _detail(request, code, state_form=form, status=400)
