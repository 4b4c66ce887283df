"""Review of a return: workflow actions (submit, query, approve, publish), queries, replies
and comments, and the history of versions.

The views read their input through Django forms (``reviewforms``) and leave the rules to
the services: who may do what (``workflow.actions``), the gates of each transition
(``workflow.transitions``), and the recording of queries and replies (``workflow.queries``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masa.returns import Return
from masa.web.accounts import access
from masa.web.workflow import actions, queries
from masa.web.workflow.transitions import TransitionError

from . import common, scoped, versions
from .reviewforms import ActionForm, CompareForm, MessageForm

DONE = {"submit": "Return submitted", "resubmit": "Return resubmitted", "approve": "Return approved",
        "publish": "Return published", "query": "Query sent: the return is back with the partner"}


@login_required
@require_POST
def return_action(request, pk: int):
    row = access.return_for(request.user, pk)
    form = ActionForm(request.POST)
    action = form.data.get("action", "") if not form.is_valid() else form.cleaned_data["action"]
    if not form.is_valid() or action not in actions.permitted(request.user, row):
        return HttpResponse(f"You cannot {action[:20] or 'do that'} on this return", status=403,
                            content_type="text/plain")
    if action == "publish" and request.POST.get("confirm") != "yes":
        return redirect("site:publish_confirm", pk=pk)  # publishing asks first (site/publication.py)
    data = form.cleaned_data
    try:  # the services find blocking findings, empty required sections and a missing reason
        actions.perform(row, action, request.user, reason=data["reason"], section=data["section"])
    except TransitionError as exc:
        messages.error(request, str(exc))  # the service's own reason, shown as it gave it
        return redirect("site:return", pk=pk)
    messages.success(request, DONE.get(action, f"Return {row.status}"))
    return redirect("site:return", pk=pk)


@login_required
@require_POST
def return_message(request, pk: int):
    """A comment on a section, or the partner's reply to an open query (``query`` set)."""
    row = access.return_for(request.user, pk)
    if not access.can_comment(request.user, row):
        raise Http404("cannot comment")
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Your message could not be read; write it again")
        return redirect("site:return", pk=pk)
    data, partner = form.cleaned_data, access.partner_of(request.user) is not None
    try:
        if data["query"]:
            query = queries.visible(row, access.reader_partnership(request.user)).filter(
                pk=data["query"], kind="query").first()
            if query is None or not partner:
                raise Http404("no such query")
            queries.reply(row, query, request.user, data["text"])
            messages.success(request, "Your reply was sent to the business unit")
            return redirect("site:return", pk=pk)
        queries.comment(row, request.user, data["section"], data["text"], partner=partner,
                        partnership=common.partnership_code())
    except queries.QueryError as exc:
        messages.error(request, str(exc))
        return redirect("site:return", pk=pk)
    return redirect(reverse("site:return", kwargs={"pk": pk}) + f"#section-{data['section']}")


@login_required
@require_GET
def return_history(request, pk: int):
    row = access.return_for(request.user, pk)
    frozen = list(row.versions.order_by("number"))
    comparison, a, b = None, request.GET.get("a"), request.GET.get("b")
    if a and b:
        form = CompareForm(request.GET)
        va = vb = None
        if form.is_valid():
            va = row.versions.filter(number=form.cleaned_data["a"]).first()
            vb = row.versions.filter(number=form.cleaned_data["b"]).first()
        if va is None or vb is None:
            messages.error(request, "Choose two versions that exist")
        else:
            spec = common.spec()  # a business unit compares only its partnership's scope of each version
            old, new = (scoped.for_reader(request.user, spec, row, Return.model_validate(v.content)) for v in (va, vb))
            comparison = versions.compare(spec, old, new)
    transitions = row.transitions.select_related("actor")
    reader = access.reader_partnership(request.user)
    if reader is not None:  # another partnership's queries (their reasons) and reviews are its own
        from django.db.models import Q

        from masa.web.workflow.queries import _legacy_elsewhere

        own = Q(partnership=reader) | Q(partnership="", to_status__in=("submitted", "resubmitted"))  # the partner's
        if not _legacy_elsewhere(row, reader):  # moves recorded before they were per partnership
            own |= Q(partnership="")
        transitions = transitions.filter(own)
    return render(request, "site/history.html", {"row": row, "versions": frozen, "transitions": transitions,
                                                 "comparison": comparison, "a": a, "b": b})
