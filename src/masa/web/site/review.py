"""Review of a return: workflow actions (submit, query, approve, publish), queries and
comments, and the history of versions."""

from __future__ import annotations

import difflib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masa.web.accounts import access
from masa.web.auditlog.chain import append
from masa.web.workflow.models import Message
from masa.web.workflow.transitions import TransitionError, move


@login_required
@require_POST
def return_action(request, pk: int):
    row = access.return_for(request.user, pk)
    action = request.POST.get("action", "")
    allowed = {"submit": access.can_submit(request.user, row) and row.status == "draft",
               "resubmit": access.can_submit(request.user, row) and row.status == "queried",
               "query": access.can_review(request.user), "approve": access.can_review(request.user),
               "publish": access.can_review(request.user)}
    if not allowed.get(action):
        return HttpResponse(f"You cannot {action or 'do that'} on this return", status=403, content_type="text/plain")
    try:  # the service finds blocking findings and empty required sections itself
        move(row, action, request.user, reason=request.POST.get("reason", "").strip()[:5000],
             section=request.POST.get("section", "")[:64])
    except TransitionError as exc:
        messages.error(request, str(exc))  # the service's own reason, shown as it gave it
        return redirect("site:return", pk=pk)
    messages.success(request, f"Return {row.status}")
    return redirect("site:return", pk=pk)


@login_required
@require_POST
def return_message(request, pk: int):
    row = access.return_for(request.user, pk)
    if not access.can_comment(request.user, row):
        raise Http404("cannot comment")
    text = (request.POST.get("text") or "").strip()
    section = (request.POST.get("section") or "general")[:64]
    if not text:
        messages.error(request, "Enter your comment before sending it")
        return redirect("site:return", pk=pk)
    kind = "reply" if access.partner_of(request.user) else "comment"
    with transaction.atomic():
        Message.objects.create(ret=row, section=section, kind=kind, author=request.user, text=text[:5000])
        append(request.user, f"message.{kind}", f"return:{row.partner.code}/{row.period.code}/{row.template.code}",
               {"section": section, "text": text[:5000]})
    return redirect(reverse("site:return", kwargs={"pk": pk}) + f"#section-{section}")


@login_required
@require_GET
def return_history(request, pk: int):
    row = access.return_for(request.user, pk)
    versions = list(row.versions.order_by("number"))
    diff, a, b = [], request.GET.get("a"), request.GET.get("b")
    if a and b:
        va = row.versions.filter(number=int(a)).first() if _version_number(a) else None
        vb = row.versions.filter(number=int(b)).first() if _version_number(b) else None
        if va is None or vb is None:
            messages.error(request, "Choose two versions that exist")
        else:
            diff = _version_diff(va.content, vb.content)
    return render(request, "site/history.html", {"row": row, "versions": versions,
                                                 "transitions": row.transitions.select_related("actor"),
                                                 "diff": diff, "a": a, "b": b})


def _version_diff(a: dict, b: dict) -> list[tuple[str, str]]:
    la = json.dumps(a, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    lb = json.dumps(b, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    out = []
    for line in difflib.unified_diff(la, lb, "earlier", "later", lineterm="", n=2):
        kind = "add" if line.startswith("+") and not line.startswith("+++") else \
            "del" if line.startswith("-") and not line.startswith("---") else "ctx"
        out.append((kind, line))
    return out


def _version_number(text: str) -> bool:
    """A version number from the query string: plain ASCII digits, small enough for any database."""
    return text.isascii() and text.isdecimal() and len(text) <= 6
