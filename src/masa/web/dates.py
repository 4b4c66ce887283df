"""The one date field of the web's forms: dates typed the way people in England write them
(31/05/2026, 31/5/2026, 31 May 2026, 31 May 26, 2026-05-31), read by
``masa.spec.deadlines.read_uk_date``. Every form with a date uses :class:`UKDateField`, so
every date accepts the same forms and refuses an impossible one the same way
("Returns due by: 31/02/2026 is not a real date ...")."""

from __future__ import annotations

from django import forms

from masa.spec.deadlines import read_uk_date


class UKDateField(forms.Field):
    """A date typed as people in England write it; the cleaned value is a ``date``.

    Errors start with the field's label, so the error summary reads on its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["required"] = f"{self.label}: enter a date, for example 31/05/2026"

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if not text:
            return None
        if hasattr(text, "year"):
            return text
        try:
            return read_uk_date(str(text)[:60])
        except ValueError as exc:
            raise forms.ValidationError(f"{self.label}: {exc}") from None

    def prepare_value(self, value):
        return f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else value
