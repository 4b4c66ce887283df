"""The signed-in person's notification choice: immediate emails or a daily digest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from masa.web.auditlog.chain import append

from .forms import PreferenceForm
from .models import DIGEST, Preference, mode_of
from .recipients import address


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            mode = form.cleaned_data["mode"]
            with transaction.atomic():
                Preference.objects.update_or_create(user=request.user, defaults={"mode": mode})
                append(request.user, "notify.preference_set", f"user:{request.user.username}", {"mode": mode})
            messages.success(request, "You will get one email a day with your notifications" if mode == DIGEST
                             else "You will get an email for each notification as it happens")
            return redirect("notify:preferences")
    else:
        form = PreferenceForm(initial={"mode": mode_of(request.user)})
    return render(request, "notify/preferences.html", {
        "form": form, "email": address(request.user),
        "error_list": [("mode-0", e) for e in form.errors.get("mode", [])]})
