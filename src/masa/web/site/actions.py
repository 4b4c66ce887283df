"""The actions register (``/bu/actions/``): every audit action across partners and years,
one row per action with its history, filterable, with overdue ones flagged in words, and a
CSV export of the filtered list (cells neutralised against spreadsheet formulas)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from masa.returns.rollover import STATUS_WORDS, action_rows
from masa.web import store
from masa.web.core.models import Return

from . import common, scoped, spreadsheets
from .dashboard import _bu_only

STATUSES = [("", "Any status"), ("open", "Open"), ("in-progress", "In progress"), ("done", "Done"),
            ("dropped", "Dropped")]
FINISHED = ("done", "dropped")
CSV_HEADER = ["partner", "audit", "action", "owner", "due", "status", "overdue", "raised", "latest_year", "history",
              "note", "id"]


class RegisterFilter(forms.Form):
    partner = forms.ChoiceField(required=False, label="Partner",
                                error_messages={"invalid_choice": "Choose a partner from the list"})
    year = forms.ChoiceField(required=False, label="Year",
                             error_messages={"invalid_choice": "Choose a year from the list"})
    status = forms.ChoiceField(required=False, label="Status", choices=STATUSES,
                               error_messages={"invalid_choice": "Choose a status from the list"})
    overdue = forms.BooleanField(required=False, label="Overdue only (due date passed and not done or dropped)")

    def __init__(self, data, spec, years):
        super().__init__(data)
        self.fields["partner"].choices = [("", "All partners")] + [(p.code, p.name) for p in spec.partners]
        self.fields["year"].choices = [("", "All years")] + [(y, y) for y in years]


def register_rows(spec, today: date | None = None) -> list[dict]:
    """Every action of the partnership's partners, with partner name, overdue flag and history text."""
    today = today or date.today()
    partners = {p.code: p.name for p in spec.partners}
    rows = (Return.objects.filter(partner__code__in=list(partners)).select_related("partner", "period", "template")
            .order_by("period__code", "partner__code", "template__code"))
    out = []
    for r in action_rows([scoped.for_partnership(spec, row, store.return_from_row(row)) for row in rows]):  # its areas' parts only
        r["partner_name"] = partners.get(r["partner"], r["partner"])
        r["status_word"] = STATUS_WORDS.get(r["status"], r["status"])
        r["overdue"] = bool(r["due"] and r["due"] < today and r["status"] not in FINISHED)
        r["years"] = [h.period for h in r["history"]]
        r["history_text"] = "; ".join(f"{h.period}: {STATUS_WORDS[h.status]}" + (f" ({h.note})" if h.note else "")
                                      for h in r["history"])
        out.append(r)
    out.sort(key=lambda r: (r["partner_name"], r["raised"], r["audit"], r["text"]))
    return out


def filtered(rows: list[dict], f: dict) -> list[dict]:
    return [r for r in rows
            if (not f.get("partner") or r["partner"] == f["partner"])
            and (not f.get("year") or f["year"] in r["years"])
            and (not f.get("status") or r["status"] == f["status"])
            and (not f.get("overdue") or r["overdue"])]


def _read(request, spec):
    years = [p for p in spec.periods.financial_years]
    form = RegisterFilter(request.GET or None, spec, years)
    rows = register_rows(spec)
    if form.is_bound and not form.is_valid():
        return form, rows, []
    return form, rows, filtered(rows, form.cleaned_data if form.is_bound else {})


@require_GET
def register(request):
    _bu_only(request)
    spec = common.spec()
    form, rows, shown = _read(request, spec)
    errors = [(f"id_{name}", m) for name, msgs in form.errors.items() for m in msgs] if form.is_bound else []
    query = request.GET.urlencode()
    return render(request, "site/actions.html", {
        "form": form, "rows": shown, "total": len(rows), "error_list": errors, "query": query,
        "overdue": sum(1 for r in shown if r["overdue"])}, status=400 if errors else 200)


@require_GET
def register_csv(request):
    _bu_only(request)
    spec = common.spec()
    form, _, shown = _read(request, spec)
    if form.is_bound and not form.is_valid():
        msg = "; ".join(f"{form.fields[n].label}: {m}" for n, ms in form.errors.items() for m in ms)
        return HttpResponse(f"No CSV: {msg}", status=400, content_type="text/plain; charset=utf-8")
    body = [CSV_HEADER] + [[r["partner_name"], r["audit"], r["text"], r["owner"], r["due"].isoformat() if r["due"] else "",
                            r["status_word"], "overdue" if r["overdue"] else "", r["raised"], r["period"],
                            r["history_text"], r["note"], r["id"]] for r in shown]
    resp = HttpResponse(spreadsheets.csv_bytes(body), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="actions-register.csv"'
    return resp
