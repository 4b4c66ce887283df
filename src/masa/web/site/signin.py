"""Sign in, sign out and the home page, which sends each role to where its work starts."""

from __future__ import annotations

from django.contrib import auth
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from masa.web import store
from masa.web.accounts import access
from masa.web.auditlog.chain import append

from .reviewforms import LoginForm


def login_view(request):
    form = LoginForm(request.POST if request.method == "POST" else None)
    errors: dict[str, str] = {}
    if form.is_bound:
        if form.is_valid():
            user = _sign_in(request, form)
            if user is not None:
                append(user, "user.signed_in", f"user:{user.username}", {})
                nxt = form.cleaned_data["next"]
                safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                       require_https=request.is_secure())
                return redirect(nxt if nxt and safe else "site:home")
        errors = form.first_errors()
    return render(request, "site/login.html", {"errors": errors, "username": form.data.get("username", "").strip(),
                                               "next": request.GET.get("next", "")}, status=400 if errors else 200)


def _sign_in(request, form):
    """The signed-in user, or None with the reason added to the form (a wrong password and
    an unknown address read the same, so neither gives the other away)."""
    data = form.cleaned_data
    user = auth.authenticate(request, username=data["username"], password=data["password"])
    if user is None:
        form.add_error("username", "The email address or password is not right")
        return None
    from django_otp import devices_for_user, match_token
    from django_otp import login as otp_login

    if any(True for _ in devices_for_user(user, confirmed=True)):
        device = match_token(user, data["otp_token"]) if data["otp_token"] else None
        if device is None:
            form.add_error("otp_token", "Enter the 6-digit code from your authenticator app")
            return None
        auth.login(request, user)
        otp_login(request, device)
    else:
        auth.login(request, user)
    return user


@require_POST
def logout_view(request):
    auth.logout(request)
    return redirect("site:home")


def home(request):
    role = access.role_of(request.user)
    if role == "business_unit":
        if not store.stored_partnerships():  # first run: nothing to manage yet
            return render(request, "site/home.html", {"first_run": True})
        return redirect("site:dashboard")
    if role in ("contributor", "approver", "scrutineer"):
        return redirect("site:returns")
    return render(request, "site/home.html", {})
