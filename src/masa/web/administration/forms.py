"""Django forms of the setup screens. Every message names the field as the form shows it."""

from __future__ import annotations

import re
import typing

from django import forms

from masa.spec.models import PartnerType, SectionKind, Unit
from masa.web.accounts.models import ROLES

CODE_HELP = "Lower-case letters, digits, hyphens and underscores. It cannot change later."


class LabelledForm(forms.Form):
    """Gives every field's required / invalid messages its own label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            label = f.label or ""
            f.error_messages["required"] = f"Enter {label.lower()}" if not isinstance(
                f, forms.ChoiceField) else f"{label}: choose one"
            f.error_messages["invalid_choice"] = f"{label}: %(value)s is not one of the choices listed"
            f.error_messages["max_length"] = f"{label}: use at most %(limit_value)d characters (you entered %(show_value)d)"
            if isinstance(f, forms.FloatField):
                f.error_messages["invalid"] = f"{label}: enter a number, like 80 or 12.5"
            if isinstance(f, forms.EmailField):
                f.error_messages["invalid"] = f"{label}: enter an email address like name@example.org"


def _choices(literal) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ").replace("-", " ").capitalize()) for v in typing.get_args(literal)]


class AppliesFrom(LabelledForm):
    """A spec entity's form: its code must be new when adding, and it says from which year the
    change applies (last on the page)."""

    applies_from = forms.ChoiceField(label="Applies from", choices=())
    # the entity as this page showed it (service.entity_hash): a save refuses if it changed since
    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    entities = ""  # the Spec list this form adds to, for the duplicate-code check
    what = ""

    def __init__(self, *args, spec=None, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec, self.adding = spec, adding
        years = spec.periods.financial_years if spec else []
        self.fields["applies_from"].choices = [(y, y) for y in years]
        self.fields["applies_from"].initial = spec.periods.current if spec else None
        self.fields["applies_from"].help_text = "Reports of earlier years keep the definitions they had."
        self.order_fields([k for k in self.fields if k not in ("applies_from", "seen")] + ["applies_from"])
        if not adding:
            self.fields["code"].required = False

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if code and not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", code):
            raise forms.ValidationError("Code: use lower-case letters, digits, hyphens and underscores, "
                                        "starting with a letter or digit")
        if self.adding and code in {e.code for e in getattr(self.spec, self.entities)}:
            raise forms.ValidationError(f"Code: {self.what} {code!r} already exists; choose another code")
        return code


class AreaForm(AppliesFrom):
    entities, what = "areas", "an area"
    code = forms.CharField(label="Code", max_length=64, help_text=CODE_HELP)
    name = forms.CharField(label="Name", max_length=200)
    ons_code = forms.CharField(label="ONS code (optional)", max_length=9, required=False,
                               help_text="For example E06000032")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


PARTNER_TYPES = {"local-authority": "Local authority", "police": "Police", "icb": "Integrated care board (ICB)",
                 "nhs-trust": "NHS trust", "fire-and-rescue": "Fire and rescue", "youth-justice": "Youth justice",
                 "charity": "Charity or voluntary organisation", "education": "Education", "other": "Other"}


class PartnerForm(AppliesFrom):
    entities, what = "partners", "a partner"
    code = forms.CharField(label="Code", max_length=64, help_text=CODE_HELP)
    name = forms.CharField(label="Name", max_length=200)
    short_name = forms.CharField(label="Short name", max_length=200)
    aliases = forms.CharField(label="Other names (one a line)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    type = forms.ChoiceField(label="Type", choices=[(v, PARTNER_TYPES.get(v, v)) for v in typing.get_args(PartnerType)])
    areas = forms.MultipleChoiceField(label="Areas covered", choices=(), widget=forms.CheckboxSelectMultiple)
    contacts = forms.CharField(
        label="Contacts (one a line: role, email, name)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: Safeguarding lead, lead@example.org, Sam Smith")

    def __init__(self, *args, spec=None, **kwargs):
        super().__init__(*args, spec=spec, **kwargs)
        own = set(spec.partnership.areas)
        self.fields["areas"].choices = [(a.code, a.name if a.code in own else f"{a.name} (neighbouring area)")
                                        for a in spec.areas]
        self.fields["areas"].error_messages["invalid_choice"] = (
            "Areas covered: %(value)s is not one of the areas this spec knows; add the area first")
        self.fields["areas"].error_messages["required"] = "Areas covered: choose at least one area"

    def clean_aliases(self):
        return _lines(self.cleaned_data["aliases"])

    def clean_contacts(self):
        out = []
        for i, line in enumerate(_lines(self.cleaned_data["contacts"]), 1):
            parts = [p.strip() for p in line.split(",")]
            if len(parts) < 2 or not parts[0] or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", parts[1]):
                raise forms.ValidationError(
                    f"Contacts, line {i}: write the role, then an email address, then the name if you wish")
            out.append({"role": parts[0], "email": parts[1], "name": ", ".join(parts[2:])})
        return out


class PriorityForm(AppliesFrom):
    entities, what = "priorities", "a priority"
    code = forms.CharField(label="Code", max_length=64, help_text=CODE_HELP)
    name = forms.CharField(label="Name", max_length=300)
    kind = forms.ChoiceField(label="Kind", choices=[
        ("priority", "Priority (the partnership's published priorities)"),
        ("theme", "Theme (a subject partners may tag, such as a cross-cutting theme)")])
    aliases = forms.CharField(
        label="Other names (one a line)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names partners use for it in their documents, so imported text is tagged with it.")

    def clean_aliases(self):
        return _lines(self.cleaned_data["aliases"])


AGGREGATION_CHOICES = [
    ("", "As the unit says: counts and money are added up; other units get no yearly figure"),
    ("sum", "Add up the four quarters (a flow, such as referrals made)"),
    ("end", "Take the fourth quarter's figure (a stock, such as children on a plan at the year end)"),
    ("ratio", "Work out the percentage from the year's numerator and denominator"),
    ("none", "Do not make a yearly figure from quarters"),
]


class IndicatorForm(AppliesFrom):
    entities, what = "indicators", "an indicator"
    code = forms.CharField(label="Code", max_length=64, help_text=CODE_HELP)
    name = forms.CharField(label="Name", max_length=300)
    unit = forms.ChoiceField(label="Unit", choices=_choices(Unit))
    breakdowns = forms.MultipleChoiceField(label="Breakdowns", choices=(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    direction = forms.ChoiceField(label="Better when", choices=[
        ("none", "Neither (no direction)"), ("higher_is_better", "Higher"), ("lower_is_better", "Lower")])
    target_value = forms.FloatField(label="Target (optional)", required=False)
    target_direction = forms.ChoiceField(label="Target is met when", required=False, choices=[
        ("", "No target"), ("at_least", "At least the target"), ("at_most", "At most the target")])
    aggregation = forms.ChoiceField(
        label="Yearly figure from quarterly figures", required=False, choices=AGGREGATION_CHOICES,
        help_text="When partners send a figure for each quarter, this is how masa makes the year's figure. "
                  "A year is made only when all four quarters are there.")
    numerator = forms.ChoiceField(
        label="Percentage: counted in (numerator)", required=False, choices=(),
        help_text="Only when the yearly figure is worked out as a percentage: the count indicator of the "
                  "cases that meet the measure, for example return home interviews held in time.")
    denominator = forms.ChoiceField(
        label="Percentage: out of (denominator)", required=False, choices=(),
        help_text="Only when the yearly figure is worked out as a percentage: the count indicator of all "
                  "the cases, for example return home interviews due. Both counts need this indicator's "
                  "breakdowns and a yearly figure that adds up quarters or takes the last one.")
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    partner = forms.ChoiceField(
        label="Reported by", required=False, choices=(),
        help_text="The partner whose return asks for this figure in its figures grid. Left empty, a partner's "
                  "return shows it once that partner has given it, or adds it as a new figure.")

    def __init__(self, *args, spec=None, **kwargs):
        super().__init__(*args, spec=spec, **kwargs)
        self.fields["partner"].choices = [("", "No one partner")] + [(p.code, p.name) for p in spec.partners]
        self.fields["partner"].error_messages["invalid_choice"] = "Reported by: %(value)s is not one of the partners listed"
        self.fields["breakdowns"].choices = [(b.code, b.name) for b in spec.breakdowns]
        counts = [("", "None")] + [(i.code, f"{i.name} ({i.code})") for i in spec.indicators if i.unit == "count"]
        for name in ("numerator", "denominator"):
            self.fields[name].choices = counts
            self.fields[name].error_messages["invalid_choice"] = (
                f"{self.fields[name].label}: %(value)s is not one of the count indicators listed")


class RetireForm(LabelledForm):
    retired_from = forms.ChoiceField(label="Retire from", required=False, choices=())

    def __init__(self, *args, spec=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired_from"].choices = [("", "Not retired")] + [
            (y, y) for y in spec.periods.financial_years]


class TemplateForm(AppliesFrom):
    entities, what = "templates", "a template"
    code = forms.CharField(label="Code", max_length=64, help_text=CODE_HELP)
    name = forms.CharField(label="Name", max_length=200)
    appendix = forms.CharField(label="Appendix letter", max_length=3, required=False,
                               help_text="The report prints this template's part as \"Appendix C: …\"; a quarterly template's "
                                         "figures join the yearly appendix with the same letter. Left empty, a new "
                                         "yearly template gets the next free letter and a quarterly one the letter "
                                         "of the yearly figures appendix.")
    question = forms.CharField(label="Question", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    frequency = forms.ChoiceField(label="Frequency", choices=[("yearly", "Yearly"), ("quarterly", "Quarterly")])


class SectionForm(LabelledForm):
    code = forms.CharField(label="Code", max_length=64, required=False)
    title = forms.CharField(label="Title", max_length=300, required=False)
    kind = forms.ChoiceField(label="Kind", choices=_choices(SectionKind))
    prompt = forms.CharField(label="Prompt", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label="Required", required=False)


class _Sections(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this section"


SectionFormSet = forms.formset_factory(SectionForm, formset=_Sections, extra=1, max_num=60, can_delete=True)


class RoleForm(LabelledForm):
    role = forms.ChoiceField(label="Role", choices=ROLES)
    partner = forms.ChoiceField(label="Partner", required=False, choices=())

    def __init__(self, *args, spec=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "None (business unit or scrutineer)")] + [
            (p.code, p.name) for p in spec.partners]
        self.fields["partner"].help_text = "For a partner contributor or approver only."


class InviteForm(RoleForm):
    email = forms.EmailField(label="Email address", max_length=254)
    field_order = ("email", "role", "partner")
