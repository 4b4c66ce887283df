"""The dataset dashboard in Debian Chromium, axe-clean, as the business unit and as the public:
the example's training compliance trend (83% to 89% against a 90% target: amber, as its
catalogue declares a 5-point band), the theme matrix, and a filter applied through the form."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _training_row(page):
    row = page.locator("#table-training_compliance-year tr", has_text="Level 3 safeguarding children")
    return " ".join(row.inner_text().split())


def test_dataset_dashboard_as_business_unit_and_public(live_server, browser, settings):
    from masa.web.core.models import Return
    from tests.web.conftest import PASSWORD, make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    Return.objects.filter(partner__code="elft", template__code="appendix-b").update(status="published")
    base = live_server.url
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # bypass_csp only to inject axe
    page = ctx.new_page()
    page.set_default_timeout(60000)  # the machine is shared; the page itself takes a few seconds
    page.goto(f"{base}/login/?next=/bu/dataset/")  # straight to the dataset, not via the home dashboard
    page.get_by_label("Email address").fill(web.users["bu"].username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Dataset", exact=True).is_visible()  # in the navigation
    assert page.url.endswith("/bu/dataset/")
    _axe(page, visited)
    row = _training_row(page)
    assert "83%" in row and "89%" in row and "Amber" in row and "improving" in row, row
    chart = page.locator("#table-training_compliance-year svg[role='img']").first
    assert "2023-24 83%, 2024-25 89%; target at least 90%" in chart.get_attribute("aria-label")
    matrix = page.locator("#theme-matrix")
    assert "Neglect" in matrix.inner_text() and "Bedfordshire Police (statutory)" in matrix.inner_text()
    page.get_by_label("Partner", exact=True).select_option("elft")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "partner=elft" in page.url
    assert page.locator("#ind-training_compliance").count() == 1
    assert page.locator("#ind-pol_ed_reach").count() == 0  # the police's indicator is filtered out
    _axe(page, visited)

    ctx.clear_cookies()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Published dataset").click()
    page.wait_for_load_state()
    _axe(page, visited)
    row = _training_row(page)
    assert "83%" in row and "89%" in row and "Amber" in row, row
    assert "Write commentary" not in page.content()
    assert page.locator("#theme-matrix").is_visible()
    page.get_by_label("Financial year", exact=True).select_option("2023-24")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    row = _training_row(page)
    assert "83%" in row and "89%" not in row and "Red" in row, row
    _axe(page, visited)
    assert len(visited) == 4
