"""The notification preference page in Debian Chromium with axe-core: a partner approver
switches to a daily digest, and the page says so."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_daily_digest(live_server, browser, settings):
    from masa.web.notify.models import mode_of
    from tests.web.conftest import make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server.url, web.users["approver"].username)
    page.get_by_role("link", name="Notifications").click()
    page.wait_for_load_state()
    _axe(page, visited)
    assert page.get_by_label("Send each notification as it happens").is_checked()
    page.get_by_label("Send one email a day with everything since the last one").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    _axe(page, visited)
    assert "one email a day" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_label("Send one email a day with everything since the last one").is_checked()
    assert mode_of(web.users["approver"]) == "digest"
