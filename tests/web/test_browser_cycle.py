"""Issue 10's acceptance journey in Debian Chromium, axe-core on every page visited, from an
empty database with one business-unit user: the business unit sets up a partnership on the
first-run page, adds an area, a partner and its users, sets the year's deadline; the
partner starts, fills (an audit with an action left open, a priority for next year) and
submits its return; the business unit approves it and opens the next year; the partner's
new return carries the action and the priority, and cannot be submitted until both are
answered. Screenshots of each main step go to /tmp/journey/."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
BU = "bu@northtown.example.org"
SHOTS = Path("/tmp/journey")
ACTION = "Re-audit strategy meeting attendance in six months"
PRIORITY = "Hear from more children placed out of area"


def _add_business_unit_user():
    """What `masa users add BU --role business_unit` does: the user, its role, an audit entry."""
    from masa.web.auditlog.cli import record
    from masa.web.demo import ensure_user

    ensure_user(BU, "business_unit", None, PASSWORD)
    record(None, "user.added", f"user:{BU}", {"role": "business_unit", "partner": None, "password_set": True})


def test_a_partnership_runs_two_years_from_an_empty_database(live_server, browser, settings):
    from django.utils import timezone

    from masa.spec.periods import shift_period
    from masa.spec.starter import financial_year

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    _add_business_unit_user()
    year = financial_year(timezone.localdate())  # the starter spec's current year
    nxt = shift_period(year, 1)
    due = timezone.localdate() + timedelta(days=30)
    next_due = date(int(nxt[:4]), 7, 31)
    SHOTS.mkdir(exist_ok=True)
    base, visited = live_server.url, []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def click(name: str, role: str = "button"):
        page.get_by_role(role, name=name, exact=True).click()
        page.wait_for_load_state()

    def shot(name: str):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def look(name: str):
        _axe(page, visited)
        shot(name)

    def sign_in(email: str):
        ctx.clear_cookies()
        page.goto(f"{base}/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        click("Sign in")

    # 1. First run: the partnership from nothing
    sign_in(BU)
    look("01-home-first-run")
    click("Set up your partnership", "link")
    look("02-first-run")
    assert page.get_by_label("Local authorities").bounding_box()["height"] > 200  # many rows show, not one
    page.get_by_label("Partnership name").fill("Northtown Safeguarding Children Partnership")
    page.get_by_label("Local authorities").select_option(["Kent", "Medway"])
    click("Create the partnership")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"is set up for {year}" in banner and "invite each partner's users (Setup, Users)" in banner
    look("03-dashboard-after-setup")

    # 2. Setup: an area, a partner covering it, its contributor and approver
    click("Setup: areas, partners, indicators, templates and users", "link")
    look("04-setup")
    page.get_by_role("link", name="Areas", exact=True).first.click()
    click("Add an area", "link")
    page.get_by_label("Code", exact=True).fill("northtown")
    page.get_by_label("Name", exact=True).fill("Northtown")
    click("Save area")
    assert "Area northtown saved" in page.content()
    look("05-area-saved")
    page.goto(f"{base}/bu/setup/partners/")
    click("Add a partner", "link")
    page.get_by_label("Code", exact=True).fill("northtown-health")
    page.get_by_label("Name", exact=True).fill("Northtown Community Health Trust")
    page.get_by_label("Short name").fill("NCHT")
    page.get_by_label("Type").select_option("nhs-trust")
    page.get_by_label("Northtown").check()
    click("Save partner")
    assert "Partner northtown-health saved" in page.content()
    look("06-partner-saved")
    links = {}
    for email, role in (("lead@ncht.example.org", "contributor"), ("director@ncht.example.org", "approver")):
        page.goto(f"{base}/bu/setup/users/")
        click("Invite a user", "link")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Role").select_option(role)
        page.get_by_label("Partner").select_option("northtown-health")
        click("Invite")
        links[email] = page.locator("#one-time-link").inner_text()
    look("07-user-invited")

    # 3. The year is open already (the starter's current year): set its deadline
    page.goto(f"{base}/bu/")
    click("Periods", "link")
    look("08-periods")
    assert "Q1" not in page.locator("table").inner_text()  # no quarterly template: no quarter rows
    page.get_by_role("link", name=year, exact=True).click()
    page.wait_for_load_state()
    assert page.title() == f"Period {year} – masa"
    page.get_by_label("Returns due by").fill(f"{due:%d/%m/%Y}")
    click("Set deadline")
    assert f"Returns for {year} are due by {due:%d %B %Y}" in page.content()
    look("09-period-deadline")

    # 4. The partner's people set their passwords from the links the business unit sent
    for email, link in links.items():
        ctx.clear_cookies()
        page.goto(link)
        page.get_by_label("New password", exact=True).fill(PASSWORD)
        page.get_by_label("New password again").fill(PASSWORD)
        click("Set password")
    shot("10-password-set")

    # 5. The contributor starts and fills the return
    sign_in("lead@ncht.example.org")
    look("11-partner-returns")
    page.get_by_label("Period").select_option(year)
    page.locator("input[name='template'][value='appendix-b']").check()
    click("Start return")
    look("12-new-return")
    page.locator("textarea[name='sec-achievements-0-text']").fill("We trained every ward team in the year.")
    page.locator("input[name='au-0-title']").fill("Strategy meeting attendance")
    page.locator("textarea[name='au-0-findings']").fill("Health attended most strategy meetings")
    page.locator("input[name='au-0-act-0-text']").fill(ACTION)
    page.locator("input[name='au-0-act-0-owner']").fill("Named nurse")
    page.locator("input[name='au-0-act-0-due']").fill(f"{int(nxt[:4])}-09-30")
    page.locator("textarea[name='ny-0-text']").fill(PRIORITY)
    click("Save")
    assert "Your return was saved" in page.content()
    look("13-return-saved")
    ret_url = page.url

    # 6. The approver submits; the business unit approves
    sign_in("director@ncht.example.org")
    page.goto(ret_url)
    click("Submit return")
    assert page.locator("#return-status").inner_text() == "submitted"
    look("14-submitted")
    sign_in(BU)
    page.goto(ret_url)
    click("Approve return")
    assert page.locator("#return-status").inner_text() == "approved"
    look("15-approved")

    # 7. The business unit opens the next year with its deadline
    page.goto(f"{base}/bu/periods/")
    assert page.get_by_label("Financial year").input_value() == nxt
    page.get_by_label("Returns due by").fill(f"{next_due:%d/%m/%Y}")
    click("Open year")
    assert f"{nxt} is open and is now the current year" in page.content()
    look("16-next-year-open")

    # 8. The partner's new return carries the action and the priority
    sign_in("director@ncht.example.org")
    row = page.locator("tr", has_text=nxt).filter(has_text="Northtown Community Health Trust").first
    shot("17-partner-returns-next-year")
    row.get_by_role("link").click()
    page.wait_for_load_state()
    assert "Carried from last year" in page.content()
    carried = page.locator("#section-carried").inner_text()
    assert ACTION in carried and PRIORITY in carried
    look("18-carried")
    page.locator("textarea[name='sec-achievements-0-text']").fill("We repeated the audit and acted on it.")
    click("Save")
    click("Submit return")
    assert page.locator("#return-status").inner_text() == "draft"
    refusal = page.locator(".govuk-error-summary, .govuk-notification-banner").first.inner_text()
    assert "still to answer" in refusal and (ACTION in refusal or PRIORITY in refusal), refusal
    look("19-submit-refused")
    page.locator("#f-ca-0-status-done").check()
    page.locator("#f-ca-0-note").fill("Re-audit done in September; attendance is now routine.")
    page.locator("#f-pr-0-answer-partly").check()
    page.locator("#f-pr-0-explanation").fill("Two of the three placing teams now ask every child.")
    click("Save")
    assert "Your return was saved" in page.content()
    click("Submit return")
    assert page.locator("#return-status").inner_text() == "submitted"
    look("20-next-year-submitted")
    carried = page.locator("#section-carried").inner_text()
    assert "Two of the three placing teams now ask every child." in carried
    assert "Answer each item before you submit" not in carried  # submitted: nothing left to answer
    assert not [e for e in errors if "Content Security Policy" in e], errors
