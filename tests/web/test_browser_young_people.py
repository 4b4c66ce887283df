"""The young people's version through the real UI in Debian Chromium, axe-core on every page:
the business unit generates it, watches the score move as it types, saves, sees a small figure
it typed stop publishing, removes it, approves, publishes; the public reads the page and PDF."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = ("Our partnership, which brings together a considerable number of organisations responsible for "
        "safeguarding, comprehensively reconsidered its arrangements for multi-agency information sharing.")


def test_generate_edit_approve_publish_and_read_it(live_server, browser, settings):
    from playwright.sync_api import expect

    from masa.web.core.models import Return
    from tests.web.conftest import PASSWORD, USERS, make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    make_web()
    Return.objects.filter(period__code="2024-25").exclude(status="published").update(status="approved")
    base = f"{live_server.url}/luton"
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status == 404 else None)
    # signed in straight to the page (the dashboard, the usual landing page, checks every return)
    page.goto(f"{base}/login/?next=/luton/bu/young-people/")
    page.get_by_label("Email address").fill(USERS["bu"][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Young people's version of the yearly report")).to_be_visible()
    expect(page.get_by_role("link", name="Young people")).to_be_visible()  # in the header
    _axe(page, visited)
    page.get_by_role("button", name="Generate 2024-25").first.click()
    expect(page.get_by_text("was generated")).to_be_visible()
    expect(page.locator("#yp-meets")).to_have_text("Meets the target")
    _axe(page, visited)

    about = page.get_by_label("Who we are")
    before = page.locator("#yp-grade").inner_text()
    about.fill(about.input_value() + "\n" + LONG)  # the score moves as the text changes, unsaved
    expect(page.locator("#yp-grade")).not_to_have_text(before)
    expect(page.locator("#yp-longest li").first).to_contain_text("considerable number")

    about.fill(about.input_value().replace(LONG, "Police helped 2 children at the station."))
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator("#yp-problems")).to_contain_text("Police helped 2 children at the station.")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("cannot be approved")).to_be_visible()
    _axe(page, visited)

    about = page.get_by_label("Who we are")
    about.fill(about.input_value().replace("Police helped 2 children at the station.",
                                           "We met every month in the town hall."))
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator("#yp-problems")).to_have_count(0)
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#yp-status")).to_have_text("approved")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#yp-status")).to_have_text("published")
    _axe(page, visited)

    ctx.clear_cookies()  # the public, signed out
    page.goto(f"{base}/published/2024-25/young-people/")
    expect(page.get_by_role("heading", name="You told us, we changed things")).to_be_visible()
    expect(page.get_by_text("We met every month in the town hall.")).to_be_visible()
    _axe(page, visited)
    pdf = page.request.get(f"{base}/published/2024-25/young-people.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    # no script blocked, no page or script of ours missing (the browser's own favicon.ico request aside)
    assert not [e for e in errors if "Content Security Policy" in e or e.startswith("404 ")], errors
    assert len(visited) == 5
