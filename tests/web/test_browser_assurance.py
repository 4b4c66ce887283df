"""Assurance in Debian Chromium with axe-core on every page: the business unit records a
review, a recommendation and an action (refused first without an owner), BFRS updates its
action; the business unit sets up a case audit, BFRS completes a form with an immediate
concern, the business unit sees it and turns it into an action; the scrutineer writes the
plan and statement and a recommendation, BFRS responds, the scrutineer signs off."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_pass_of_the_register_a_case_audit_and_scrutiny(live_server, browser, settings):
    from masa.web.assurance.models import AssuranceAction, AuditForm, ScrutinyYear
    from tests.web.conftest import make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    base = live_server.url
    seen: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(30000)

    def sign_in(page, base, username):  # straight to the assurance page, not the dashboard
        from tests.web.conftest import PASSWORD

        ctx.clear_cookies()
        page.goto(f"{base}/login/?next=/assurance/")
        page.get_by_label("Email address").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    def go(url):
        page.goto(base + url)
        _axe(page, seen)

    def submit(name):
        page.get_by_role("button", name=name).click()
        page.wait_for_load_state()
        _axe(page, seen)

    # the learning-review register
    sign_in(page, base, web.users["bu"].username)
    page.get_by_role("link", name="Assurance", exact=True).first.click()
    page.wait_for_load_state()
    _axe(page, seen)
    go("/assurance/reviews/")
    page.get_by_label("Short code").fill("rr-2025-oak")
    page.get_by_label("Rapid review", exact=True).check()
    page.get_by_label("Title").fill("Rapid review 'Oak' (synthetic)")
    page.get_by_label("Date of the review").fill("12/05/2025")
    submit("Add the review")
    page.get_by_label("Recommendation number").fill("O1")
    page.get_by_label("Recommendation", exact=True).fill("Fire crews pass on home safety concerns the same day.")
    submit("Add the recommendation")
    page.get_by_label("Action number").fill("O1.1")
    page.get_by_label("What will be done").fill("Add a same-day referral step to home fire safety visits.")
    page.get_by_label("Agency answerable for it").select_option("bfrs")
    page.get_by_label("Due date").fill("30/09/2025")
    submit("Add the action")
    assert "an action needs an owner" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Owner").fill("Station manager, prevention")
    submit("Add the action")
    assert "Action added" in page.locator(".govuk-notification-banner").inner_text()

    sign_in(page, base, web.users["contributor"].username)
    go("/assurance/")
    page.get_by_role("link", name="O1.1").click()
    page.wait_for_load_state()
    page.get_by_label("Done", exact=True).check()
    page.get_by_label("Date completed").fill("15/09/2025")
    page.get_by_label("Evidence of completion").fill("Referral step added to the visit checklist.")
    page.get_by_label("Impact").fill("Concerns now reach the front door on the day of the visit.")
    submit("Save the update")
    assert "Done" in page.locator("#action-status").inner_text()

    # a case audit
    sign_in(page, base, web.users["bu"].username)
    go("/assurance/audits/")
    page.get_by_label("Short code").fill("exploit-2025")
    page.get_by_label("Theme").fill("Exploitation: do agencies act together?")
    page.get_by_label("Date of the audit").fill("03/06/2025")
    page.get_by_label("Case references").fill("EXP-01\nEXP-02")
    submit("Set up the audit")
    sign_in(page, base, web.users["contributor"].username)
    go("/assurance/audits/exploit-2025/")
    page.get_by_role("link", name="Audit case EXP-01").click()
    page.wait_for_load_state()
    _axe(page, seen)
    page.get_by_label("Requires improvement").check()
    page.get_by_label("Findings").fill("The crew's concern was logged but not passed to the police.")
    page.get_by_label("This case needs action now").check()
    page.get_by_label("What must be done now").fill("Share the logged concern with the police today.")
    submit("Save your audit")
    assert "the business unit has been told" in page.locator(".govuk-notification-banner").inner_text()
    sign_in(page, base, web.users["bu"].username)
    go("/assurance/audits/exploit-2025/")
    assert "Share the logged concern with the police today." in page.locator(".govuk-warning-text").inner_text()
    page.get_by_label("Action number").fill("E1")
    page.get_by_label("What will be done").fill("Agree a route for crews' exploitation concerns to the police.")
    page.get_by_label("Owner").fill("Exploitation sub-group chair")
    page.get_by_label("Due date").fill("31/10/2025")
    submit("Add the action")
    assert "Action added from the audit" in page.locator(".govuk-notification-banner").inner_text()

    # independent scrutiny
    sign_in(page, base, web.users["scrutineer"].username)
    go("/assurance/scrutiny/")
    page.get_by_label("Scrutiny plan").fill("[x] Observe the executive group\nRead the draft report")
    page.get_by_label("statement for the yearly report").fill("The arrangements are working; actions are late.")
    submit("Save plan and statement")
    page.get_by_label("Recommendation number").fill("S25-1")
    page.get_by_label("Recommendation", exact=True).fill("Report fire crews' safeguarding referrals to the executive.")
    page.get_by_label("Date made").fill("01/07/2025")
    page.get_by_label("Bedfordshire Fire and Rescue Service").check()
    submit("Send the recommendation")
    sign_in(page, base, web.users["approver"].username)
    go("/assurance/scrutiny/")
    page.get_by_label("Your agency's response to S25-1").fill("Agreed; quarterly from September.")
    page.get_by_label("Date of the response").fill("20/07/2025")
    submit("Send the response")
    sign_in(page, base, web.users["scrutineer"].username)
    go("/assurance/scrutiny/")
    page.get_by_label("Date of sign-off").fill("30/06/2025")
    submit("Sign off the report")
    assert "signed off by" in page.locator("#sign-off").inner_text()
    assert AssuranceAction.objects.get(ident="O1.1").status == "done"
    assert AuditForm.objects.filter(immediate_concern=True, case__ref="EXP-01").exists()
    y = ScrutinyYear.objects.get(partnership="luton", period=web.spec.periods.current)
    assert y.signed_off_on is not None and y.recommendations.get(ident="S25-1").responses.count() == 1
    assert len(seen) >= 15
