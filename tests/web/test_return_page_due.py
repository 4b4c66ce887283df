"""A partner sees its due date and days left on the return itself, not only on the list,
and a contributor is told who submits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db


def test_the_return_page_shows_the_due_date_its_extension_and_days_left(client, web):
    from masa.web.core.models import Partner, Period
    from masa.web.workflow.models import Deadline, Extension

    period = Period.objects.get(code="2024-25")
    Deadline.objects.update_or_create(partnership="luton", period=period, defaults={"due": date.today() + timedelta(days=5)})
    client.force_login(web.users["contributor"])
    html = client.get(f"/returns/{web.draft.pk}/").content.decode()
    assert "5 days left" in html and "(extended)" not in html
    Extension.objects.create(partnership="luton", period=period, partner=Partner.objects.get(code="bfrs"),
                             due=date.today() + timedelta(days=12), reason="New records system")
    html = client.get(f"/returns/{web.draft.pk}/").content.decode()
    assert "(extended)" in html and "12 days left" in html
    assert "approver submits this return" in html


def test_an_audit_actions_due_date_is_typed_the_uk_way(client, web, form_data):
    from masa.web import store

    client.force_login(web.users["contributor"])
    data = form_data(web.draft, **{"au-0-title": "Records audit", "au-0-act-0-text": "Re-audit in spring",
                                   "au-0-act-0-due": "01/06/2027"})
    assert client.post(f"/returns/{web.draft.pk}/", data).status_code == 302
    row = web.draft.__class__.objects.get(pk=web.draft.pk)
    [action] = [a for au in store.return_from_row(row).audits for a in au.actions if a.text == "Re-audit in spring"]
    assert action.due.isoformat() == "2027-06-01"  # day first, as typed in England
