"""The queue's notification tasks. Each is safe to run again: notices are keyed per event and
person, and sending claims each notice before its email goes."""

from __future__ import annotations

from django_tasks import task

from . import compose, mailer, recipients
from .models import Notice


@task(takes_context=True)
def deliver_event(context, kind: str, ret_id: int, actor_id: int | None, text: str = "", partnership: str = "") -> int:
    """Record the notices of one event for everyone it concerns, then email those who want it now."""
    from django.contrib.auth import get_user_model

    from masa.web.core.models import Return

    ret = Return.objects.select_related("partner", "period", "template").filter(pk=ret_id).first()
    asked = ret.messages.filter(kind="query") if ret is not None else None
    if partnership and asked is not None:
        asked = asked.filter(partnership=partnership)
    if ret is None or (kind == "query_answered" and not asked.exists()):
        return 0  # gone, or a partner's comment that answers no query
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    messages: dict[str, compose.Composed] = {}  # one wording per partnership told
    ids = []
    for user, code in recipients.for_event(kind, ret, actor_id, partnership):
        if code not in messages:
            messages[code] = compose.for_return(kind, ret, actor, text, code)
        message = messages[code]
        key = f"event:{context.task_result.id}:{user.pk}" + (f":{code}" if code else "")
        n, _ = Notice.objects.get_or_create(key=key[:255], defaults={
            "user": user, "kind": kind, "subject": message.subject, "body": message.body, "url": message.url})
        ids.append(n.pk)
    return mailer.send_immediate(ids)


@task()
def send_immediate() -> int:
    """Every unsent notice of people who want immediate emails (reminders, earlier failures)."""
    return mailer.send_immediate()


@task()
def send_digests() -> int:
    return mailer.send_digests()


@task(takes_context=True)
def deliver_concern(context, form_id: int, actor_id: int | None, partnership: str) -> int:
    """Tell the business unit of ``partnership`` of an immediate concern raised on a case-audit form."""
    from django.urls import reverse

    from masa.web.assurance.models import AuditForm

    form = AuditForm.objects.select_related("case__audit", "partner").filter(pk=form_id).first()
    if form is None or not form.immediate_concern:
        return 0
    audit = form.case.audit
    path = compose.prefixed(reverse("assurance:audit", kwargs={"code": audit.code}), partnership)
    name = compose.partnership_name(partnership)
    # The concern's own words stay behind the sign-in: an email may be forwarded or read anywhere.
    what = (f"{form.partner.name} has flagged a concern needing immediate action on case {form.case.ref} "
            f"of the case audit {audit.code}.")
    body = f"{what}\n\nSign in to read it and act: {compose.absolute(path)}\n"
    ids = []
    for user in recipients.business_unit(partnership):
        if user.pk == actor_id or not recipients.address(user):
            continue
        key = f"concern:{context.task_result.id}:{user.pk}"
        n, _ = Notice.objects.get_or_create(key=key[:255], defaults={
            "user": user, "kind": "immediate_concern", "subject": f"{name}: immediate concern in a case audit",
            "body": body, "url": compose.absolute(path)})
        ids.append(n.pk)
    return mailer.send_immediate(ids)


S11_SUBJECTS = {"s11_submitted": "Section 11 self-assessment submitted",
                "s11_resubmitted": "Section 11 self-assessment resubmitted",
                "s11_challenged": "Section 11 rating challenged"}


@task(takes_context=True)
def deliver_section11(context, kind: str, assessment_id: int, actor_id: int | None, partnership: str,
                      standards: list[str]) -> int:
    """Section 11 events: a submission or resubmission tells the business unit of each
    partnership the partner serves; a challenge tells the partner's contributors and approvers,
    with a link under the challenging partnership's prefix. The evidence and the reasons stay
    behind the sign-in: the email names only the standards' titles."""
    from django.urls import reverse

    from masa.assurance.section11 import StandardSet
    from masa.web.section11.models import Assessment

    row = Assessment.objects.select_related("partner", "period").filter(pk=assessment_id).first()
    if row is None or kind not in S11_SUBJECTS:
        return 0
    path = reverse("section11:assessment", kwargs={"pk": row.pk})
    if kind == "s11_challenged":
        st = StandardSet.model_validate(row.standards)
        titles = {s.code: s.title for s in st.standards}
        named = "; ".join(titles.get(c, c) for c in standards)
        people = [(u, partnership) for u in recipients.partner_people(row.partner_id)]
    else:
        people = [(u, code) for code in recipients.served_by(row) for u in recipients.business_unit(code)]
    ids = []
    for user, code in people:
        if user.pk == actor_id or not recipients.address(user):
            continue
        name = compose.partnership_name(code)
        url = compose.absolute(compose.prefixed(path, code))
        if kind == "s11_challenged":
            what = (f"The business unit of {name} has challenged {row.partner.name}'s Section 11 rating for "
                    f"{row.period.code} on: {named}.\n\nSign in to read the challenge, then revise the answer "
                    f"or keep the rating with your response, and resubmit")
        else:
            verb = "resubmitted" if kind == "s11_resubmitted" else "submitted"
            what = (f"{row.partner.name} has {verb} its Section 11 self-assessment for {row.period.code}.\n\n"
                    f"Sign in to moderate it")
        key = f"s11:{context.task_result.id}:{user.pk}:{code}"
        n, _ = Notice.objects.get_or_create(key=key[:255], defaults={
            "user": user, "kind": kind, "subject": f"{name}: {S11_SUBJECTS[kind]} ({row.partner.name}, {row.period.code})",
            "body": f"{what}: {url}\n\nPartnership: {name}\n", "url": url})
        ids.append(n.pk)
    return mailer.send_immediate(ids)
