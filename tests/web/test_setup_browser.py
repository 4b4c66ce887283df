"""The business unit sets the partnership up in Debian Chromium, axe-core on every setup page:
adds an area, a partner covering it, an indicator, makes a template section required,
invites a user and disables them."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_unit_sets_up_the_partnership(live_server, browser, settings):
    from masa.web import store
    from tests.web.conftest import PASSWORD, make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    base = live_server.url
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def click(name: str, role: str = "button"):
        page.get_by_role(role, name=name, exact=True).click()
        page.wait_for_load_state()

    page.goto(f"{base}/login/")
    page.get_by_label("Email address").fill(web.users["bu"].username)
    page.get_by_label("Password").fill(PASSWORD)
    click("Sign in")
    page.goto(f"{base}/bu/")
    click("Setup: areas, partners, indicators, templates and users", "link")
    _axe(page, visited)

    # an area: first with no name (the error names the field), then properly
    page.get_by_role("link", name="Areas", exact=True).first.click()
    _axe(page, visited)
    click("Add an area", "link")
    _axe(page, visited)
    page.get_by_label("Code", exact=True).fill("northtown")
    click("Save area")
    assert "Enter name" in page.locator(".govuk-error-summary").inner_text()
    _axe(page, visited)
    page.get_by_label("Name", exact=True).fill("Northtown")
    click("Save area")
    assert "Area northtown saved" in page.content()

    # a partner covering the new area, with its safeguarding lead
    page.goto(f"{base}/bu/setup/partners/")
    _axe(page, visited)
    click("Add a partner", "link")
    _axe(page, visited)
    page.get_by_label("Code", exact=True).fill("northtown-council")
    page.get_by_label("Name", exact=True).fill("Northtown Council")
    page.get_by_label("Short name").fill("NTC")
    page.get_by_label("Type").select_option("local-authority")
    page.get_by_label("Northtown").check()
    page.get_by_label("Contacts (one a line: role, email, name)").fill("Safeguarding lead, lead@example.org")
    click("Save partner")
    assert "Partner northtown-council saved" in page.content()
    assert "Safeguarding lead: lead@example.org" in page.content()

    # an indicator with a target
    page.goto(f"{base}/bu/setup/indicators/")
    _axe(page, visited)
    click("Add an indicator", "link")
    _axe(page, visited)
    page.get_by_label("Code", exact=True).fill("strategy_meetings")
    page.get_by_label("Name", exact=True).fill("Strategy meetings held within 3 days")
    page.get_by_label("Unit").select_option("percent")
    page.get_by_label("Better when").select_option("higher_is_better")
    page.get_by_label("Target (optional)").fill("90")
    page.get_by_label("Target is met when").select_option("at_least")
    click("Save indicator")
    assert "Indicator strategy_meetings saved" in page.content()
    page.goto(f"{base}/bu/setup/indicators/csc_referrals/")
    _axe(page, visited)  # with its retire and remove forms
    page.goto(f"{base}/bu/setup/indicators/add/")
    page.get_by_label("Code", exact=True).fill("found_rate")
    page.get_by_label("Name", exact=True).fill("Children found within a day")
    page.get_by_label("Unit").select_option("percent")
    page.get_by_label("Yearly figure from quarterly figures").select_option("ratio")
    click("Save indicator")
    assert page.locator("#id_numerator-error").is_visible()  # the refusal beside its field
    _axe(page, visited)

    # a priority added, then its page with the retire form
    page.goto(f"{base}/bu/setup/priorities/")
    _axe(page, visited)
    click("Add a priority", "link")
    page.get_by_label("Code", exact=True).fill("online-harm")
    page.get_by_label("Name", exact=True).fill("Online harm")
    click("Save priority")
    assert "Priority online-harm saved" in page.content()
    page.goto(f"{base}/bu/setup/priorities/online-harm/")
    _axe(page, visited)

    # a template section made required
    page.goto(f"{base}/bu/setup/templates/")
    _axe(page, visited)
    page.get_by_role("link", name=web.spec.template("appendix-b").name).click()
    page.wait_for_load_state()
    _axe(page, visited)
    tpl = web.spec.template("appendix-b")
    page.locator("#id_sec-0-DELETE").check()  # it holds answers: refused, the returns named
    click("Save template")
    assert "cannot be removed" in page.locator(".govuk-error-summary").inner_text()
    _axe(page, visited)
    page.goto(f"{base}/bu/setup/templates/appendix-b/")
    k = next(i for i, s in enumerate(tpl.sections) if not s.required)
    page.locator(f"#id_sec-{k}-required").check()
    click("Save template")
    assert "Template appendix-b saved" in page.content()

    # invite a user, open their one-time link, then disable them
    page.goto(f"{base}/bu/setup/users/")
    _axe(page, visited)
    click("Invite a user", "link")
    _axe(page, visited)
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_label("Role").select_option("contributor")
    page.get_by_label("Partner").select_option("northtown-council")
    click("Invite")
    _axe(page, visited)
    link = page.locator("#one-time-link").inner_text()
    click("Manage lead@example.org", "link")
    _axe(page, visited)
    page.goto(link)
    _axe(page, visited)  # the set-password page
    page.goto(f"{base}/bu/setup/users/")
    click("lead@example.org", "link")
    click("Disable account")
    assert page.locator("#user-status").inner_text() == "disabled"
    page.goto(link)
    assert "This link does not work any more" in page.content()
    _axe(page, visited)

    spec = store.spec_for("luton")
    assert spec.partner("northtown-council").areas == ["northtown"]
    assert spec.indicator("strategy_meetings").target.value == 90
    assert spec.template("appendix-b").sections[k].required
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert len(visited) >= 16
