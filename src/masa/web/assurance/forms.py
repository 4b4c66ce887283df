"""The assurance pages' forms. They only read what was typed; the rules (an owner for every
action, no due date before its review, no names or dates of birth in a case audit) are the
engine's, applied by ``service`` and shown on the field they concern. What is typed here may be
published in the yearly report, so the engine also refuses names, dates, addresses and text
over its length limit."""

from __future__ import annotations

from django import forms

from masa.web.dates import UKDateField

from .models import GRADE_CHOICES, KIND_CHOICES, STATUS_CHOICES


def _kinds(form, **kinds):
    """Each field's markup kind, and a "required" message that names the field."""
    for name, f in form.fields.items():
        f.kind = kinds.get(name, "text")
        if f.error_messages["required"] == forms.Field.default_error_messages["required"]:
            f.error_messages["required"] = f"{f.label}: this cannot be left empty"


class ReviewForm(forms.Form):
    code = forms.CharField(label="Short code (lower case letters, digits and hyphens)", max_length=40)
    kind = forms.ChoiceField(label="Kind of review", choices=KIND_CHOICES)
    title = forms.CharField(label="Title", max_length=300)
    started = UKDateField(label="Date of the review (rapid review meeting, commissioning, or adoption)")
    published = UKDateField(label="Date its report was published (if it has been)", required=False)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, kind="radios")


class RecommendationForm(forms.Form):
    prefix = "rec"  # shares its page with the action form
    ident = forms.CharField(label="Recommendation number", max_length=40)
    text = forms.CharField(label="Recommendation", widget=forms.Textarea)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, text="textarea")


class ActionForm(forms.Form):
    """A new action; ``owner`` may be left blank in the browser, and the engine then says why not."""

    ident = forms.CharField(label="Action number", max_length=40)
    text = forms.CharField(label="What will be done")
    owner = forms.CharField(label="Owner (the role or team that will do it, not a person's name)", required=False,
                            max_length=300)
    partner = forms.ChoiceField(label="Agency answerable for it", required=False)
    due = UKDateField(label="Due date")
    recommendation = forms.ChoiceField(label="Recommendation", required=False)

    def __init__(self, *a, partners=(), recommendations=None, **k):
        super().__init__(*a, **k)
        self.fields["partner"].choices = [("", "None (the partnership)")] + list(partners)
        if recommendations is None:
            del self.fields["recommendation"]
        else:
            self.fields["recommendation"].choices = list(recommendations)
            self.fields["recommendation"].required = True
        _kinds(self, partner="select", recommendation="select")


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES)
    completed = UKDateField(label="Date completed (when done)", required=False)
    evidence = forms.CharField(label="Evidence of completion", required=False, widget=forms.Textarea)
    impact = forms.CharField(label="Impact: what changed for children and families", required=False,
                             widget=forms.Textarea)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, status="radios", evidence="textarea", impact="textarea")


class AuditSetupForm(forms.Form):
    code = forms.CharField(label="Short code (lower case letters, digits and hyphens)", max_length=40)
    theme = forms.CharField(label="Theme", max_length=300)
    held = UKDateField(label="Date of the audit")
    sample = forms.CharField(label="Case references, one a line: the audit's prefix, a hyphen and a number, such as "
                                   "NEG-01 (never a name, initials or a date)",
                             widget=forms.Textarea)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, sample="textarea")

    def refs(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["sample"].splitlines() if line.strip()]


class AuditFormForm(forms.Form):
    grade = forms.ChoiceField(label="Grade for your agency's work on this case", choices=GRADE_CHOICES)
    findings = forms.CharField(label="Findings", widget=forms.Textarea)
    immediate_concern = forms.BooleanField(label="This case needs action now (the business unit is told at once)",
                                           required=False)
    concern = forms.CharField(label="What must be done now (if so)", required=False, widget=forms.Textarea)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, grade="radios", findings="textarea", immediate_concern="checkbox", concern="textarea")


class ScrutinyForm(forms.Form):
    plan = forms.CharField(label="Scrutiny plan, one item a line (start a line with [x] when it is done)",
                           required=False, widget=forms.Textarea)
    statement = forms.CharField(label="The scrutineer's statement for the yearly report", required=False,
                                widget=forms.Textarea)

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, plan="textarea", statement="textarea")

    def plan_items(self) -> list[dict]:
        out = []
        for line in self.cleaned_data["plan"].splitlines():
            line = line.strip()
            if line:
                done = line.lower().startswith("[x]")
                out.append({"text": line[3:].strip() if done else line, "when": "", "done": done})
        return out


class ScrutinyRecommendationForm(forms.Form):
    ident = forms.CharField(label="Recommendation number", max_length=40)
    text = forms.CharField(label="Recommendation", widget=forms.Textarea)
    made = UKDateField(label="Date made")
    to = forms.MultipleChoiceField(label="Lead partners it is addressed to", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *a, partners=(), **k):
        super().__init__(*a, **k)
        self.fields["to"].choices = list(partners)
        _kinds(self, text="textarea", to="checkboxes")


class ResponseForm(forms.Form):
    text = forms.CharField(label="Your response", widget=forms.Textarea)
    given = UKDateField(label="Date of the response")

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self, text="textarea")


class SignOffForm(forms.Form):
    on = UKDateField(label="Date of sign-off")

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        _kinds(self)
