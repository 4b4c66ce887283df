"""First run through the real UI in Chromium, with axe-core: a business unit with no
partnership signs in, follows the home page's link, makes a mistake, then sets up."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_first_run_page_in_the_browser(live_server, browser, settings):
    from masa.web.demo import ensure_user
    from masa.web.store import stored_partnerships

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    ensure_user("first.bu@example.org", "business_unit", None, PASSWORD)
    base = live_server.url
    visited: list[str] = []
    page = browser.new_context(bypass_csp=True).new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/login/")
    page.get_by_label("Email address").fill("first.bu@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    _axe(page, visited)  # home, with the first-run link
    page.get_by_role("link", name="Set up your partnership").click()
    page.wait_for_load_state()
    _axe(page, visited)
    page.get_by_label("Local authorities").select_option(["Kent", "Medway"])
    page.get_by_role("button", name="Create the partnership").click()
    page.wait_for_load_state()
    assert "Partnership name: Enter the partnership" in page.locator(".govuk-error-summary").inner_text()
    _axe(page, visited)  # the page with errors; the chosen areas are kept
    page.get_by_label("Partnership name").fill("Northtown Safeguarding Children Partnership")
    page.get_by_role("button", name="Create the partnership").click()
    page.wait_for_load_state()
    assert page.url.endswith("/bu/") and "is set up for" in page.content()
    assert stored_partnerships() == ["northtown-safeguarding-children-partnership"]
    assert len(visited) == 3
