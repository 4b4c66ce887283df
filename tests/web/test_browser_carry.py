"""Rollover through the real UI in Debian Chromium, axe-core on every page: a partner starts
its 2025-26 return, cannot submit until each carried item is answered, answers and submits;
the business unit opens the actions register, filters overdue ones and downloads the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from .test_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLLOW_UP = "A follow-up audit with a larger sample"


def test_partner_answers_carried_items_and_bu_reads_the_register(live_server, browser, settings):
    from masa.web.core.models import AuditAction
    from tests.web.conftest import PASSWORD, make_web
    from tests.web.test_carry_forward import ELFT, open_2025_26

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    web = make_web()
    open_2025_26(web)
    AuditAction.objects.filter(text__startswith=FOLLOW_UP).update(due=date(2020, 1, 1))
    base, visited = live_server.url, []
    ctx = browser.new_context(bypass_csp=True, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)

    def sign_in(username: str):
        ctx.clear_cookies()
        page.goto(f"{base}/login/")
        page.get_by_label("Email address").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    sign_in(ELFT)
    page.locator("input[name='template'][value='appendix-b']").check()
    page.get_by_role("button", name="Start return").click()
    page.wait_for_load_state()
    assert "Carried from last year" in page.content()
    _axe(page, visited)  # the new return with its carried items
    page.locator("textarea[name='sec-achievements-0-text']").fill("We trained staff across the trust.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Submit return").click()
    page.wait_for_load_state()
    assert "carried from last year still to answer" in page.content()
    assert page.locator("#return-status").inner_text() == "draft"

    actions = page.locator("#section-carried h4").all_inner_texts()[:page.locator("input[value=done]").count()]
    reviews = page.locator("input[value=partly]").count()
    assert len(actions) == 6 and reviews >= 1
    for i, text in enumerate(actions):
        if text.startswith(FOLLOW_UP):
            page.locator(f"#f-ca-{i}-status").check()  # in progress: still open, and overdue
        else:
            page.locator(f"#f-ca-{i}-status-done").check()
            page.locator(f"#f-ca-{i}-note").fill("Completed and reported to the safeguarding committee.")
    for i in range(reviews):
        page.locator(f"#f-pr-{i}-answer-partly").check()
        page.locator(f"#f-pr-{i}-explanation").fill("Begun in two of the four localities.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "Your return was saved" in page.content()
    page.get_by_role("button", name="Submit return").click()
    page.wait_for_load_state()
    assert page.locator("#return-status").inner_text() == "submitted"
    _axe(page, visited)  # the submitted return shows the answers read-only
    assert "Begun in two of the four localities." in page.content()

    sign_in(web.users["bu"].username)
    page.get_by_role("link", name="Actions", exact=True).click()
    page.wait_for_load_state()
    _axe(page, visited)  # the register
    page.get_by_label("Overdue only", exact=False).check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    _axe(page, visited)  # filtered
    table = page.locator("table").inner_text()
    assert FOLLOW_UP in table and "in progress, overdue" in table
    with page.expect_download() as got:
        page.get_by_role("link", name="Download these actions as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["overdue"] for r in rows] == ["overdue"] and rows[0]["action"].startswith(FOLLOW_UP)
    assert rows[0]["history"].startswith("2024-25: open; 2025-26: in progress")
    assert len(visited) == 4
