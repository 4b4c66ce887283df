"""One shared return in Debian Chromium, axe-core on every page: Luton's business unit opens
it, its history and a comparison of two versions, and reads nothing the partner wrote for
Bedford Borough only; Bedford Borough's business unit, on the same pages, reads it."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_business_unit_reads_its_own_scope_of_a_shared_return(live_server, browser, settings):
    from tests.web.conftest import make_web
    from tests.web.multi_fixtures import BEDFORD
    from tests.web.test_scoped_reading import CLEAN_TEXT, SECRET, SECRET_AGAIN, make_shared

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    row, bu = make_shared(web)
    base = live_server.url
    visited: list[str] = []
    page = browser.new_context(bypass_csp=True).new_page()  # axe is injected inline
    page.set_default_timeout(20000)
    for code, user, sees, hidden in (("luton", bu["luton"], [CLEAN_TEXT], [SECRET, SECRET_AGAIN]),
                                     (BEDFORD, bu[BEDFORD], [SECRET], [CLEAN_TEXT])):
        sign_in(page, base, user.username)
        page.goto(f"{base}/{code}/returns/{row.pk}/")
        text = page.locator("main").inner_text()
        assert all(s in text for s in sees) and not any(h in text for h in hidden), code
        _axe(page, visited)
        page.get_by_role("link", name="History and versions").click()
        page.wait_for_load_state()
        first = row.compared.split("&")[0].removeprefix("?a=")  # the version submitted before the edit
        page.select_option("#va", first)
        page.get_by_role("button", name="Compare versions").click()
        page.wait_for_load_state()
        changes = page.locator("main").inner_text()
        assert "Changes from version" in changes
        assert (SECRET_AGAIN in changes) == (code == BEDFORD), code  # the edit, in Bedford Borough's scope only
        assert SECRET not in changes or code == BEDFORD
        _axe(page, visited)
    assert len(visited) == 4
