"""A second partnership in the test database, until the Pan-Bedfordshire example lands: the
Luton spec copied as Bedford Borough's (its own code, name and area; the partners that serve
Bedford), with a business-unit user who has a role in Bedford Borough only."""

from __future__ import annotations

BEDFORD = "bedford-borough"
BEDFORD_NAME = "Bedford Borough Safeguarding Children Partnership"


def add_bedford(web):
    from masa.spec import Spec
    from masa.web import store
    from masa.web.accounts.models import PartnershipRole
    from masa.web.demo import ensure_user
    from tests.web.conftest import PASSWORD

    doc = web.spec.model_dump(mode="json")
    doc["partnership"].update(code=BEDFORD, name=BEDFORD_NAME, short_name="BBSCP", areas=["bedford"])
    doc["partners"] = [p for p in doc["partners"] if "bedford" in p["areas"]]
    store.store_spec(Spec.model_validate(doc))
    bu = ensure_user("bu.bedford@example.org", "business_unit", None, PASSWORD)
    PartnershipRole.objects.create(user=bu, partnership=BEDFORD, role="business_unit")
    return bu
