"""Two partnerships in Debian Chromium, axe-core on every page: the business unit switches
between them in the header, downloads every format of a build, publishes through the
confirmation page, and withdraws the publication with a reason the public page then shows."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORMATS = ["html", "pdf", "docx", "csv", "xlsx"]


def _approved_shared_return_and_build(web, tmp_path, settings):
    """bfrs's Appendix B entered, submitted and approved in Luton, and a build of Luton's report."""
    from django.test import Client

    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild
    from masa.web.workflow.reviews import status_in
    from tests.web.public_fixtures import CLEAN_TEXT, enter

    client = Client()
    enter(client, web, web.draft, {"area=luton;sex=female": 12}, **{"sec-achievements-0-text": CLEAN_TEXT})
    for who, action in (("approver", "submit"), ("bu", "approve")):
        client.force_login(web.users[who])
        client.post(f"/luton/returns/{web.draft.pk}/action/", {"action": action})
    assert status_in(web.draft, "luton") == "approved"  # by Luton; Bedford Borough has not reviewed it
    settings.MEDIA_ROOT = str(tmp_path)
    build = ReportBuild.objects.create(partnership="luton", period="2024-25", started_by=web.users["bu"])
    dashboard.run_build(build.pk)
    build.refresh_from_db()
    assert build.state == "done", build.message
    return build


def test_switch_download_publish_and_withdraw(live_server, browser, settings, tmp_path):
    from masa.web.accounts.models import PartnershipRole
    from tests.web.conftest import make_web
    from tests.web.multi_fixtures import BEDFORD, BEDFORD_NAME, add_bedford

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    add_bedford(web)
    bu = web.users["bu"]
    PartnershipRole.objects.create(user=bu, partnership="luton", role="business_unit")
    PartnershipRole.objects.create(user=bu, partnership=BEDFORD, role="business_unit")
    build = _approved_shared_return_and_build(web, tmp_path, settings)
    base = live_server.url
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    sign_in(page, base, bu.username)

    # the switcher: both partnerships, the current one marked
    page.goto(f"{base}/luton/bu/")
    switcher = page.get_by_role("navigation", name="Partnerships")
    assert switcher.get_by_role("link", name="(current)").count() == 1
    _axe(page, visited)
    switcher.get_by_role("link", name=BEDFORD_NAME).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{BEDFORD}/bu/")
    assert BEDFORD_NAME in page.locator("header").inner_text()
    _axe(page, visited)
    page.get_by_role("navigation", name="Partnerships").get_by_role("link", name="Luton").click()
    page.wait_for_load_state()
    assert "/luton/" in page.url

    # every format of the build, as links with names and sizes, before anything is published
    page.goto(f"{base}/luton/bu/builds/{build.pk}/")
    page.wait_for_function("() => document.querySelectorAll('#build-files a').length === 5")
    _axe(page, visited)
    for fmt in FORMATS:
        link = page.locator(f"#build-files a[href$='.{fmt}']")
        item = link.locator("xpath=..").inner_text()
        assert f"({fmt.upper()}, " in item and ("KB" in item or "bytes" in item or "MB" in item), item
        with page.expect_download() as got:
            link.click()
        assert got.value.suggested_filename.endswith(f".{fmt}")
        assert got.value.path().stat().st_size > 0

    # publishing asks first
    page.goto(f"{base}/luton/returns/{web.draft.pk}/")
    page.get_by_role("button", name="Publish return").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Publish ")
    _axe(page, visited)
    page.get_by_role("button", name="Yes, publish this return").click()
    page.wait_for_load_state()
    assert page.locator("#return-status").inner_text() == "published"

    # withdrawing needs a reason; then the public page says so
    page.goto(f"{base}/luton/bu/")
    page.get_by_role("link", name="Withdraw the 2024-25 publication").click()
    page.wait_for_load_state()
    _axe(page, visited)
    page.get_by_role("button", name="Withdraw the publication").click()
    page.wait_for_load_state()
    assert "Enter the reason" in page.locator(".govuk-error-summary").inner_text()
    _axe(page, visited)
    page.get_by_label("Reason for withdrawing").fill("A figure was counted twice; a corrected report follows.")
    page.get_by_role("button", name="Withdraw the publication").click()
    page.wait_for_load_state()
    assert "withdrawn on" in page.content() and "counted twice" in page.content()
    _axe(page, visited)
    ctx.clear_cookies()
    page.goto(f"{base}/luton/published/2024-25/")
    assert "withdrawn on" in page.content() and page.locator("table").count() == 0
    _axe(page, visited)
    assert len(visited) >= 8
