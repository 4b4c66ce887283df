"""Django forms of the periods screen and of starting a return.

Each error names the field as the form labels it, so the error summary reads on its own
("Returns due by: 31/02/2026 is not a real date ..."). Dates are read the UK way
with the web's one date field (``masa.web.dates.UKDateField``): 31/05/2026, 31 May 2026 and
2026-05-31 all work.
"""

from __future__ import annotations

from django import forms

from masa.spec.opening import OpenRefused, read_year
from masa.web.dates import UKDateField


class OpenYearForm(forms.Form):
    year = forms.CharField(label="Financial year", max_length=20,
                           error_messages={"required": "Financial year: enter the year to open, such as 2025-26"})
    due = UKDateField(label="Returns due by", required=False)
    quarters = forms.BooleanField(label="Also open quarterly returns for every open year", required=False)

    def clean_year(self):
        try:
            return read_year(self.cleaned_data["year"])
        except OpenRefused as exc:
            raise forms.ValidationError(f"Financial year: {exc}") from None


class DeadlineForm(forms.Form):
    prefix = "deadline"  # the extension form on the same page also has a date
    due = UKDateField(label="Returns due by")


class ExtensionForm(forms.Form):
    prefix = "extension"
    partner = forms.ChoiceField(label="Partner")
    due = UKDateField(label="New date")
    reason = forms.CharField(label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Reason: say why this partner has more time",
                                             "max_length": "Reason: keep it under 2,000 characters"})

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "Choose a partner")] + [(p.code, p.name) for p in partners]
        self.fields["partner"].error_messages.update({
            "required": "Partner: choose the partner that has more time",
            "invalid_choice": "Partner: %(value)s is not a partner in this partnership"})


class StartForm(forms.Form):
    period = forms.ChoiceField(label="Period", error_messages={
        "required": "Period: choose the period of the return",
        "invalid_choice": "Period: %(value)s is not open for returns"})
    template = forms.ChoiceField(label="Return", widget=forms.RadioSelect, error_messages={
        "required": "Return: choose the return to start",
        "invalid_choice": "Return: %(value)s is not one of this partnership's returns"})

    def __init__(self, *args, periods=(), templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in periods]
        self.fields["template"].choices = [(t.code, t.name) for t in templates]


class PeriodStateForm(forms.Form):
    action = forms.ChoiceField(label="Action", choices=[("close", "Close to new returns"), ("reopen", "Reopen")],
                               error_messages={"required": "Action: choose close or reopen",
                                               "invalid_choice": "Action: choose close or reopen"})
