"""Django forms of the review journey: sign-in, workflow actions, queries, replies and
comments, comparing versions and uploading a figures file.

Each error names the field as the page labels it, so a message reads on its own.
"""

from __future__ import annotations

from django import forms

from masa.web.workflow.queries import MAX_TEXT

ACTIONS = ("submit", "resubmit", "query", "approve", "publish")


class LoginForm(forms.Form):
    username = forms.CharField(label="Email address", max_length=254, strip=True,
                               error_messages={"required": "Enter your email address"})
    password = forms.CharField(label="Password", strip=False, error_messages={"required": "Enter your password"})
    otp_token = forms.CharField(label="Authenticator code", required=False, max_length=20, strip=True)
    next = forms.CharField(required=False, max_length=2000)

    def first_errors(self) -> dict[str, str]:
        """One message per field, as the sign-in page shows them."""
        return {name: msgs[0] for name, msgs in self.errors.items()}


class ActionForm(forms.Form):
    """One workflow action. An unknown action is refused as not allowed, not as a form error."""

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(required=False)  # cut to the stored length, never refused for it
    section = forms.CharField(required=False)

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()[:MAX_TEXT]

    def clean_section(self) -> str:
        return self.cleaned_data["section"][:64]


class MessageForm(forms.Form):
    """A comment on a section, or (with ``query``) the partner's reply to an open query."""

    text = forms.CharField(label="Comment", required=False)  # the service cuts it to the stored length
    section = forms.CharField(required=False)
    query = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def clean_section(self) -> str:
        return (self.cleaned_data["section"] or "general")[:64]


class CompareForm(forms.Form):
    """Two version numbers from the history page's query string."""

    a = forms.IntegerField(min_value=1, max_value=999_999)
    b = forms.IntegerField(min_value=1, max_value=999_999)


class UploadForm(forms.Form):
    # an empty file is the spreadsheet reader's to explain, with the file's name
    file = forms.FileField(label="Upload a figures file", allow_empty_file=True, error_messages={
        "required": "Choose a .xlsx or .csv file to upload"})
