"""The assurance pages. Who may do what: the business unit keeps the register and sets up
audits; scrutineers read everything and write the scrutiny workspace; a partner's people
update their own agency's actions, complete its audit forms and answer recommendations
addressed to it. Everything is looked up within the request's partnership; anything else
answers 404, as elsewhere."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from masa.assurance import caseaudit as ca
from masa.assurance.common import STATUS_WORDS
from masa.web.accounts.access import partner_of, role_of
from masa.web.accounts.models import BUSINESS_UNIT, PARTNER_ROLES, SCRUTINEER
from masa.web.core.models import Partner
from masa.web.site import common

from . import forms as f
from . import models as m
from . import service


def _code() -> str:
    return common.partnership_code()


def _need(request, *roles) -> str:
    role = role_of(request.user)
    if role not in roles:
        raise Http404("not available to this role")
    return role


def _partners():
    return Partner.objects.filter(partnerships__code=_code()).order_by("name")


def _errors(form) -> list:
    return [(form[name].auto_id if name != "__all__" else "main-content", msg)
            for name, msgs in form.errors.items() for msg in msgs]


def _refuse(form, exc: Exception, field: str) -> None:
    """The engine's complaint, on the field it concerns (``field`` when it names none)."""
    if isinstance(exc, ValidationError):
        loc = exc.errors()[0]["loc"]
        name = str(loc[0]) if loc and str(loc[0]) in form.fields else field
        form.add_error(name, f"{form.fields[name].label}: {service.message(exc)}")
    else:
        form.add_error(field, f"{form.fields[field].label}: {exc}")


def _show(request, template, ctx, form_ok=True):
    bad = [x for k, v in ctx.items() if k.endswith("form") and v is not None and v.is_bound and v.errors
           for x in _errors(v)]
    return render(request, template, {**ctx, "error_list": bad}, status=400 if bad else 200)


def _action_rows(qs, today: date, mine=None) -> list[dict]:
    """Actions as the tables show them; a partner (``mine``) gets a link only to its own
    agency's actions, the only ones it may open."""
    return [{"row": a, "status_word": STATUS_WORDS[a.status], "link": mine is None or a.partner_id == mine.pk,
             "overdue": a.status not in ("done", "dropped") and a.due < today} for a in qs]


@login_required
def index(request):
    role = _need(request, BUSINESS_UNIT, SCRUTINEER, *PARTNER_ROLES)
    today = date.today()
    actions = m.AssuranceAction.objects.filter(recommendation__review__partnership=_code()) | \
        m.AssuranceAction.objects.filter(audit__partnership=_code())
    if role in PARTNER_ROLES:
        actions = actions.filter(partner=partner_of(request.user))
    rows = _action_rows(actions.select_related("partner", "recommendation__review", "audit").distinct(), today)
    return render(request, "assurance/index.html", {
        "actions": rows, "overdue": sum(1 for r in rows if r["overdue"]), "is_partner": role in PARTNER_ROLES,
        "reviews": m.LearningReview.objects.filter(partnership=_code()).count(),
        "audits": m.CaseAudit.objects.filter(partnership=_code()).count()})


@login_required
def reviews(request):
    role = _need(request, BUSINESS_UNIT, SCRUTINEER)
    form = None
    if request.method == "POST":
        _need(request, BUSINESS_UNIT)
        form = f.ReviewForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = service.add_review(_code(), request.user, {k: d[k] for k in ("code", "kind", "title", "started",
                                                                                 "published")})
                messages.success(request, f"Review {row.code} added to the register")
                return redirect(request.path + f"{row.code}/")
            except (ValidationError, ValueError) as exc:
                _refuse(form, exc, "code")
    today = date.today()
    rows = []
    for r in m.LearningReview.objects.filter(partnership=_code()).prefetch_related("recommendations__actions"):
        acts = [a for x in r.recommendations.all() for a in x.actions.all()]
        rows.append({"row": r, "kind": dict(m.KIND_CHOICES)[r.kind], "recs": r.recommendations.count(),
                     "actions": len(acts), "done": sum(1 for a in acts if a.status == "done"),
                     "overdue": sum(1 for a in acts if a.status not in ("done", "dropped") and a.due < today)})
    return _show(request, "assurance/reviews.html", {
        "rows": rows, "form": form or (f.ReviewForm() if role == BUSINESS_UNIT else None)})


@login_required
def review(request, code):
    role = _need(request, BUSINESS_UNIT, SCRUTINEER)
    r = get_object_or_404(m.LearningReview, partnership=_code(), code=code)
    return _review_page(request, r, role)


def _review_page(request, r, role, rec_form=None, action_form=None):
    recs = list(r.recommendations.prefetch_related("actions__partner"))
    today = date.today()
    bu = role == BUSINESS_UNIT
    return _show(request, "assurance/review.html", {
        "r": r, "kind": dict(m.KIND_CHOICES)[r.kind],
        "recs": [{"row": x, "actions": _action_rows(x.actions.all(), today)} for x in recs],
        "rec_form": rec_form or (f.RecommendationForm() if bu else None),
        "action_form": action_form or (f.ActionForm(partners=_partner_choices(), recommendations=[
            (x.ident, f"{x.ident}: {x.text[:80]}") for x in recs]) if bu and recs else None)})


def _partner_choices():
    return [(p.code, p.name) for p in _partners()]


@login_required
@require_POST
def recommendation_add(request, code):
    _need(request, BUSINESS_UNIT)
    r = get_object_or_404(m.LearningReview, partnership=_code(), code=code)
    form = f.RecommendationForm(request.POST)
    if form.is_valid():
        try:
            service.add_recommendation(r, request.user, form.cleaned_data["ident"], form.cleaned_data["text"])
            messages.success(request, "Recommendation added")
            return redirect(f"{common_here()}/assurance/reviews/{r.code}/")
        except (ValidationError, ValueError) as exc:
            _refuse(form, exc, "ident")
    return _review_page(request, r, BUSINESS_UNIT, rec_form=form)


def common_here() -> str:
    from django.urls import get_script_prefix

    return get_script_prefix().rstrip("/")


def _action_data(d: dict) -> dict:
    return {"id": d["ident"], "text": d["text"], "owner": d["owner"], "partner": d["partner"], "due": d["due"]}


@login_required
@require_POST
def review_action_add(request, code):
    _need(request, BUSINESS_UNIT)
    r = get_object_or_404(m.LearningReview, partnership=_code(), code=code)
    recs = list(r.recommendations.all())
    form = f.ActionForm(request.POST, partners=_partner_choices(),
                        recommendations=[(x.ident, f"{x.ident}: {x.text[:80]}") for x in recs])
    if form.is_valid():
        rec = next(x for x in recs if x.ident == form.cleaned_data["recommendation"])
        try:
            service.add_action(_code(), request.user, _action_data(form.cleaned_data), recommendation=rec)
            messages.success(request, "Action added")
            return redirect(f"{common_here()}/assurance/reviews/{r.code}/")
        except ValidationError as exc:
            _refuse(form, exc, "ident")
        except ValueError as exc:
            _refuse(form, exc, "ident" if "already on" in str(exc) else "due" if "due" in str(exc) else "partner")
    return _review_page(request, r, BUSINESS_UNIT, action_form=form)


def _action_for(request, pk) -> tuple[m.AssuranceAction, str]:
    role = _need(request, BUSINESS_UNIT, SCRUTINEER, *PARTNER_ROLES)
    a = m.AssuranceAction.objects.select_related("partner", "recommendation__review", "audit").filter(pk=pk).first()
    home = a and (a.recommendation.review.partnership if a.recommendation else a.audit.partnership)
    if a is None or home != _code():
        raise Http404("no such action")
    if role in PARTNER_ROLES and a.partner_id != partner_of(request.user).pk:
        raise Http404("not your agency's action")
    return a, role


@login_required
def action(request, pk):
    a, role = _action_for(request, pk)
    may = role != SCRUTINEER
    form = f.ActionUpdateForm(initial={"status": a.status, "completed": a.completed, "evidence": a.evidence,
                                       "impact": a.impact}) if may else None
    if request.method == "POST":
        if not may:
            raise Http404("scrutineers read actions")
        form = f.ActionUpdateForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                service.update_action(a, request.user, d["status"], d["completed"], d["evidence"], d["impact"])
                messages.success(request, f"Action {a.ident} updated")
                return redirect(request.path)
            except (ValidationError, ValueError) as exc:
                _refuse(form, exc, "completed")
    where = (f"Review {a.recommendation.review.code}, recommendation {a.recommendation.ident}" if a.recommendation
             else f"Case audit {a.audit.code}")
    return _show(request, "assurance/action.html", {
        "a": a, "where": where, "status_word": STATUS_WORDS[a.status], "form": form,
        "overdue": a.status not in ("done", "dropped") and a.due < date.today()})


@login_required
def audits(request):
    role = _need(request, BUSINESS_UNIT, SCRUTINEER, *PARTNER_ROLES)
    form = None
    if request.method == "POST":
        _need(request, BUSINESS_UNIT)
        form = f.AuditSetupForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = service.add_audit(_code(), request.user, d["code"], d["theme"], d["held"], form.refs())
                messages.success(request, f"Case audit {row.code} set up with {row.cases.count()} cases")
                return redirect(request.path + f"{row.code}/")
            except ValidationError as exc:
                _refuse(form, exc, "sample")
            except ValueError as exc:
                _refuse(form, exc, "code")
    rows = [{"row": a, "cases": a.cases.count()} for a in m.CaseAudit.objects.filter(partnership=_code())]
    return _show(request, "assurance/audits.html", {
        "rows": rows, "form": form or (f.AuditSetupForm() if role == BUSINESS_UNIT else None)})


@login_required
def audit(request, code, action_form=None):
    role = _need(request, BUSINESS_UNIT, SCRUTINEER, *PARTNER_ROLES)
    a = get_object_or_404(m.CaseAudit, partnership=_code(), code=code)
    mine = partner_of(request.user) if role in PARTNER_ROLES else None
    cases = []
    for c in a.cases.prefetch_related("forms__partner"):
        forms_ = [x for x in c.forms.all() if mine is None or x.partner_id == mine.pk]
        cases.append({"row": c, "forms": forms_, "done": any(x.partner_id == getattr(mine, "pk", None)
                                                             for x in c.forms.all())})
    summary = service.book(_code())
    s = next((ca.summary(x) for x in summary.audits if x.code == a.code), None) if mine is None else None
    bu = role == BUSINESS_UNIT
    return _show(request, "assurance/audit.html", {
        "a": a, "cases": cases, "summary": s, "is_partner": mine is not None,
        "grades": [(ca.GRADES[g], n) for g, n in s.grades.items()] if s else [],
        "concerns": [x for c in cases for x in c["forms"] if x.immediate_concern],
        "actions": _action_rows(a.actions.select_related("partner"), date.today(), mine),
        "action_form": action_form or (f.ActionForm(partners=_partner_choices()) if bu else None)})


@login_required
@require_POST
def audit_action_add(request, code):
    _need(request, BUSINESS_UNIT)
    a = get_object_or_404(m.CaseAudit, partnership=_code(), code=code)
    form = f.ActionForm(request.POST, partners=_partner_choices())
    if form.is_valid():
        try:
            service.add_action(_code(), request.user, _action_data(form.cleaned_data), audit=a)
            messages.success(request, "Action added from the audit's findings")
            return redirect(f"{common_here()}/assurance/audits/{a.code}/")
        except ValidationError as exc:
            _refuse(form, exc, "ident")
        except ValueError as exc:
            _refuse(form, exc, "ident" if "already on" in str(exc) else "due" if "due" in str(exc) else "partner")
    return audit(request, code, action_form=form)


@login_required
def audit_form(request, code, ref):
    _need(request, *PARTNER_ROLES)
    a = get_object_or_404(m.CaseAudit, partnership=_code(), code=code)
    case = get_object_or_404(m.AuditCase, audit=a, ref=ref)
    partner = partner_of(request.user)
    row = m.AuditForm.objects.filter(case=case, partner=partner).first()
    form = f.AuditFormForm(initial={"grade": row.grade, "findings": row.findings, "concern": row.concern,
                                    "immediate_concern": row.immediate_concern} if row else None)
    if request.method == "POST":
        form = f.AuditFormForm(request.POST)
        if form.is_valid():
            try:
                _, raised = service.save_form(case, partner, request.user, form.cleaned_data)
                messages.success(request, f"Your audit of case {case.ref} is saved" +
                                 ("; the business unit has been told of the immediate concern" if raised else ""))
                return redirect(f"{common_here()}/assurance/audits/{a.code}/")
            except ValidationError as exc:
                _refuse(form, exc, "findings")
    return _show(request, "assurance/audit_form.html", {"a": a, "case": case, "partner": partner, "form": form})


def _year(request):
    period = request.GET.get("period") or common.spec().periods.current
    if period not in common.spec().periods.financial_years:
        raise Http404("no such year")
    return service.scrutiny_year(_code(), period)


@login_required
def scrutiny(request, form=None, rec_form=None, sign_form=None):
    role = _need(request, BUSINESS_UNIT, SCRUTINEER, *PARTNER_ROLES)
    y = _year(request)
    scrutineer = role == SCRUTINEER
    if request.method == "POST" and form is None and rec_form is None and sign_form is None:
        _need(request, SCRUTINEER)
        form = f.ScrutinyForm(request.POST)
        if form.is_valid():
            try:
                service.save_statement(y, request.user, form.plan_items(), form.cleaned_data["statement"])
                messages.success(request, "Plan and statement saved")
                return redirect(request.get_full_path())
            except (ValidationError, ValueError) as exc:
                _refuse(form, exc, "statement")
    mine = partner_of(request.user) if role in PARTNER_ROLES else None
    recs = []
    for x in y.recommendations.prefetch_related("to", "responses__partner"):
        to = list(x.to.all())
        if mine is not None and mine not in to:
            continue
        answered = {r.partner_id for r in x.responses.all()}
        recs.append({"row": x, "to": to, "responses": list(x.responses.all()),
                     "awaiting": [p for p in to if p.pk not in answered],
                     "respond": mine is not None and mine.pk not in answered})
    plan = "\n".join(("[x] " if p.get("done") else "") + p["text"] for p in y.plan)
    return _show(request, "assurance/scrutiny.html", {
        "y": y, "recs": recs, "is_scrutineer": scrutineer, "is_partner": mine is not None,
        "form": form or (f.ScrutinyForm(initial={"plan": plan, "statement": y.statement}) if scrutineer else None),
        "rec_form": rec_form or (f.ScrutinyRecommendationForm(partners=_partner_choices()) if scrutineer else None),
        "sign_form": sign_form or (f.SignOffForm() if scrutineer else None),
        "response_form": f.ResponseForm() if mine is not None else None})


@login_required
@require_POST
def scrutiny_recommendation_add(request):
    _need(request, SCRUTINEER)
    y = _year(request)
    form = f.ScrutinyRecommendationForm(request.POST, partners=_partner_choices())
    if form.is_valid():
        d = form.cleaned_data
        try:
            service.add_scrutiny_recommendation(y, request.user, d["ident"], d["text"], d["made"],
                                                list(_partners().filter(code__in=d["to"])))
            messages.success(request, "Recommendation sent to the lead partners")
            return redirect(f"{common_here()}/assurance/scrutiny/?period={y.period}")
        except (ValidationError, ValueError) as exc:
            _refuse(form, exc, "ident")
    return scrutiny(request, rec_form=form)


@login_required
@require_POST
def scrutiny_respond(request, pk):
    _need(request, *PARTNER_ROLES)
    rec = get_object_or_404(m.ScrutinyRecommendation, pk=pk, year__partnership=_code())
    partner = partner_of(request.user)
    if not rec.to.filter(pk=partner.pk).exists():
        raise Http404("not addressed to your agency")
    form = f.ResponseForm(request.POST)
    if form.is_valid():
        try:
            service.respond(rec, partner, request.user, form.cleaned_data["text"], form.cleaned_data["given"])
            messages.success(request, f"Your response to recommendation {rec.ident} is recorded")
            return redirect(f"{common_here()}/assurance/scrutiny/?period={rec.year.period}")
        except (ValidationError, ValueError) as exc:
            _refuse(form, exc, "text")
    return _show(request, "assurance/respond.html", {"rec": rec, "response_form": form})


@login_required
@require_POST
def sign_off(request):
    _need(request, SCRUTINEER)
    y = _year(request)
    form = f.SignOffForm(request.POST)
    if form.is_valid():
        try:
            service.sign_off(y, request.user, form.cleaned_data["on"])
            messages.success(request, f"You have signed off the {y.period} yearly report")
            return redirect(f"{common_here()}/assurance/scrutiny/?period={y.period}")
        except (ValidationError, ValueError) as exc:
            _refuse(form, exc, "on")
    return scrutiny(request, sign_form=form)
