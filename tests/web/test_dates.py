"""The web's one date field (masa.web.dates.UKDateField): the formats people type, and a
specific message for a date that does not exist."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from masa.web.dates import UKDateField


class _Form(forms.Form):
    due = UKDateField(label="Due date")


@pytest.mark.parametrize("typed", ["31/05/2026", "31/5/2026", "31 May 2026", "31 May 26", "31/5/26", "2026-05-31",
                                   "31st May 2026"])
def test_the_formats_people_type_are_read(typed):
    form = _Form({"due": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == date(2026, 5, 31)


@pytest.mark.parametrize("typed, says", [
    ("31/02/2026", "Due date: 31/02/2026 is not a real date"),
    ("29 Feb 27", "Due date: 29 Feb 27 is not a real date"),
    ("soon", "Due date: 'soon' is not a date"),
    ("", "Due date: enter a date, for example 31/05/2026"),
])
def test_an_impossible_or_unreadable_date_gets_a_specific_message(typed, says):
    form = _Form({"due": typed})
    assert not form.is_valid()
    assert form.errors["due"][0].startswith(says)


def test_a_date_is_shown_back_the_uk_way():
    assert 'value="31/05/2026"' in str(_Form(initial={"due": date(2026, 5, 31)})["due"])


def test_the_period_deadline_form_uses_the_shared_field(client, web):
    from masa.web.workflow.models import Deadline

    client.force_login(web.users["bu"])
    r = client.post("/bu/periods/2024-25/deadline/", {"deadline-due": "31/5/25"})
    assert r.status_code == 302
    assert Deadline.objects.get(period__code="2024-25").due == date(2025, 5, 31)
    r = client.post("/bu/periods/2024-25/deadline/", {"deadline-due": "31/02/2025"})
    assert r.status_code == 400 and "Returns due by: 31/02/2025 is not a real date" in r.content.decode()
