"""In Debian Chromium with axe-core on every new page: the business unit opens 2025-26 with a
deadline (after one mistyped date), gives one partner an extension, closes 2023-24 to new
returns, and that partner sees its due date and days left on its returns list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.web.test_browser import _axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bu_opens_a_year_with_a_deadline_and_an_extension_and_the_partner_sees_it(live_server, browser,
                                                                                    settings):
    from django.utils import timezone

    from tests.web.conftest import make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    today = timezone.localdate()
    deadline, extended = today + timedelta(days=12), today + timedelta(days=40)
    base = live_server.url
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)

    def as_(who: str):
        sign_in(page, base, web.users[who].username)

    as_("bu")
    page.get_by_role("link", name="Periods").click()
    _axe(page, visited)
    assert page.get_by_label("Financial year").input_value() == "2025-26"  # the next year, offered
    page.get_by_label("Returns due by").fill("31/02/2026")
    page.get_by_role("button", name="Open year").click()
    summary = page.locator(".govuk-error-summary")
    assert "Returns due by: 31/02/2026 is not a real date" in summary.inner_text()
    _axe(page, visited)  # the form with its errors
    page.get_by_label("Returns due by").fill(f"{deadline.day} {deadline:%B %Y}")  # "10 December 2026"
    page.get_by_role("button", name="Open year").click()
    assert "2025-26 is open and is now the current year; 20 draft returns started" in page.content()
    _axe(page, visited)  # the period's page
    page.get_by_label("Partner").select_option(label="Bedfordshire Fire and Rescue Service")
    page.get_by_label("New date").fill(f"{extended:%d/%m/%Y}")
    page.get_by_label("Reason").fill("Their records system is being replaced")
    page.get_by_role("button", name="Give extension").click()
    assert f"Bedfordshire Fire and Rescue Service has until {extended:%d %B %Y} for 2025-26" in page.content()
    _axe(page, visited)
    page.goto(f"{base}/bu/periods/2023-24/")
    page.get_by_role("button", name="Close 2023-24 to new returns").click()
    assert "2023-24 is closed to new returns" in page.content()
    _axe(page, visited)  # a closed period's page

    as_("contributor")
    page.goto(f"{base}/returns/")
    _axe(page, visited)
    row = page.locator("tr", has_text="2025-26").filter(has_text="Partners Safeguarding Snapshot")
    assert "(extended)" in row.inner_text() and "40 days left" in row.inner_text()
    as_("other")  # another partner keeps the period's deadline
    page.goto(f"{base}/returns/")
    row = page.locator("tr", has_text="2025-26").filter(has_text="Partners Safeguarding Snapshot")
    assert "12 days left" in row.inner_text()
    assert len(visited) == 6
