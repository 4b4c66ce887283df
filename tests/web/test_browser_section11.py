"""One full Section 11 pass through the real UI in Debian Chromium, axe-core on every page:
the partner's contributor starts the new cycle (last year's ratings and open actions carried),
is told what is wrong with an action that has no owner, fills and submits; the business unit
moderates a rating and reads the heatmap with the change since last year; the partner keeps
the challenged rating with a response and resubmits."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STANDARDS = ["leadership", "childs-voice", "clear-policies", "safer-recruitment", "training",
             "information-sharing", "partnership-working", "quality-assurance"]


def sign_in(page, base: str, username: str) -> None:
    """Sign in and land on the Section 11 page (not the business unit's slower dashboard)."""
    from tests.web.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/login/?next=/section11/")
    page.get_by_label("Email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_section11_cycle_through_the_ui(live_server, browser, settings):
    from masa.web.section11.models import Assessment
    from tests.web.conftest import make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    Assessment.objects.filter(partner__code="bfrs", period__code="2025-26").delete()  # the cycle to start
    base = live_server.url
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(30000)

    sign_in(page, base, web.users["contributor"].username)
    _axe(page, visited)
    page.get_by_role("button", name="Start the 2025-26 assessment").click()
    page.wait_for_load_state()
    _axe(page, visited)
    content = page.content()
    assert "Last year's rating: <strong>Amber</strong>" in content
    assert "(carried from 2024-25)" in content
    for i, code in enumerate(STANDARDS):
        page.locator(f"#{code}-rating-{'amber' if code == 'training' else 'green'}").check()
        page.locator(f"#{code}-evidence").fill(f"Synthetic evidence for standard {i + 1}.")
    blank = page.locator("#leadership-actions").get_attribute("value")
    n = int(blank) - 1  # the blank row after the carried actions
    page.locator(f"#leadership-a{n}-text").fill("Brief the new board member on safeguarding duties")
    page.locator(f"#leadership-a{n}-due").fill("30/09/2025")
    page.get_by_role("button", name="Save the assessment").click()
    page.wait_for_load_state()
    _axe(page, visited)  # the error page
    assert "There is a problem" in page.content()
    summary = page.locator(".govuk-error-summary")
    assert "enter an owner" in summary.inner_text()
    page.locator(f"#leadership-a{n}-owner").fill("Chief fire officer")
    page.get_by_role("button", name="Save the assessment").click()
    page.wait_for_load_state()
    assert "Section 11 assessment saved" in page.content()
    page.get_by_role("button", name="Submit to the business unit").click()
    page.wait_for_load_state()
    _axe(page, visited)
    assert page.locator("#s11-status").inner_text().startswith("Submitted")

    sign_in(page, base, web.users["bu"].username)
    page.goto(f"{base}/luton/section11/?period=2025-26")
    _axe(page, visited)
    page.get_by_role("link", name="Bedfordshire Fire and Rescue Service").click()
    page.wait_for_load_state()
    _axe(page, visited)
    page.locator("#training-verdict-challenge").check()
    page.locator("#training-reason").fill("The training figures given are from the year before.")
    page.locator("#leadership-verdict-agree").check()
    page.locator("#leadership-reason").fill("Board minutes show the lead reporting each quarter.")
    page.get_by_role("button", name="Record the moderation").click()
    page.wait_for_load_state()
    _axe(page, visited)
    assessment_url = page.url
    assert "Moderation recorded for 2 standards" in page.content()
    assert page.locator("#training-moderation").inner_text().startswith("Challenge: The training figures")

    page.get_by_role("link", name="Section 11").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="See the heatmap of ratings for 2024-25").click()
    page.wait_for_load_state()
    _axe(page, visited)
    page.goto(f"{base}/luton/section11/heatmap/?period=2025-26")
    _axe(page, visited)
    row = page.locator("#heatmap tr", has_text="Bedfordshire Fire and Rescue Service").inner_text()
    assert "Amber" in row and "no change (was amber)" in row and "BU: challenge" in row

    # the partner reads the challenge beside the standard, keeps the rating with a reason, resubmits
    sign_in(page, base, web.users["contributor"].username)
    page.goto(assessment_url)
    _axe(page, visited)
    assert "challenged this rating: The training figures" in page.locator("#training-challenges").inner_text()
    page.locator("#training-response-kept").check()
    page.locator("#training-response-reason").fill("This year's figures are in the second paragraph.")
    page.get_by_role("button", name="Send your responses and resubmit").click()
    page.wait_for_load_state()
    _axe(page, visited)
    assert "resubmitted" in page.content()
    assert "rating kept: This year" in page.locator("#training-challenges").inner_text()
    assert len(visited) == 11
