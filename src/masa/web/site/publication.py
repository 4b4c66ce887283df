"""Publishing with a confirmation step, and withdrawing a publication with a reason.

Publishing a return is one of the workflow's moves (``workflow.transitions.move``); the
return page's Publish button leads here first, to say what becomes public and where, and
the move happens only from this page's form (``confirm=yes``). Withdrawing takes down a
partnership's publication of a year (``workflow.transitions.withdraw``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from masa.web.accounts import access
from masa.web.workflow.reviews import published_ids
from masa.web.workflow.transitions import TransitionError, withdraw

from . import common
from .dashboard import _bu_only


@require_GET
def publish_confirm(request, pk: int):
    """What publishing this return makes public, and the button that does it."""
    _bu_only(request)
    row = access.return_for(request.user, pk)
    if row.status != "approved":
        messages.error(request, f"Only an approved return can be published; this one is {row.status}")
        return redirect("site:return", pk=pk)
    spec = common.spec()
    named = {p.code: p.name for p in spec.partners}
    return render(request, "site/publish_confirm.html", {
        "row": row, "spec": spec, "partner_name": named.get(row.partner.code, row.partner.name),
        "still_raised": _still_raised(spec, row),
        "template": spec.template(row.template.code) if row.template.code in {t.code for t in spec.templates}
        else None})


def _still_raised(spec, row) -> list[dict]:
    """The checks' queries still raised about the return (errors block publishing anyway), so
    whoever publishes reads them first: a part naming an area it is not marked for, say."""
    from masa.web.workflow.checks_seam import engine_available, findings_for_row

    from . import wording

    if not engine_available():
        return []
    from masa.returns import Return
    from masa.web.workflow.models import Review

    from . import scoped

    # what publishing makes public: the version this partnership approved, in its scope
    review = Review.objects.filter(ret=row, partnership=spec.partnership.code).select_related("approved").first()
    agreed = Return.model_validate(review.approved.content) if review is not None and review.approved else None
    found = findings_for_row(spec, row, agreed, scope=lambda r: scoped.for_partnership(spec, row, r))
    return [{"message": wording.readable(f.message, spec), "quote": f.quote} for f in found if f.severity != "error"]


def _years_published(partnership: str) -> list[str]:
    from masa.web.core.models import Return

    codes = Return.objects.filter(pk__in=published_ids(partnership)).values_list("period__code", flat=True)
    return sorted({c.split(" ")[0] for c in codes}, reverse=True)


@require_http_methods(["GET", "POST"])
def withdraw_page(request, period: str):
    """Withdraw the partnership's publication of a year, giving the reason (required)."""
    _bu_only(request)
    code = common.partnership_code()
    if period not in _years_published(code):
        raise Http404("nothing published for this period")
    error, reason = "", ""
    if request.method == "POST":
        reason = (request.POST.get("reason") or "").strip()[:5000]
        try:
            withdraw(code, period, reason, request.user)
        except TransitionError as exc:
            error = str(exc)
        else:
            messages.success(request, f"The {period} publication was withdrawn. The public site now says so, "
                                      "with its date, and shows none of its figures.")
            return redirect("site:published_report", period=period)
    return render(request, "site/withdraw.html", {
        "period": period, "spec": common.spec(), "reason": reason, "error": error,
        "error_list": [("withdraw-reason", error)] if error else []}, status=400 if error else 200)
