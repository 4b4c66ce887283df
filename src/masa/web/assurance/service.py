"""Between the database and ``masa.assurance``: a partnership's stored assurance as the
engine's ``Book`` (so every rule runs in one place), a folder's book stored without
overwriting web work, and the changes the pages make, each validated by the engine first and
saved in one transaction, audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from pydantic import ValidationError

from masa.assurance import caseaudit as ca
from masa.assurance import reviews as rv
from masa.assurance import scrutiny as sc
from masa.assurance.book import Book
from masa.web.auditlog.chain import append
from masa.web.core.models import Partner

from . import models as m


def message(exc: ValidationError) -> str:
    """The engine's first complaint, in words for a form (without pydantic's prefix)."""
    e = exc.errors()[0]
    return str(e["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _action(a: m.AssuranceAction) -> rv.Action:
    """As stored, unchecked: text stored before a rule was added must still be readable (the
    report leaves out what fails, and a change re-validates)."""
    return rv.Action.model_construct(id=a.ident, text=a.text, owner=a.owner, partner=a.partner.code if a.partner else "", due=a.due,
                     status=a.status, completed=a.completed, evidence=a.evidence, impact=a.impact)


def book(partnership: str) -> Book:
    """Everything stored for one partnership, as the engine reads it."""
    reviews = []
    for r in m.LearningReview.objects.filter(partnership=partnership).prefetch_related(
            "recommendations__actions__partner"):
        recs = [rv.Recommendation(id=x.ident, text=x.text, actions=[_action(a) for a in x.actions.all()])
                for x in r.recommendations.all()]
        reviews.append(rv.Review.model_construct(code=r.code, kind=r.kind, title=r.title, started=r.started,
                                                 published=r.published, recommendations=recs))
    audits = []
    for a in m.CaseAudit.objects.filter(partnership=partnership).prefetch_related("cases__forms__partner",
                                                                                  "actions__partner"):
        cases = list(a.cases.all())
        audits.append(ca.CaseAudit.model_construct(
            code=a.code, theme=a.theme, held=a.held, themes=list(a.themes),
            sample=[ca.Case.model_construct(ref=c.ref) for c in cases],
            forms=[ca.AuditForm.model_construct(case=c.ref, partner=f.partner.code, grade=f.grade, findings=f.findings,
                                                immediate_concern=f.immediate_concern, concern=f.concern)
                   for c in cases for f in c.forms.all()],
            actions=[_action(x) for x in a.actions.all()]))
    years = []
    for y in m.ScrutinyYear.objects.filter(partnership=partnership).prefetch_related(
            "recommendations__to", "recommendations__responses__partner"):
        recs = [sc.ScrutinyRecommendation.model_construct(
            id=x.ident, text=x.text, made=x.made, to=[p.code for p in x.to.all()],
            responses=[sc.Response.model_construct(partner=r.partner.code, text=r.text, given=r.given)
                       for r in x.responses.all()]) for x in y.recommendations.all()]
        signed = sc.SignOff(by=y.signed_off_by, day=y.signed_off_on) if y.signed_off_on else None
        years.append(sc.Scrutiny.model_construct(period=y.period, plan=[sc.PlanItem.model_construct(**p) for p in y.plan],
                                                 recommendations=recs, statement=y.statement, signed_off=signed))
    return Book.model_construct(reviews=reviews, audits=audits, scrutiny=years)


def _partner(code: str, partnership: str) -> Partner | None:
    if not code:
        return None
    from masa.web.core.models import Partnership

    p = Partner.objects.filter(code=code).first()
    if p is None or not Partnership.objects.filter(code=partnership, partners=p).exists():
        raise ValueError(f"partner {code!r} is not one of this partnership's partners")
    return p


def _store_action(a: rv.Action, partnership: str, **where) -> m.AssuranceAction:
    return m.AssuranceAction.objects.create(
        ident=a.id, text=a.text, owner=a.owner, partner=_partner(a.partner, partnership), due=a.due,
        status=a.status, completed=a.completed, evidence=a.evidence, impact=a.impact, **where)


def load_book(loaded: Book, partnership: str, who=None) -> tuple[list[str], list[str]]:
    """Store a folder's book: each review, audit and scrutiny year not yet stored is added
    whole; one already stored is kept as it is (the web may have changed it). Returns
    (added, kept) labels. Runs inside the caller's transaction."""
    added, kept = [], []
    for r in loaded.reviews:
        if m.LearningReview.objects.filter(partnership=partnership, code=r.code).exists():
            kept.append(f"review {r.code}")
            continue
        row = m.LearningReview.objects.create(partnership=partnership, code=r.code, kind=r.kind, title=r.title,
                                              started=r.started, published=r.published)
        for rec in r.recommendations:
            x = m.Recommendation.objects.create(review=row, ident=rec.id, text=rec.text)
            for a in rec.actions:
                _store_action(a, partnership, recommendation=x)
        added.append(f"review {r.code}")
    for a in loaded.audits:
        if m.CaseAudit.objects.filter(partnership=partnership, code=a.code).exists():
            kept.append(f"case audit {a.code}")
            continue
        row = m.CaseAudit.objects.create(partnership=partnership, code=a.code, theme=a.theme, held=a.held,
                                         themes=a.themes)
        cases = {c.ref: m.AuditCase.objects.create(audit=row, ref=c.ref) for c in a.sample}
        for f in a.forms:
            m.AuditForm.objects.create(case=cases[f.case], partner=_partner(f.partner, partnership), grade=f.grade,
                                       findings=f.findings, immediate_concern=f.immediate_concern, concern=f.concern)
        for x in a.actions:
            _store_action(x, partnership, audit=row)
        added.append(f"case audit {a.code}")
    for s in loaded.scrutiny:
        if m.ScrutinyYear.objects.filter(partnership=partnership, period=s.period).exists():
            kept.append(f"scrutiny {s.period}")
            continue
        y = m.ScrutinyYear.objects.create(partnership=partnership, period=s.period,
                                          plan=[p.model_dump() for p in s.plan], statement=s.statement,
                                          signed_off_by=s.signed_off.by if s.signed_off else "",
                                          signed_off_on=s.signed_off.day if s.signed_off else None)
        for rec in s.recommendations:
            x = m.ScrutinyRecommendation.objects.create(year=y, ident=rec.id, text=rec.text, made=rec.made)
            x.to.set([_partner(c, partnership) for c in rec.to])
            for resp in rec.responses:
                m.ScrutinyResponse.objects.create(recommendation=x, partner=_partner(resp.partner, partnership),
                                                  text=resp.text, given=resp.given)
        added.append(f"scrutiny {s.period}")
    if added:
        append(who, "assurance.loaded", f"partnership:{partnership}", {"added": added})
    return added, kept


# ---- changes made in the web: the engine validates, then one transaction stores -------------

def add_review(partnership: str, actor, data: dict) -> m.LearningReview:
    r = rv.Review(**data)
    with transaction.atomic():
        if m.LearningReview.objects.filter(partnership=partnership, code=r.code).exists():
            raise ValueError(f"a review with the code {r.code} is already in the register")
        row = m.LearningReview.objects.create(partnership=partnership, code=r.code, kind=r.kind, title=r.title,
                                              started=r.started, published=r.published)
        append(actor, "assurance.review_added", f"review:{partnership}/{r.code}", {"kind": r.kind})
    return row


def add_recommendation(review: m.LearningReview, actor, ident: str, text: str) -> m.Recommendation:
    rec = rv.Recommendation(id=ident, text=text)
    with transaction.atomic():
        if review.recommendations.filter(ident=rec.id).exists():
            raise ValueError(f"recommendation {rec.id} is already on this review")
        row = m.Recommendation.objects.create(review=review, ident=rec.id, text=rec.text)
        append(actor, "assurance.recommendation_added", f"review:{review.partnership}/{review.code}", {"id": rec.id})
    return row


def _start(row: m.AssuranceAction | None = None, *, recommendation=None, audit=None) -> tuple[date, str]:
    """The day an action's review began or its audit was held, and which it was."""
    recommendation = recommendation or (row.recommendation if row else None)
    audit = audit or (row.audit if row else None)
    if recommendation is not None:
        return recommendation.review.started, "the review started"
    return audit.held, "the audit was held"


def add_action(partnership: str, actor, data: dict, *, recommendation=None, audit=None) -> m.AssuranceAction:
    """A new action; due on or after its review started (or its audit was held). The same
    action posted twice (a double click) is stored once; another action under a number
    already used there is refused."""
    a = rv.Action(**data)
    rv.check_dates(a, *_start(recommendation=recommendation, audit=audit))
    with transaction.atomic():
        (m.Recommendation if recommendation is not None else m.CaseAudit).objects.select_for_update().get(
            pk=(recommendation or audit).pk)  # two posts at once wait for each other here
        same = m.AssuranceAction.objects.filter(ident=a.id, recommendation=recommendation, audit=audit).first()
        if same is not None:
            if (same.text, same.owner, same.due) == (a.text, a.owner, a.due):
                return same
            raise ValueError(f"action {a.id} is already on this {'recommendation' if recommendation else 'audit'}: "
                             "give the new one another number")
        row = _store_action(a, partnership, recommendation=recommendation, audit=audit)
        append(actor, "assurance.action_added", f"action:{row.pk}", {"id": a.id, "owner": a.owner})
    return row


def update_action(row: m.AssuranceAction, actor, status: str, completed: date | None, evidence: str,
                  impact: str) -> None:
    """A partner's (or the business unit's) update of an action's progress."""
    checked = rv.Action(**{**_action(row).model_dump(), "status": status, "completed": completed, "evidence": evidence,
                           "impact": impact})
    rv.check_dates(checked, *_start(row))
    with transaction.atomic():
        m.AssuranceAction.objects.filter(pk=row.pk).update(status=checked.status, completed=checked.completed,
                                                           evidence=checked.evidence, impact=checked.impact)
        append(actor, "assurance.action_updated", f"action:{row.pk}", {"status": checked.status})


def add_audit(partnership: str, actor, code: str, theme: str, held: date, refs: list[str]) -> m.CaseAudit:
    audit = ca.CaseAudit(code=code, theme=theme, held=held, sample=[{"ref": r} for r in refs])
    with transaction.atomic():
        if m.CaseAudit.objects.filter(partnership=partnership, code=audit.code).exists():
            raise ValueError(f"an audit with the code {audit.code} already exists")
        row = m.CaseAudit.objects.create(partnership=partnership, code=audit.code, theme=audit.theme, held=audit.held)
        for c in audit.sample:
            m.AuditCase.objects.create(audit=row, ref=c.ref)
        append(actor, "assurance.audit_added", f"audit:{partnership}/{audit.code}", {"cases": len(audit.sample)})
    return row


def save_form(case: m.AuditCase, partner: Partner, actor, data: dict) -> tuple[m.AuditForm, bool]:
    """An agency's audit form for one case; returns (form, newly raised immediate concern)."""
    form = ca.AuditForm(case=case.ref, partner=partner.code, **data)
    with transaction.atomic():
        before = m.AuditForm.objects.filter(case=case, partner=partner).first()
        was = bool(before and before.immediate_concern)
        row, _ = m.AuditForm.objects.update_or_create(case=case, partner=partner, defaults={
            "grade": form.grade, "findings": form.findings, "immediate_concern": form.immediate_concern,
            "concern": form.concern})
        append(actor, "assurance.audit_form_saved", f"audit:{case.audit.partnership}/{case.audit.code}/{case.ref}",
               {"partner": partner.code, "grade": form.grade, "immediate_concern": form.immediate_concern})
        raised = form.immediate_concern and not was
        if raised:
            from masa.web.notify.events import immediate_concern

            immediate_concern(row, actor, case.audit.partnership)
    return row, raised


def scrutiny_year(partnership: str, period: str) -> m.ScrutinyYear:
    row, _ = m.ScrutinyYear.objects.get_or_create(partnership=partnership, period=period)
    return row


def save_statement(year: m.ScrutinyYear, actor, plan: list[dict], statement: str) -> None:
    checked = sc.Scrutiny(period=year.period, plan=plan, statement=statement)
    with transaction.atomic():
        m.ScrutinyYear.objects.filter(pk=year.pk).update(plan=[p.model_dump() for p in checked.plan],
                                                         statement=checked.statement)
        append(actor, "assurance.scrutiny_saved", f"scrutiny:{year.partnership}/{year.period}",
               {"plan_items": len(checked.plan)})


def add_scrutiny_recommendation(year: m.ScrutinyYear, actor, ident: str, text: str, made: date,
                                to: list[Partner]) -> m.ScrutinyRecommendation:
    sc.ScrutinyRecommendation(id=ident, text=text, made=made, to=[p.code for p in to])
    with transaction.atomic():
        if year.recommendations.filter(ident=ident).exists():
            raise ValueError(f"recommendation {ident} already exists for {year.period}")
        row = m.ScrutinyRecommendation.objects.create(year=year, ident=ident, text=text, made=made)
        row.to.set(to)
        append(actor, "assurance.scrutiny_recommendation", f"scrutiny:{year.partnership}/{year.period}",
               {"id": ident, "to": [p.code for p in to]})
    return row


def respond(rec: m.ScrutinyRecommendation, partner: Partner, actor, text: str, given: date) -> None:
    sc.Response(partner=partner.code, text=text, given=given)
    with transaction.atomic():
        m.ScrutinyResponse.objects.update_or_create(recommendation=rec, partner=partner,
                                                    defaults={"text": text, "given": given, "by": actor})
        append(actor, "assurance.scrutiny_response", f"scrutiny:{rec.year.partnership}/{rec.year.period}",
               {"id": rec.ident, "partner": partner.code})


def sign_off(year: m.ScrutinyYear, actor, on: date) -> None:
    """The scrutineer signs off the year's report: recorded on the year and in the audit log."""
    who = actor.get_full_name() or actor.username
    sc.Scrutiny(period=year.period, statement=year.statement, signed_off={"by": who, "day": on})
    with transaction.atomic():
        m.ScrutinyYear.objects.filter(pk=year.pk).update(signed_off_by=who, signed_off_on=on)
        append(actor, "report.scrutineer_signed_off", f"report:{year.partnership}/{year.period}", {"on": on.isoformat()})
