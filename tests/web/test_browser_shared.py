"""The shared Chromium (the ``browser`` fixture in tests/conftest.py): a browser test never
sees the cookies of the one before it, and the tests after a browser test in the same
process can still use the database (Playwright's loop is not left marked as running)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("shared-chromium")  # one worker, in this order

URL = "http://masa.test/"


@pytest.mark.browser
def test_a_browser_test_leaves_a_cookie_behind(browser):
    ctx = browser.new_context()
    ctx.add_cookies([{"name": "sessionid", "value": "left-behind", "url": URL}])
    assert [c["value"] for c in ctx.cookies(URL)] == ["left-behind"]


@pytest.mark.browser
def test_the_next_browser_test_starts_with_no_cookies(browser):
    assert browser.new_context().cookies(URL) == []


@pytest.mark.django_db
def test_a_database_test_after_the_browser_tests_runs(django_user_model):
    django_user_model.objects.create_user("after.browser@example.org")
    assert django_user_model.objects.filter(username="after.browser@example.org").exists()
