"""A partner that joins from a later year owes nothing for the years before: not counted as
outstanding there, not offered them, and refused if it tries (so no approved return is
silently left out of that year's report, which reads that year's spec)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _add_partner_from_2025_26(web):
    from masa.web.administration import service
    from masa.web.site.opening import open_year
    from masa.web.store import spec_for

    open_year(spec_for("luton"), "2025-26", web.users["bu"])
    service.save_partner("luton", web.users["bu"], {
        "code": "newtrust", "name": "New Community Trust", "short_name": "NCT", "type": "nhs-trust",
        "areas": ["luton"]}, effective_from="2025-26")


def test_a_partner_joining_later_owes_nothing_for_earlier_years(client, web):
    from masa.web.core.models import Partner, Return
    from masa.web.demo import ensure_user
    from masa.web.site import starting
    from masa.web.store import spec_for
    from masa.web.workflow.due import tally

    from .conftest import PASSWORD

    before = tally(spec_for("luton"), "2024-25")
    _add_partner_from_2025_26(web)
    assert tally(spec_for("luton"), "2024-25") == before  # the newcomer is not outstanding for 2024-25
    assert sum(tally(spec_for("luton"), "2025-26").values()) == sum(before.values()) + 2  # two yearly templates

    user = ensure_user("nct.approver@example.org", "approver", "newtrust", PASSWORD)
    client.force_login(user)
    html = client.get("/returns/").content.decode()
    assert "2025-26" in html and "2024-25" not in html
    with pytest.raises(starting.StartRefused, match="New Community Trust was not a partner in 2024-25"):
        starting.start_return(Partner.objects.get(code="newtrust"), "2024-25", "appendix-b", user)
    assert not Return.objects.filter(partner__code="newtrust", period__code="2024-25").exists()


def test_a_published_year_keeps_its_own_partner_names_on_the_page_and_in_its_csv(client, web):
    from masa.web.administration import service
    from masa.web.site.opening import open_year
    from masa.web.store import spec_for

    old = spec_for("luton").partner("police")
    open_year(spec_for("luton"), "2025-26", web.users["bu"])
    service.save_partner("luton", web.users["bu"], {
        "code": "police", "name": "Renamed Constabulary", "short_name": old.short_name, "aliases": old.aliases,
        "type": old.type, "areas": old.areas}, original="police", effective_from="2025-26")
    page = client.get("/published/2024-25/").content.decode()
    csv = client.get("/published/2024-25/figures.csv").content.decode()
    assert old.name in page and "Renamed Constabulary" not in page
    assert old.name in csv and "Renamed Constabulary" not in csv


def test_the_dashboard_names_a_period_it_does_not_know_instead_of_silently_showing_another(client, web):
    client.force_login(web.users["bu"])
    html = client.get("/bu/", {"period": "nonsense"}).content.decode()
    assert "Period: &#x27;nonsense&#x27; is not one of this partnership&#x27;s periods" in html


def test_a_published_return_of_a_partner_not_yet_joined_that_year_never_breaks_the_page(client, web):
    from masa.returns import Return
    from masa.web import store

    _add_partner_from_2025_26(web)
    store.save_returns(store.spec_for("luton"), [Return(partner="newtrust", period="2024-25", template="appendix-c",
                                                        voice="We joined late.")], status="published")
    r = client.get("/published/2024-25/")
    assert r.status_code == 200 and "We joined late." not in r.content.decode()  # not in that year's report
