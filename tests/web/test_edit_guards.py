"""A return that has left the partner's hands (submitted, resubmitted, approved, published)
cannot be changed by the partner through any web route: the form's save, autosave, the
figures upload and the API's PUT figures. A draft, through the same requests, can: so each
refusal is for the return's status, not for a malformed request."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db

FIELD = "fig|child_safeguarding_referrals|area=bedford"
NEW_TEXT = "A partner's late edit to a return that has left their hands."


def _state(row) -> dict:
    from masa.web.core.models import DataValue, Return, SectionAnswer

    r = Return.objects.get(pk=row.pk)
    return {"status": r.status, "lock": r.lock_version, "sha": r.content_sha256,
            "figures": sorted(DataValue.objects.filter(partner_id=r.partner_id).values_list("pk", "by_key", "value")),
            "text": sorted(SectionAnswer.objects.filter(ret_id=r.pk).values_list("section", "text"))}


def _attempts(client, web, row, who):
    """Each route a partner could use to change the return, with its response."""
    from masa.web.accounts.models import ApiToken
    from tests.web.conftest import post_for

    client.force_login(web.users[who])
    form = post_for(row, **{FIELD: "98", "sec-training-0-text": NEW_TEXT})
    yield "form save", client.post(f"/returns/{row.pk}/", form)
    row.refresh_from_db()
    yield "autosave", client.post(f"/returns/{row.pk}/autosave/", post_for(row, **{FIELD: "97"}))
    row.refresh_from_db()
    f = io.BytesIO(b"indicator,breakdown,value\nchild_safeguarding_referrals,area=bedford,96\n")
    f.name = "figures.csv"
    yield "upload", client.post(f"/returns/{row.pk}/upload/", {"file": f})
    token = ApiToken.issue(web.users[who])
    row.refresh_from_db()
    body = {"lock_version": row.lock_version,
            "figures": [{"indicator": "child_safeguarding_referrals", "breakdown": {"area": "bedford"}, "value": 95}]}
    yield "API PUT figures", client.put(f"/api/returns/{row.pk}/figures", data=body, content_type="application/json",
                                        HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_draft_can_be_changed_by_every_route(client, web):
    """The control: the very requests refused below do change a draft."""
    from masa.web.core.models import DataValue

    for route, r in _attempts(client, web, web.draft, "contributor"):
        assert r.status_code in (200, 302), f"{route} of a draft failed ({r.status_code})"
        got = DataValue.objects.get(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                                    by_key="area=bedford", period__code="2024-25").value
        expected = {"form save": 98, "autosave": 97, "upload": 96, "API PUT figures": 95}[route]
        assert got == expected, f"{route} of a draft did not save the figure"


@pytest.mark.parametrize("status", ["submitted", "resubmitted", "approved", "published"])
def test_a_partner_cannot_change_a_return_that_has_left_their_hands(client, web, status):
    from masa.web.core.models import Return

    Return.objects.filter(pk=web.draft.pk).update(status=status)
    web.draft.refresh_from_db()
    before = _state(web.draft)
    for who in ("contributor", "approver"):
        for route, r in _attempts(client, web, web.draft, who):
            body = r.content.decode(errors="replace")
            assert 400 <= r.status_code < 500, f"{who}'s {route} of the {status} return answered {r.status_code}"
            assert _state(web.draft) == before, f"{who}'s {route} changed the {status} return"
            # the refusal is about the status, not a pretended clash with someone else's save
            said = body.lower().find("someone else")
            assert said < 0, f"{who}'s {route} of the {status} return: …{body[max(0, said - 80):said + 120]}…"
            if route == "API PUT figures":
                assert status in r.json()["detail"], f"the API does not say the return is {status}: {r.json()}"
