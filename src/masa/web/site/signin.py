"""Sign in, sign out and the home page, which sends each role to where its work starts."""

from __future__ import annotations

from django.contrib import auth
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from masa.web import store
from masa.web.accounts import access
from masa.web.auditlog.chain import append


def login_view(request):
    errors: dict[str, str] = {}
    username = ""
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        password = request.POST.get("password") or ""
        token = (request.POST.get("otp_token") or "").strip()
        if not username:
            errors["username"] = "Enter your email address"
        if not password:
            errors["password"] = "Enter your password"
        if not errors:
            user = auth.authenticate(request, username=username, password=password)
            if user is None:
                errors["username"] = "The email address or password is not right"
            else:
                from django_otp import devices_for_user, match_token
                from django_otp import login as otp_login

                if any(True for _ in devices_for_user(user, confirmed=True)):
                    device = match_token(user, token) if token else None
                    if device is None:
                        errors["otp_token"] = "Enter the 6-digit code from your authenticator app"
                    else:
                        auth.login(request, user)
                        otp_login(request, device)
                else:
                    auth.login(request, user)
                if not errors:
                    append(user, "user.signed_in", f"user:{user.username}", {})
                    nxt = request.POST.get("next") or ""
                    safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                           require_https=request.is_secure())
                    return redirect(nxt if nxt and safe else "site:home")
    return render(request, "site/login.html", {"errors": errors, "username": username,
                                               "next": request.GET.get("next", "")}, status=400 if errors else 200)


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
