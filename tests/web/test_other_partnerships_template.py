"""A shared partner's return on a template only another partnership's spec has: this
partnership's pages answer 404 (it is not in its workspace), never a server error (breaker br3)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_return_on_another_partnerships_template_is_not_found_here_and_opens_there(web):
    from masa.returns import Return
    from masa.spec import Spec
    from masa.web import store
    from masa.web.accounts.models import PartnershipRole
    from masa.web.core.models import Return as Row
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)
    PartnershipRole.objects.create(user=web.users["bu"], partnership="luton", role="business_unit")
    doc = store.spec_for(BEDFORD).model_dump(mode="json")
    extra = dict(next(t for t in doc["templates"] if t["code"] == "appendix-c"), code="appendix-d",
                 name="Bedford Borough's own questions", appendix="D")
    doc["templates"].append(extra)
    spec = Spec.model_validate(doc)
    store.store_spec(spec)
    store.save_returns(spec, [Return(partner="bfrs", period="2024-25", template="appendix-d",
                                     voice="We asked the young people of Bedford what helped.", voice_areas=["bedford"])])
    pk = Row.objects.get(template__code="appendix-d").pk
    luton = Client()
    luton.force_login(web.users["bu"])
    assert luton.get(f"/luton/returns/{pk}/").status_code == 404
    bedford = Client()
    bedford.force_login(bedford_bu)
    page = bedford.get(f"/{BEDFORD}/returns/{pk}/")
    assert page.status_code == 200 and "what helped" in page.content.decode()
