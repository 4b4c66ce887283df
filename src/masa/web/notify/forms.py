from django import forms

from .models import MODES


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(label="How do you want to get notifications?", choices=MODES,
                             widget=forms.RadioSelect, error_messages={"required": "Choose how to get notifications"})
