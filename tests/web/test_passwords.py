"""`masa users add` refuses weak passwords with Django's validators, one clear line, and
changes nothing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def _add(email, password):
    from masa.cli import app

    return CliRunner().invoke(app, ["users", "add", email, "--role", "business_unit", "--password", password])


@pytest.mark.parametrize("password,reason", [
    ("short pass", "too short. It must contain at least 12 characters"),
    ("password1234", "too common"),
    ("739201847563", "entirely numeric"),
    ("robin.ashdown", "too similar to the"),
])
def test_a_weak_password_is_refused_and_no_user_is_made(password, reason):
    from django.contrib.auth import get_user_model

    r = _add("robin.ashdown@example.org", password)
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "password refused, nothing was changed:" in out and reason in out
    assert not get_user_model().objects.filter(username="robin.ashdown@example.org").exists()


def test_a_weak_password_leaves_an_existing_users_password_alone():
    from django.contrib.auth import get_user_model

    assert _add("lee.fairbank@example.org", "tidal marsh lantern 8").exit_code == 0
    assert _add("lee.fairbank@example.org", "password1234").exit_code == 2
    assert get_user_model().objects.get(username="lee.fairbank@example.org").check_password("tidal marsh lantern 8")
