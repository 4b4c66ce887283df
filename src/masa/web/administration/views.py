"""The business unit's setup screens (/bu/setup/): areas, partners, indicators, templates, users.

Views are thin: a Django form reads the page, ``service`` / ``users`` validate and store,
and a refusal is shown on the form against the field it names. Business unit only (403).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masa.web.accounts import access
from masa.web.site import common

from . import forms, service, users
from .service import Refused


def bu_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.can_review(request.user):
            raise PermissionDenied("business unit only")
        return view(request, *args, **kwargs)

    return wrapped


def _anchor(bound) -> str:
    if bound.widget_type in ("checkboxselectmultiple", "radioselect"):
        return f"{bound.auto_id}_0"
    return bound.auto_id


def error_list(*forms_) -> list[tuple[str, str]]:
    """(anchor, message) for the page's error summary, in the order the fields appear."""
    out = []
    for form in forms_:
        for msg in form.non_field_errors():
            out.append(("setup-form", msg))
        for bound in form:
            for msg in bound.errors:
                out.append((_anchor(bound), msg))
    return out


def _refused(form, exc: Refused) -> None:
    for field, msg in exc.errors.items():
        form.add_error(field if field in form.fields else None, msg)


def _render(request, template, ctx, *forms_):
    errs = error_list(*forms_)
    return render(request, f"administration/{template}", {**ctx, "error_list": errs}, status=400 if errs else 200)


# --- overview -------------------------------------------------------------------------------

@require_GET
@bu_only
def index(request):
    spec = common.spec()
    return render(request, "administration/index.html", {
        "spec": spec, "changes": service.recent_changes(spec.partnership.code)})


# --- areas, partners, indicators, templates: list, add, change --------------------------------

def _area_initial(spec, a):
    return {"code": a.code, "name": a.name, "ons_code": a.ons_code or ""}


def _partner_initial(spec, p):
    return {"code": p.code, "name": p.name, "short_name": p.short_name, "aliases": "\n".join(p.aliases),
            "type": p.type, "areas": list(p.areas),
            "contacts": "\n".join(", ".join(x for x in (c.role, c.email, c.name) if x) for c in p.contacts)}


def _priority_initial(spec, p):
    return {"code": p.code, "name": p.name, "kind": p.kind, "aliases": "\n".join(p.aliases)}


def _indicator_initial(spec, i):
    return {"code": i.code, "name": i.name, "unit": i.unit, "breakdowns": list(i.breakdowns),
            "direction": i.direction, "target_value": i.target.value if i.target else None,
            "target_direction": i.target.direction if i.target else "", "description": i.description,
            "aggregation": i.aggregation or "", "numerator": i.numerator or "", "denominator": i.denominator or "",
            "partner": i.partner or ""}


KINDS = {
    "area": ("areas", forms.AreaForm, _area_initial, service.save_area, "Area"),
    "partner": ("partners", forms.PartnerForm, _partner_initial, service.save_partner, "Partner"),
    "indicator": ("indicators", forms.IndicatorForm, _indicator_initial, service.save_indicator, "Indicator"),
    "priority": ("priorities", forms.PriorityForm, _priority_initial, service.save_priority, "Priority"),
}
LISTS = {"area": "areas", "partner": "partners", "indicator": "indicators", "template": "templates",
         "priority": "priorities"}


def _entity(spec, kind: str, code: str):
    try:
        return getattr(spec, kind)(code)
    except KeyError:
        raise Http404(f"no {kind} {code!r}") from None


@require_GET
@bu_only
def listing(request, kind: str):
    spec = common.spec()
    ctx = {"spec": spec, "kind": kind}
    if kind == "partner":  # names, not codes: "Police force", "Hartlepool, Stockton-on-Tees"
        types = dict(forms.PartnerForm.base_fields["type"].choices)
        areas = {a.code: a.name for a in spec.areas}
        ctx["partners"] = [{"code": p.code, "name": p.name, "short_name": p.short_name, "contacts": p.contacts,
                            "type_name": types.get(p.type, p.type), "area_names": [areas.get(a, a) for a in p.areas]}
                           for p in spec.partners]
    return render(request, f"administration/{LISTS[kind]}.html", ctx)


@require_http_methods(["GET", "POST"])
@bu_only
def entity(request, kind: str, code: str | None = None):
    """Add (no ``code``) or change one area, partner or indicator."""
    plural, form_class, initial, save, title = KINDS[kind]
    spec = common.spec()
    existing = _entity(spec, kind, code) if code else None
    if request.method == "POST":
        form = form_class(request.POST, spec=spec, adding=not code, initial={"code": code} if code else None)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("applies_from", "seen")}
            try:
                save(spec.partnership.code, request.user, data, original=code,
                     effective_from=form.cleaned_data["applies_from"], seen=form.cleaned_data["seen"] or None)
            except Refused as exc:
                _refused(form, exc)
            else:
                messages.success(request, f"{title} {code or data['code']} saved")
                return redirect(f"setup:{plural}")
    else:
        form = form_class(spec=spec, adding=not code, initial={
            **(initial(spec, existing) if existing else {}), "applies_from": spec.periods.current,
            "seen": service.entity_hash(existing) if existing else ""})
    ctx = {"form": form, "kind": kind, "title": title, "code": code, "existing": existing, "spec": spec,
           "plural": plural}
    if kind in ("indicator", "priority") and existing:
        ctx["retire_form"] = forms.RetireForm(spec=spec, initial={"retired_from": existing.retired_from or ""})
    if kind == "indicator" and existing:
        ctx["figures"] = service.figures_of(code)
    return _render(request, "entity.html", ctx, form)


@require_POST
@bu_only
def indicator_retire(request, code: str):
    spec = common.spec()
    ind = _entity(spec, "indicator", code)
    retire = forms.RetireForm(request.POST, spec=spec)
    if retire.is_valid():
        year = retire.cleaned_data["retired_from"] or None
        try:
            service.retire_indicator(spec.partnership.code, request.user, code, year)
        except Refused as exc:
            _refused(retire, exc)
        else:
            messages.success(request, f"Indicator {code} retired from {year}" if year
                             else f"Indicator {code} is in use again")
            return redirect("setup:indicators")
    form = forms.IndicatorForm(spec=spec, adding=False, initial=_indicator_initial(spec, ind))
    return _render(request, "entity.html", {
        "form": form, "retire_form": retire, "kind": "indicator", "title": "Indicator", "code": code,
        "existing": ind, "spec": spec, "plural": "indicators", "figures": service.figures_of(code)}, retire)


@require_POST
@bu_only
def priority_retire(request, code: str):
    spec = common.spec()
    pri = _entity(spec, "priority", code)
    retire = forms.RetireForm(request.POST, spec=spec)
    if retire.is_valid():
        year = retire.cleaned_data["retired_from"] or None
        try:
            service.retire_priority(spec.partnership.code, request.user, code, year)
        except Refused as exc:
            _refused(retire, exc)
        else:
            messages.success(request, f"Priority {code} retired from {year}" if year
                             else f"Priority {code} is in use again")
            return redirect("setup:priorities")
    form = forms.PriorityForm(spec=spec, adding=False, initial=_priority_initial(spec, pri))
    return _render(request, "entity.html", {
        "form": form, "retire_form": retire, "kind": "priority", "title": "Priority", "code": code,
        "existing": pri, "spec": spec, "plural": "priorities"}, retire)


@require_POST
@bu_only
def indicator_remove(request, code: str):
    spec = common.spec()
    _entity(spec, "indicator", code)
    try:
        service.remove_indicator(spec.partnership.code, request.user, code)
    except Refused as exc:
        messages.error(request, " ".join(exc.errors.values()))
        return redirect("setup:indicator_edit", code=code)
    messages.success(request, f"Indicator {code} removed")
    return redirect("setup:indicators")


@require_http_methods(["GET", "POST"])
@bu_only
def template(request, code: str | None = None):
    """Add or change a return template and its sections (one row per section, plus a new one)."""
    spec = common.spec()
    existing = _entity(spec, "template", code) if code else None
    if request.method == "POST":
        form = forms.TemplateForm(request.POST, spec=spec, adding=not code)
        sections = forms.SectionFormSet(request.POST, prefix="sec")
        if form.is_valid() and sections.is_valid():
            rows = [s.cleaned_data for s in sections if not s.cleaned_data.get("DELETE")
                    and (s.cleaned_data.get("title") or s.cleaned_data.get("code"))]
            for i, r in enumerate(rows, 1):
                r["code"] = r.get("code") or _slug(r.get("title") or f"section-{i}")
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("applies_from", "seen")}
            if not code and not data.get("appendix"):
                data["appendix"] = _next_appendix(spec, data.get("frequency") or "yearly")
            try:
                service.save_template(spec.partnership.code, request.user, data, rows, original=code,
                                      effective_from=form.cleaned_data["applies_from"],
                                      seen=form.cleaned_data["seen"] or None)
            except Refused as exc:
                _refused(form, exc)
            else:
                messages.success(request, f"Template {code or data['code']} saved")
                return redirect("setup:templates")
    else:
        initial = {"applies_from": spec.periods.current}
        rows = []
        if existing:
            initial.update(code=existing.code, name=existing.name, question=existing.question,
                           frequency=existing.frequency, appendix=existing.appendix,
                           seen=service.entity_hash(existing))
            rows = [s.model_dump() for s in existing.sections]
        form = forms.TemplateForm(spec=spec, adding=not code, initial=initial)
        sections = forms.SectionFormSet(prefix="sec", initial=rows)
    return _render(request, "template.html", {"form": form, "sections": sections, "code": code, "spec": spec},
                   form, *sections)


def _next_appendix(spec, frequency: str) -> str:
    """A new template's appendix letter: for a yearly one, the first letter after those in use;
    for a quarterly one, the letter of the yearly appendix its figures join (the first with a
    figures section: ``report.boundary.quarterly_templates``), so nothing moves."""
    if frequency == "quarterly":
        home = next((t for t in spec.templates if t.appendix and t.frequency == "yearly"
                     and any(s.kind == "figures" for s in t.sections)), None)
        return home.appendix if home else ""
    used = {t.appendix.upper() for t in spec.templates if t.appendix}
    return next((c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used and c > max(used | {""})), "")


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "section"


# --- users ----------------------------------------------------------------------------------

@require_GET
@bu_only
def user_list(request):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with_2fa = set(TOTPDevice.objects.values_list("user_id", flat=True))
    people = (get_user_model().objects.select_related("membership", "membership__partner")
              .order_by("username"))
    rows = [{"user": u, "role": users.ROLE_NAMES.get(getattr(getattr(u, "membership", None), "role", ""), "No role"),
             "partner": u.membership.partner.name if hasattr(u, "membership") and u.membership.partner_id else "",
             "two_factor": u.pk in with_2fa} for u in people]
    return render(request, "administration/users.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@bu_only
def user_invite(request):
    spec = common.spec()
    form = forms.InviteForm(request.POST or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, link = users.invite(request.user, d["email"], d["role"], d["partner"] or None)
        except Refused as exc:
            _refused(form, exc)
        else:
            return render(request, "administration/invited.html", {
                "who": user, "link": request.build_absolute_uri(link), "title": "Invitation ready"})
    return _render(request, "invite.html", {"form": form}, form)


def _person(pk: int):
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise Http404("no such user")
    return user


@require_GET
@bu_only
def user_page(request, pk: int):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = _person(pk)
    membership = getattr(person, "membership", None) if hasattr(person, "membership") else None
    role_form = forms.RoleForm(spec=common.spec(), initial={
        "role": membership.role if membership else "",
        "partner": membership.partner.code if membership and membership.partner_id else ""})
    return render(request, "administration/user.html", {
        "person": person, "role": users.ROLE_NAMES.get(membership.role, "") if membership else "No role",
        "partner": membership.partner.name if membership and membership.partner_id else "",
        "devices": TOTPDevice.objects.filter(user=person).count(), "role_form": role_form})


@require_POST
@bu_only
def user_action(request, pk: int):
    person = _person(pk)
    action = request.POST.get("action", "")
    try:
        if action in ("disable", "enable"):
            users.set_active(request.user, person, action == "enable")
            messages.success(request, f"{person.username} {'enabled' if action == 'enable' else 'disabled'}")
        elif action == "reset_2fa":
            n = users.reset_two_factor(request.user, person)
            messages.success(request, f"Two-factor reset for {person.username}: {n} authenticator(s) removed")
        elif action == "role":
            form = forms.RoleForm(request.POST, spec=common.spec())
            if not form.is_valid():
                raise Refused({k: " ".join(v) for k, v in form.errors.items()})
            users.set_role(request.user, person, form.cleaned_data["role"], form.cleaned_data["partner"] or None)
            messages.success(request, f"{person.username} is now a {users.ROLE_NAMES[form.cleaned_data['role']].lower()}")
        elif action == "link":
            link = users.new_link(request.user, person)
            return render(request, "administration/invited.html", {
                "who": person, "link": request.build_absolute_uri(link), "title": "New password link"})
        else:
            messages.error(request, "Choose one of the buttons on this page")
    except Refused as exc:
        messages.error(request, " ".join(exc.errors.values()))
    return redirect("setup:user", pk=pk)


# --- the invited person's one-time link -----------------------------------------------------

@require_http_methods(["GET", "POST"])
def set_password(request, uidb64: str, token: str):
    from django.contrib.auth.forms import SetPasswordForm

    from masa.web.auditlog.chain import append

    try:
        person = get_user_model().objects.filter(pk=int(urlsafe_base64_decode(uidb64).decode())).first()
    except (ValueError, UnicodeDecodeError):
        person = None
    if person is None or not person.is_active or not default_token_generator.check_token(person, token):
        return render(request, "administration/link_expired.html", status=404)
    form = SetPasswordForm(person, request.POST or None)
    form.fields["new_password1"].label = "New password"
    form.fields["new_password2"].label = "New password again"
    form.fields["new_password1"].error_messages["required"] = "Enter new password"
    form.fields["new_password2"].error_messages["required"] = "Enter new password again"
    if request.method == "POST" and form.is_valid():
        form.save()
        append(person, "user.password_set", f"user:{person.username}", {"via": "one-time link"})
        messages.success(request, "Your password is set. Sign in with your email address and it.")
        return redirect("site:login")
    return _render(request, "set_password.html", {"form": form, "person": person}, form)
