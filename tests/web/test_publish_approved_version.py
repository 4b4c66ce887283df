"""Publishing makes public what the partnership approved. A shared return approved by Luton,
then queried by Bedford Borough and edited by the partner in answer, is published by Luton:
Luton's public page, and the version its publication froze, hold the approved text, not
the edit (which Luton has not reviewed)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.public_fixtures import IND

APPROVED = "Crews fitted smoke alarms in homes where children were at risk across all our areas"
EDITED = "An edit in answer to Bedford Borough that Luton has not reviewed"


@pytest.fixture
def approved_then_edited(web):
    from masa.web.accounts.models import PartnershipRole
    from masa.web.workflow.reviews import status_in
    from tests.web.conftest import post_for
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)
    PartnershipRole.objects.create(user=web.users["bu"], partnership="luton", role="business_unit")
    row, client = web.draft, Client()

    def save(text: str):
        client.force_login(web.users["contributor"])
        row.refresh_from_db()
        data = {k: ("" if k.startswith("fig|") else v) for k, v in post_for(row).items()}
        data.update({f"fig|{IND}|area=luton;sex=female": "12", f"fig|{IND}|area=bedford;sex=female": "14",
                     "sec-achievements-0-text": text})
        r = client.post(f"/luton/returns/{row.pk}/", data)
        assert r.status_code == 302, r.content.decode()[:2000]

    save(APPROVED)
    for user, code, action, extra in ((web.users["approver"], "luton", "submit", {}),
                                      (web.users["bu"], "luton", "approve", {}),
                                      (bedford_bu, BEDFORD, "query",
                                       {"reason": "Say what changed in Bedford", "section": "achievements"})):
        client.force_login(user)
        assert client.post(f"/{code}/returns/{row.pk}/action/", {"action": action, **extra}).status_code == 302
    assert status_in(row, "luton") == "approved" and status_in(row, BEDFORD) == "queried"
    save(EDITED)  # the return is open again, for Bedford Borough's query
    return row


def test_luton_publishes_the_version_it_approved_not_the_later_edit(web, approved_then_edited):
    from masa.returns import Return
    from masa.web.workflow.models import Review
    from masa.web.workflow.reviews import status_in

    row = approved_then_edited
    bu = Client()
    bu.force_login(web.users["bu"])
    r = bu.post(f"/luton/returns/{row.pk}/action/", {"action": "publish", "confirm": "yes"}, follow=True)
    assert "Return published" in r.content.decode()
    assert status_in(row, "luton") == "published"

    public = Client().get("/luton/published/2024-25/").content.decode()
    assert APPROVED in public and EDITED not in public

    frozen = row.versions.order_by("-number").first()  # what the publication froze, as history lists it
    assert frozen.status == "published"
    assert APPROVED in Return.model_validate(frozen.content).sections[0].text
    review = Review.objects.get(ret=row, partnership="luton")
    assert APPROVED in review.published.content["sections"][0]["text"]
    # the partner's draft keeps the edit, for Bedford Borough
    from masa.web import store
    from masa.web.core.models import Return as Row

    assert EDITED in store.return_from_row(Row.objects.get(pk=row.pk)).sections[0].text

