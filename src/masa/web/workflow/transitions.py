"""Return workflow: draft → submitted → queried ↔ resubmitted → approved → published.

The business unit's moves (query, approve, publish) belong to one partnership: for a return
whose partner serves several, each partnership's ``Review`` moves on its own
(``workflow.reviews``); the partner's moves (submit, resubmit) go to every partnership at
once. A publication of a year can be withdrawn, with a reason (``withdraw``).

Every transition is recorded (who, when, why) and audited; submitted, approved and published
states freeze an immutable ``ReturnVersion``. The service enforces its own rules, so every
caller (web form, API, command line) gets them: a return whose required sections are empty
cannot go forward, one with a carried item left unanswered cannot be submitted, and one
with an error finding cannot be approved or published.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.db.models import F

from masa.returns import Return as PlainReturn
from masa.returns.quarters import year_and_quarters
from masa.returns.rollover import unanswered
from masa.web.auditlog.chain import append
from masa.web.notify import events as notify_events

from . import checks_seam, reviews
from .models import Message, Review, Transition, Withdrawal

ALLOWED = {
    "submit": ({"draft"}, "submitted"),
    "resubmit": ({"queried"}, "resubmitted"),
    "query": ({"submitted", "resubmitted", "queried"}, "queried"),  # a second query (another section) while one is open
    "approve": ({"submitted", "resubmitted"}, "approved"),
    "publish": ({"approved"}, "published"),
}
PARTNER_ACTIONS = {"submit", "resubmit"}
FORWARD = {action: target for action, (_, target) in ALLOWED.items() if action != "query"}
GATED = {"approve": "approval", "publish": "publication"}  # error findings block these

# What counts as filled in, per section kind: anything but blanks.
_FILLED = {
    "narrative": lambda r, code: any(s.section == code and s.text.strip() for s in r.sections),
    "voice": lambda r, code: bool(r.voice.strip()),
    "figures": lambda r, code: any(v.value is not None for v in r.values),
    "audits": lambda r, code: any(a.title.strip() for a in r.audits),
    "highlights": lambda r, code: any(h.delivered.strip() for h in r.highlights),
    "challenges": lambda r, code: any(c.text.strip() for c in r.challenges),
    "next_year": lambda r, code: any(n.text.strip() for n in r.next_year),
    "case_studies": lambda r, code: any(c.text.strip() for c in r.case_studies),
    "attachments": lambda r, code: bool(r.attachments),
}


class TransitionError(ValueError):
    pass


def empty_required_sections(spec, ret) -> list[str]:
    """Titles, as the return form labels them, of the required sections left empty."""
    template = spec.template(ret.template)
    return [s.title for s in template.sections if s.required and not _FILLED[s.kind](ret, s.code)]


def blocking_findings(spec, ret, beside: list[list] | None = None, quarters: list = ()) -> list:
    """The error findings about a return: each one blocks approval and publication.
    ``beside``: each way the public may see the partner's other returns (``_beside``: each a
    whole set of them), checked in turn (None: as stored); ``quarters``: its quarterly returns
    of the year."""
    if beside is None:
        return checks_seam.error_findings(spec, ret, None, quarters)
    seen, out = set(), []
    for siblings in beside or [[]]:
        for f in checks_seam.error_findings(spec, ret, siblings, quarters):
            if (f.code, f.location, f.message) not in seen:
                seen.add((f.code, f.location, f.message))
                out.append(f)
    return out


def _beside(snap, action: str, partnership: str, spec) -> list[list]:
    """Each way the public may see the partner's other returns (other templates of the period,
    last year's) beside this one, in the partnership's scope: all of them as this move reads
    them (``_reviewed``), then once more for each version the partnership approved or
    published that differs from it. An answer must not state a figure any of them hides, so
    each is checked (privacy.suppressed-figure)."""
    from masa.web.site.scoped import for_partnership

    others = checks_seam.sibling_rows(snap)
    now = [_reviewed(o, action, partnership, spec) for o in others]
    views = [now]
    reviews = {r.ret_id: r for r in Review.objects.filter(ret__in=others, partnership=partnership)
               .select_related("approved", "published")}
    for i, other in enumerate(others):
        review = reviews.get(other.pk)
        seen = {now[i].model_dump_json()}
        for version in (review.approved, review.published) if review else ():
            body = None if version is None else for_partnership(spec, other, PlainReturn.model_validate(version.content))
            if body is not None and body.model_dump_json() not in seen:
                seen.add(body.model_dump_json())
                views.append([*now[:i], body, *now[i + 1:]])
    return views


def _others_hidden(snap, action: str, partnership: str, spec, ret, beside: list[list], quarters: list) -> list:
    """For a partner serving several partnerships: the sentences of ``ret`` (what this
    partnership will publish) that give away a figure another partnership's published tables
    hide, read against every partnership's cells of the partner at once
    (``checks_seam.hidden_across``): each other partnership's returns as it may publish them
    (``_beside``), beside this one's as this move reads them."""
    others = list(snap.partner.partnerships.exclude(code=partnership).order_by("code"))
    if not others:
        return []
    mine = (spec, [ret, *quarters, *(beside[0] if beside else [])])
    theirs = []
    for other in others:
        other_spec = _spec_of(other.code)
        their_quarters = [_reviewed(q, action, other.code, other_spec) for q in checks_seam.quarter_rows(snap)]
        body = _reviewed(snap, action, other.code, other_spec)
        theirs.append([(other_spec, [body, *their_quarters, *view]) for view in _beside(snap, action, other.code, other_spec)])
    out, seen = [], set()
    for i, views in enumerate(theirs):
        rest = [v[0] for j, v in enumerate(theirs) if j != i]
        name = views[0][0].partnership.name
        for view in views:
            for f in checks_seam.hidden_across(spec, ret, [mine, view, *rest]):
                if (f.location, f.quote) not in seen:
                    seen.add((f.location, f.quote))
                    # the other partnership's hidden figures are its own: the message names the
                    # sentence and that partnership, never the counts its tables hide
                    out.append(replace(f, message=(
                        f"across the partnerships this partner serves: '{f.quote}', in a part every partnership "
                        f"it serves publishes, read with the figures {name} publishes for this partner, gives "
                        f"away a figure its tables hide as 'c': leave it out, or say it without a number.")))
    return out


def _refuse(action: str, spec, ret, beside: list[list] | None = None, quarters: list = (),
            elsewhere=lambda ret, beside, quarters: []) -> None:
    """Raise with every reason a submission is refused at once, so one fix round is enough."""
    reasons = []
    empty = empty_required_sections(spec, ret)
    if empty:
        reasons.append(f"required section{'s are' if len(empty) > 1 else ' is'} empty: {', '.join(empty)}")
    if action in ("submit", "resubmit"):
        left = unanswered(ret)  # the carry.unanswered check's errors: they block submission too
        if left:
            reasons.append(f"{len(left)} item(s) carried from last year still to answer, "
                           f"for example: {left[0][2]}")
    if reasons:
        raise TransitionError(f"This return cannot be {FORWARD[action]}: {'; and '.join(reasons)}")
    if action in GATED:
        # the return's own findings first: the example the refusal gives is about this page
        own = blocking_findings(spec, ret, beside, quarters)
        already = {(f.location, f.quote) for f in own}  # read again across partnerships: said once
        blocking = sorted(own + [f for f in elsewhere(ret, beside, quarters) if (f.location, f.quote) not in already],
                          key=lambda f: _about_another(f, ret))
        if blocking:
            raise TransitionError(f"This return has {len(blocking)} error finding(s) that block {GATED[action]}, "
                                  f"for example: {_worded(blocking[0], spec, ret)}")
        said = _young_people_beside(spec, ret)
        if said:
            raise TransitionError(said)


def _young_people_beside(spec, ret) -> str:
    """Why the partnership's approved or published young people's version of the year may not
    stand beside this return once it is public (it states a figure the return's table would
    hide), or ""."""
    from masa.spec import parse_period
    from masa.web.youngpeople import service as young_people

    try:
        year = parse_period(ret.period).year
    except ValueError:
        return ""
    v = young_people.version(spec.partnership.code, year)
    if v is None or v.status not in ("approved", "published"):
        return ""
    found = young_people.problems(v, spec, joining=ret.model_copy(update={"status": "approved"}))
    if not found:
        return ""
    return (f"The young people's version of {year} is {v.status}, and beside this return it would give away a "
            f"figure the report hides: {found[0]}. Send that version back to draft and change it first.")


def _about_another(finding, ret) -> bool:
    return "/" in finding.location.split(" ")[0] and not finding.location.startswith("/".join(ret.key()))


def _worded(finding, spec, ret) -> str:
    """A finding as the return page words it: its message, and where it is in the page's
    words ("Achievements and impact, part 1"), never an internal path such as ``sections[0]``."""
    from masa.web.site import wording

    template = spec.template(ret.template) if ret.template in {t.code for t in spec.templates} else None
    where = wording.where(finding.location, template, ret, spec=spec)
    return f"{finding.message} (in {where})" if where else finding.message


def _spec_of(partnership: str):
    from masa.web.site import common

    token = common.use_partnership(partnership)
    try:
        return common.spec()
    finally:
        common.reset_partnership(token)


def move(row, action: str, user, reason: str = "", section: str = "", blocking: list | None = None,
         partnership: str | None = None) -> None:
    """Apply one workflow action to a return row, or raise TransitionError saying why not.

    ``partnership``: whose review a business-unit action moves (default: the request's, or
    the installation's). ``blocking`` is ignored: the service finds blocking findings
    itself, so no caller can skip them (the argument stays for callers written before it did)."""
    from masa.web import store
    from masa.web.core.models import Return
    from masa.web.site.common import partnership_code

    if action not in ALLOWED:
        raise TransitionError(f"unknown action {action!r}")
    partnership = partnership or partnership_code()
    sources, target = ALLOWED[action]
    if action == "query" and not reason.strip():
        raise TransitionError("Enter the question you want the partner to answer")
    checked = None
    if action in FORWARD:
        # Checked outside the write transaction (the checks take a while); the lock version
        # then proves nobody changed the return in between.
        snap = Return.objects.select_related("partner", "period", "template").get(pk=row.pk)
        if _status_for(snap, action, partnership) in sources:
            spec = _spec_of(partnership)
            # the partner's quarters of the year and other returns, each as the public may see
            # it: an answer must not state a figure a table beside it hides (privacy.suppressed-figure)
            gated = action in GATED
            quarters = [_reviewed(q, action, partnership, spec) for q in checks_seam.quarter_rows(snap)] if gated else []
            _refuse(action, spec, _reviewed(snap, action, partnership, spec),
                    _beside(snap, action, partnership, spec) if gated else None, quarters,
                    lambda ret, beside, quarters: _others_hidden(snap, action, partnership, spec, ret, beside or [],
                                                                 quarters))
            if action == "publish":
                from masa.web import publishing

                problem = publishing.refusal(partnership, snap)
                if problem:
                    raise TransitionError(problem)
        checked = (snap.lock_version, snap.content_sha256)
    with transaction.atomic():
        fresh = Return.objects.select_for_update().get(pk=row.pk)
        before = _status_for(fresh, action, partnership)
        if before not in sources:
            raise TransitionError(f"A return that is {before} cannot be {target}")
        if checked is not None and checked != (fresh.lock_version, fresh.content_sha256):
            raise TransitionError("This return changed while it was being checked; try again")
        shared = reviews.ensure(fresh)
        version = None
        if target != "queried":
            agreed = _approved(fresh, partnership) if action == "publish" else None
            # publishing makes public what this partnership approved, not the partner's edits
            # since (in answer to another partnership's query): that version is the one frozen
            body = store.return_from_row(fresh) if agreed is None else PlainReturn.model_validate(agreed.content)
            store.snapshot(fresh, body.model_copy(update={"status": target}))
            version = fresh.versions.order_by("-number").first()
        overall = target
        if shared:
            _move_reviews(shared, action, target, partnership, version, fresh)
            overall = reviews.summary(shared)
        # bumping the lock makes any save begun before this transition a conflict, not a late edit
        Return.objects.filter(pk=row.pk).update(status=overall, lock_version=F("lock_version") + 1)
        fresh.status = overall
        Transition.objects.create(ret=fresh, from_status=before, to_status=target, actor=user, reason=reason,
                                  partnership="" if action in PARTNER_ACTIONS else partnership)
        if action == "query":
            Message.objects.create(ret=fresh, section=section or "general", kind="query", author=user, text=reason,
                                   partnership=partnership)
        append(user, f"return.{action}", f"return:{fresh.partner.code}/{fresh.period.code}/{fresh.template.code}",
               {"from": before, "to": target, "reason": reason, "section": section,
                **({"partnership": partnership} if shared and action not in PARTNER_ACTIONS else {})})
        notify_events.transition(fresh, action, user, reason,  # emailed by the worker after commit
                                 "" if action in PARTNER_ACTIONS else partnership)  # the partnership that acted
    row.status = overall if action in PARTNER_ACTIONS else target  # as the one who moved it sees it
    if target in ("submitted", "resubmitted", "approved"):
        from masa.web.site.carry import reseed_next_year

        reseed_next_year(fresh, user)  # a next year opened before this return was finished


def _approved(row, partnership: str):
    """The version ``partnership`` approved of a shared return (None for a return of a partner
    serving one partnership: nobody else can reopen it, so its current content is the approved one)."""
    review = Review.objects.filter(ret=row, partnership=partnership).select_related("approved").first()
    return review.approved if review is not None else None


def _reviewed(row, action: str, partnership: str, spec):
    """What a move's gates check: the partner's moves, the whole return; a business unit's,
    its partnership's scope of it (what it will publish), and for publishing the version it
    approved."""
    from masa.web import store
    from masa.web.site.scoped import for_partnership

    if action in PARTNER_ACTIONS:
        return store.return_from_row(row)
    agreed = _approved(row, partnership) if action == "publish" else None
    body = store.return_from_row(row) if agreed is None else PlainReturn.model_validate(agreed.content)
    return for_partnership(spec, row, body)


def _status_for(row, action: str, partnership: str) -> str:
    """The status an action starts from: the partner's own for its moves, the partnership's review's for the others."""
    return row.status if action in PARTNER_ACTIONS else reviews.status_in(row, partnership)


def _move_reviews(shared, action: str, target: str, partnership: str, version, row) -> None:
    """Move the reviews of a shared return: the partner's moves reach every partnership (one
    that approved or published keeps what it agreed to, and sees the return changed if it
    did); the business unit's reach its own partnership's review only."""
    for review in shared:
        if action == "submit":
            review.status = "submitted"
        elif action == "resubmit":
            if review.status == "queried":
                review.status = "resubmitted"
            elif review.status in ("approved", "published"):
                agreed = review.published if review.status == "published" else review.approved
                if agreed is None or _body(agreed) != _body(version):
                    review.status = "resubmitted"  # changed since it agreed: to be reviewed again
        elif review.partnership == partnership:
            review.status = target
            if action == "approve":
                review.approved = version
            elif action == "publish":
                review.published = review.approved or version
        review.save()


def _body(version) -> dict:
    """A version's content without its status: what the partner wrote."""
    return {k: v for k, v in version.content.items() if k != "status"}


def withdraw(partnership: str, period: str, reason: str, user) -> Withdrawal:
    """Take down a partnership's publication of a financial year (and its quarters): every
    return it published goes back to approved, the public site says it was withdrawn and
    when, and shows none of its figures. Audited with the reason, which is required."""
    from masa.web.accounts.access import in_partnership
    from masa.web.core.models import Return

    reason = (reason or "").strip()
    if not reason:
        raise TransitionError("Enter the reason for withdrawing this publication")
    periods = year_and_quarters(period)
    with transaction.atomic():
        ids = reviews.published_ids(partnership, periods)
        rows = list(in_partnership(Return.objects.select_for_update(), partnership).filter(pk__in=ids)
                    .select_related("partner", "period", "template"))
        if not rows:
            raise TransitionError(f"Nothing is published for {period}, so there is nothing to withdraw")
        taken = []
        for row in rows:
            review = Review.objects.filter(ret=row, partnership=partnership).first()
            if review is not None:
                before = review.status
                review.published = None
                if review.status == "published":
                    review.status = "approved"
                review.save()
                overall = reviews.summary(Review.objects.filter(ret=row))
            else:
                before, overall = row.status, "approved"
            Return.objects.filter(pk=row.pk).update(status=overall, lock_version=F("lock_version") + 1)
            Transition.objects.create(ret=row, from_status=before, to_status="approved", actor=user,
                                      reason=f"Publication withdrawn: {reason}", partnership=partnership)
            taken.append(f"{row.partner.code}/{row.period.code}/{row.template.code}")
            notify_events.withdrawn(row, user, reason, partnership)  # emailed by the worker after commit
        done = Withdrawal.objects.create(partnership=partnership, period=period, reason=reason, returns=taken, by=user)
        append(user, "publication.withdrawn", f"publication:{partnership}/{period}",
               {"reason": reason, "returns": taken})
    return done
