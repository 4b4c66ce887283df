"""The review journey in Debian Chromium, with axe-core on every page visited: the business
unit's query sits at the top of the partner's return and is emailed to the partner by the
worker, the partner replies there, sees a confirmation and the business unit is emailed,
and the version comparison reads as marked-up text, figures old → new."""

from __future__ import annotations

import threading

import pytest

from tests.web.test_browser import _axe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_query_at_the_top_reply_confirmation_and_readable_diff(live_server, browser, settings):
    from django.core import mail

    from masa.web.queue.worker import run

    def run_worker():  # Playwright's loop owns this thread: the worker runs in its own, as it would
        t = threading.Thread(target=run, kwargs={"batch": True})
        t.start()
        t.join(60)

    from tests.web.conftest import make_web
    from tests.web.test_review_journey import _two_versions

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    row = _two_versions(web)
    older, newer = sorted(row.versions.values_list("number", flat=True))[-2:]
    base, pk = live_server.url, web.submitted.pk
    visited: list[str] = []
    ctx = browser.new_context(bypass_csp=True)  # only so the test can inject axe
    page = ctx.new_page()
    page.set_default_timeout(15000)

    def as_(who: str):
        sign_in(page, base, web.users[who].username)

    as_("bu")
    page.goto(f"{base}/returns/{pk}/")
    page.get_by_label("Section").select_option("voice")
    page.get_by_label("Query for the partner").fill("Which groups of children did you hear from?")
    page.get_by_role("button", name="Send query").click()
    page.wait_for_load_state()
    assert "Query sent" in page.locator(".govuk-notification-banner").inner_text()
    assert mail.outbox == []  # nothing is sent inside the request
    run_worker()
    to_partner = [m for m in mail.outbox if web.users["contributor"].email in m.to]
    assert to_partner and f"/returns/{pk}/" in to_partner[0].body
    _axe(page, visited)  # the business unit's view: open query, no reply box

    as_("contributor")
    page.goto(f"{base}/returns/{pk}/")
    queries = page.locator("#queries")
    assert queries.is_visible()
    # at the top: above the first section, and within the first screenful
    assert queries.bounding_box()["y"] < page.locator("#section-voice").bounding_box()["y"]
    assert queries.bounding_box()["y"] < 900
    assert "Which groups of children did you hear from?" in queries.inner_text()
    _axe(page, visited)
    page.get_by_label("Your reply about feedback and how it was used").fill("Care leavers and young carers.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_load_state()
    banner = page.locator(".govuk-notification-banner--success")
    assert "Your reply was sent to the business unit" in banner.inner_text()
    sent = len(mail.outbox)
    run_worker()
    assert [m for m in mail.outbox[sent:] if web.users["bu"].email in m.to], "the business unit was not told"
    assert page.locator("#queries").count() == 0
    assert "Care leavers and young carers." in page.locator("#section-voice").inner_text()
    _axe(page, visited)

    page.goto(f"{base}/returns/{row.pk}/history/")
    page.get_by_label("Earlier version").select_option(str(older))
    page.get_by_label("Later version").select_option(str(newer))
    page.get_by_role("button", name="Compare versions").click()
    page.wait_for_load_state()
    diff = page.locator(".masa-textdiff")
    assert diff.count() == 1  # the trailing newlines the form drops are no change
    assert "Together" in diff.locator("ins").first.inner_text()
    style = diff.locator("ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in style  # not colour alone
    assert "21 → 25" in page.locator(".masa-figdiff").inner_text()
    assert "\\n" not in page.content()
    _axe(page, visited)
    assert len(visited) == 4
