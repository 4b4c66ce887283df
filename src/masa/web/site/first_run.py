"""First run: the business unit creates its partnership from nothing, in the browser.

The same builder as `masa init` (masa.spec.starter) makes the spec: the chosen local
authorities from the national list, starter partners, the standard catalogue. It is stored
with masa.web.store.store_spec and audited under the person who created it. An
installation runs one partnership, so once one is stored this page only says which.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from masa.reference import local_authorities
from masa.spec.reserved import reserved_code_problem
from masa.spec.starter import StarterError, code_for, starter_spec
from masa.web import store
from masa.web.accounts import access
from masa.web.accounts.models import PartnershipRole
from masa.web.auditlog.chain import append

from . import common
from .dashboard import _bu_only

LABELS = {"name": "Partnership name", "areas": "Local authorities", "year": "Current financial year"}


class NewPartnershipForm(forms.Form):
    name = forms.CharField(label=LABELS["name"], max_length=200,
                           error_messages={"required": "Enter the partnership's name"})
    areas = forms.MultipleChoiceField(
        label=LABELS["areas"], choices=(),
        error_messages={"required": "Choose at least one local authority",
                        "invalid_choice": "Choose local authorities from the list: %(value)s is not one of them"})
    year = forms.CharField(label=LABELS["year"], required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(la.ons_code, la.name) for la in sorted(local_authorities(),
                                                                                 key=lambda la: la.name)]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["spec"] = starter_spec(data["name"], data["areas"], year=data.get("year") or None)
        except StarterError as exc:
            self.add_error(exc.field, str(exc))
            return data
        clash = reserved_code_problem(data["spec"].partnership.code)
        if clash:
            self.add_error("name", f"{LABELS['name']}: {clash}")
            return data
        if data["spec"].partnership.code in store.stored_partnerships():
            self.add_error("name", f"A partnership with the code {data['spec'].partnership.code} already exists")
        return data


class FirstRunMiddleware:
    """Before any partnership is stored, a page that needs one (the dashboard, returns,
    imports) sends the business unit here to set one up, and anyone else home, instead of
    failing with a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, store.UnknownChoice) and exception.kind == "partnership"):
            return None
        if store.stored_partnerships():
            return None  # a real unknown partnership (MASA_PARTNERSHIP set wrong): not first run
        return redirect("site:first_run" if access.can_review(request.user) else "site:home")


@require_http_methods(["GET", "POST"])
def new_partnership(request):
    _bu_only(request)
    existing = common.partnership_code()
    if existing and existing in store.stored_partnerships():
        return render(request, "site/first_run.html", {"existing": existing},
                      status=409 if request.method == "POST" else 200)
    form = NewPartnershipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        spec = form.cleaned_data["spec"]
        with transaction.atomic():
            store.store_spec(spec, via=request.user.username)  # "spec.stored", under this person
            PartnershipRole.grant(request.user, request.user, spec.partnership.code, "business_unit")
            append(request.user, "partnership.created", f"spec:{spec.partnership.code}",
                   {"name": spec.partnership.name, "areas": [a.ons_code for a in spec.areas],
                    "year": spec.periods.current})
        messages.success(request, f"{spec.partnership.name} is set up for {spec.periods.current}, with "
                                  f"{len(spec.partners)} starter partners. Next: give each partner its real "
                                  f"name (Setup, Partners), invite each partner's users (Setup, Users) and "
                                  f"set the deadline for {spec.periods.current} (Periods).")
        return redirect("site:dashboard")
    chosen = set(form["areas"].value() or [])
    options = [{"value": v, "label": lbl, "selected": v in chosen} for v, lbl in form.fields["areas"].choices]
    return render(request, "site/first_run.html", {"form": form, "options": options, "labels": LABELS,
                                                   "code_hint": code_for(form["name"].value() or "")},
                  status=400 if form.errors else 200)
