"""The returns list and starting a partner's return for an open period."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from masa.web.accounts import access
from masa.web.workflow import due, reviews

from . import common, periodforms, starting


def _current_period(spec) -> str:
    return spec.periods.current


def _returns_page(request, form=None, status=200):
    """The returns list: each return with its due date and standing, and for a partner the
    open periods that still need a return, with the form to start one."""
    spec = common.spec()
    rows = list(access.returns_visible_to(request.user).order_by("-period__code", "partner__code", "template__code"))
    partner = access.partner_of(request.user)
    to_start = (starting.startable(spec, {(r.period.code, r.template.code) for r in rows}, partner.code)
                if partner else [])
    periods = sorted({r.period.code for r in rows} | {p.code for p, _ in to_start})
    dues = due.book(periods, rows, spec.partnership.code)
    # the business unit and scrutineers read their own partnership's status of a shared return
    status_of = (lambda r: r.status) if partner else (lambda r: reviews.status_in(r, spec.partnership.code))
    listed = [{"row": r, "status": status_of(r), "due": dues.due(r.period.code, r.partner.code),
               "extension": dues.extension(r.period.code, r.partner.code),
               "standing": dues.standing(r.period.code, r.partner.code, r)} for r in rows]
    missing = [{"period": p, "template": t, "due": dues.due(p.code, partner.code),
                "standing": dues.standing(p.code, partner.code)} for p, t in to_start]
    if form is None and to_start:
        start_periods = list(dict.fromkeys(p.code for p, _ in to_start))
        form = periodforms.StartForm(periods=start_periods, templates=_startable_templates(spec, to_start),
                                     initial={"period": _current_period(spec) if _current_period(spec) in start_periods
                                              else start_periods[0], "template": to_start[0][1].code})
    error_list = [(form[name].auto_id if name in form.fields else "start", msg)
                  for name, msgs in form.errors.items() for msg in msgs] if form is not None else []
    return render(request, "site/returns.html", {"rows": listed, "missing": missing, "form": form, "partner": partner,
                                                 "period": _current_period(spec), "error_list": error_list},
                  status=status)


def _startable_templates(spec, to_start) -> list:
    codes = {t.code for _, t in to_start}
    return [t for t in spec.templates if t.code in codes]


@login_required
@require_GET
def returns_list(request):
    if access.role_of(request.user) == "none":
        raise Http404("no role")
    return _returns_page(request)


@login_required
@require_POST
def return_start(request):
    """Start the partner's return for an open period (the current one by default)."""
    partner = access.partner_of(request.user)
    if partner is None:
        raise Http404("only partners start returns")
    spec = common.spec()
    data = request.POST.copy()
    data.setdefault("period", _current_period(spec))
    form = periodforms.StartForm(data, periods=[p.code for p in starting.open_now(spec)], templates=spec.templates)
    if form.is_valid():
        try:
            row, _ = starting.start_return(partner, form.cleaned_data["period"], form.cleaned_data["template"],
                                           request.user, spec=spec)
        except starting.StartRefused as exc:
            form.add_error("template", f"Return: {exc}")
        else:
            return redirect("site:return", pk=row.pk)
    return _returns_page(request, form, status=400)
