"""End to end through the real UI in Debian Chromium, with axe-core on every page visited:
a contributor fills and saves a return and fixes the error the checks find, the approver
submits it, the business unit queries it, the approver resubmits, the business unit approves
and publishes, the public reads it. Nothing is patched: the real checks gate approval."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page, base: str, username: str) -> None:
    """Sign in through the login page as a person would, after clearing whoever was signed in."""
    from tests.web.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("Email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


# Every rule of these tags runs on every element; resultTypes only stops axe working out a CSS
# selector for each element that passed (axe's documented speed option): about three times
# faster on a long page, and every violation is still reported with its elements.
AXE_RUN = ("() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],"
           " resultTypes: ['violations']})")


def _axe(page, visited: list):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(AXE_RUN)
    visited.append(page.url)
    bad = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not bad, f"axe violations on {page.url}: {bad}"


def test_return_through_the_ui_to_the_public_page(live_server, browser, settings):
    from tests.web.conftest import PASSWORD, make_web

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    base = live_server.url
    pk = web.draft.pk
    visited: list[str] = []
    # bypass_csp only so the test can inject axe; the site itself runs no inline script
    ctx = browser.new_context(bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def sign_in(who: str):
        ctx.clear_cookies()
        page.goto(f"{base}/login/")
        _axe(page, visited)
        page.get_by_label("Email address").fill(web.users[who].username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    page.goto(f"{base}/")
    _axe(page, visited)
    sign_in("contributor")
    _axe(page, visited)  # the returns list
    page.goto(f"{base}/returns/{pk}/")
    _axe(page, visited)
    training = page.locator("textarea[name='sec-training-0-text']")
    training.fill("Crews completed the refreshed level 2 course in the autumn.")
    page.locator("input[name='fig|child_safeguarding_referrals|area=luton;sex=female']").fill("abc")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter a number" in page.locator(".govuk-error-summary").inner_text()
    _axe(page, visited)  # the page with errors
    page.locator("input[name='fig|child_safeguarding_referrals|area=luton;sex=female']").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "Your return was saved" in page.content()
    assert page.locator("textarea[name='sec-training-0-text']").input_value().startswith("Crews completed")
    # autosave (static/masa/autosave.js) posts the changed form and reports it in a live region
    page.locator("textarea[name='sec-training-0-text']").fill("Crews completed the refreshed level 2 course in the autumn term.")
    page.evaluate("() => window.masaAutosave()")
    page.wait_for_function("() => document.getElementById('autosave-status').textContent.includes('Draft saved')")
    page.reload()
    assert page.locator("textarea[name='sec-training-0-text']").input_value().endswith("autumn term.")
    page.get_by_role("link", name="Run the checks on this draft").click()
    page.wait_for_load_state()
    _axe(page, visited)  # with the checks' findings listed
    # The example's real error: counts of 1-5 children written out. It would block
    # approval, so the contributor rewrites the sentence, as a partner would.
    findings = page.locator(".masa-findings").inner_text()
    assert "'3 girls' states a count of 1–5 people" in findings
    page.locator("textarea[name='sec-achievements-0-text']").fill(
        "We referred 21 Luton children over the year, against 13 in 2023-24.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "Your return was saved" in page.content()
    page.get_by_role("link", name="Run the checks on this draft").click()
    page.wait_for_load_state()
    assert "count of 1–5 people" not in page.content()

    sign_in("approver")
    page.goto(f"{base}/returns/{pk}/")
    page.get_by_role("button", name="Submit return").click()
    page.wait_for_load_state()
    assert page.locator("#return-status").inner_text() == "submitted"
    _axe(page, visited)  # read-only return with comment forms

    sign_in("bu")
    _axe(page, visited)  # the dashboard
    page.goto(f"{base}/returns/{pk}/")
    page.get_by_label("Section").select_option("training")
    page.get_by_label("Query for the partner").fill("Which crews took the course?")
    page.get_by_role("button", name="Send query").click()
    page.wait_for_load_state()
    assert page.locator("#return-status").inner_text() == "queried"

    sign_in("approver")
    page.goto(f"{base}/returns/{pk}/")
    assert "Which crews took the course?" in page.content()
    page.get_by_role("button", name="Resubmit return").click()
    page.wait_for_load_state()

    sign_in("bu")
    page.goto(f"{base}/returns/{pk}/")
    page.get_by_role("button", name="Approve return").click()
    page.wait_for_load_state()
    assert page.locator("#return-status").inner_text() == "approved"
    page.get_by_role("button", name="Publish return").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Publish ")  # asks first
    _axe(page, visited)
    page.get_by_role("button", name="Yes, publish this return").click()
    page.wait_for_load_state()
    assert page.locator("#return-status").inner_text() == "published"
    page.goto(f"{base}/returns/{pk}/history/")
    _axe(page, visited)

    ctx.clear_cookies()
    page.goto(f"{base}/published/")
    _axe(page, visited)
    page.get_by_role("link", name="Yearly report 2024-25").click()
    page.wait_for_load_state()
    assert "Crews completed the refreshed level 2 course" in page.content()
    assert "Which crews took the course?" not in page.content()
    _axe(page, visited)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert len(visited) >= 10
