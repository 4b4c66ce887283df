"""A return shared by partnerships, read before publication: the business unit of Luton
never reads what the partner wrote for Bedford Borough only, on any surface that shows a
return's content (its page, history and comparison, the API, the figures spreadsheet, the
register of audit actions); Bedford Borough's business unit reads it there, and the
partner's own people read and keep the whole return."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from tests.web.public_fixtures import CLEAN_TEXT, IND

SECRET = "Bedford crews trained every fostering household on smoke alarms"
SECRET_AGAIN = "Bedford crews also visited every supported lodging placement"
ACTION = "Brief the Bedford duty officers on referrals"
BEDFORD_FIGURE = 4321


@pytest.fixture
def shared(web):
    return make_shared(web)


def make_shared(web):
    """bfrs's Appendix B (bfrs covers Luton, Bedford and Central Bedfordshire) with one part
    and one audit action for Bedford only and a Bedford figure (its first part, CLEAN_TEXT
    here, the example marks for Luton only), submitted (the first compared); queried
    by Bedford Borough, edited and resubmitted (the second)."""
    from masa.web.accounts.models import PartnershipRole
    from tests.web.conftest import post_for
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)
    PartnershipRole.objects.create(user=web.users["bu"], partnership="luton", role="business_unit")
    client = Client()
    row = web.draft

    def save(text: str):
        client.force_login(web.users["contributor"])
        row.refresh_from_db()
        data = post_for(row)
        data.update({"sec-achievements-0-text": CLEAN_TEXT,
                     "sec-achievements-1-text": text, "sec-achievements-1-areas-shown": "1",
                     "sec-achievements-1-areas": ["bedford"],
                     f"fig|{IND}|area=bedford;sex=female": str(BEDFORD_FIGURE),
                     "au-0-title": "Referral quality audit", "au-0-findings": "Most referrals were complete.",
                     "au-0-areas-shown": "1", "au-0-areas": ["bedford"],
                     "au-0-act-0-text": ACTION, "au-0-act-0-owner": "Station manager",
                     "au-0-act-0-status": "open"})
        r = client.post(f"/luton/returns/{row.pk}/", data)
        assert r.status_code == 302, r.content.decode()[:3000]

    save(SECRET)
    client.force_login(web.users["approver"])
    assert client.post(f"/luton/returns/{row.pk}/action/", {"action": "submit"}).status_code == 302
    first = row.versions.order_by("-number").first().number
    client.force_login(bedford_bu)
    client.post(f"/{BEDFORD}/returns/{row.pk}/action/",
                {"action": "query", "reason": "Say more about Bedford", "section": "achievements"})
    save(SECRET + ". " + SECRET_AGAIN)
    client.force_login(web.users["approver"])
    assert client.post(f"/luton/returns/{row.pk}/action/", {"action": "resubmit"}).status_code == 302
    row.compared = f"?a={first}&b={row.versions.order_by('-number').first().number}"
    return row, {"luton": web.users["bu"], BEDFORD: bedford_bu}


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _read(user, url: str) -> str:
    r = _as(user).get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


def test_the_return_page_shows_each_business_unit_its_own_scope(web, shared):
    from tests.web.multi_fixtures import BEDFORD

    row, bu = shared
    luton = _read(bu["luton"], f"/luton/returns/{row.pk}/")
    assert CLEAN_TEXT in luton  # the example marks that part for Luton only
    assert SECRET not in luton and str(BEDFORD_FIGURE) not in luton
    bedford = _read(bu[BEDFORD], f"/{BEDFORD}/returns/{row.pk}/")
    assert SECRET in bedford and str(BEDFORD_FIGURE) in bedford
    assert CLEAN_TEXT not in bedford  # and the reverse
    # the partner's own people read (and edit) the whole return
    own = _read(web.users["contributor"], f"/luton/returns/{row.pk}/")
    assert SECRET in own and str(BEDFORD_FIGURE) in own


def test_a_scrutineer_reads_its_partnership_scope_too(web, shared):
    row, _ = shared
    from masa.web.accounts.models import PartnershipRole

    PartnershipRole.objects.create(user=web.users["scrutineer"], partnership="luton", role="scrutineer")
    page = _read(web.users["scrutineer"], f"/luton/returns/{row.pk}/")
    assert CLEAN_TEXT in page and SECRET not in page


def test_history_and_comparison_show_only_the_readers_scope(web, shared):
    from tests.web.multi_fixtures import BEDFORD

    row, bu = shared
    luton = _read(bu["luton"], f"/luton/returns/{row.pk}/history/{row.compared}")
    assert "Changes from version" in luton
    assert SECRET not in luton and SECRET_AGAIN not in luton
    bedford = _read(bu[BEDFORD], f"/{BEDFORD}/returns/{row.pk}/history/{row.compared}")
    assert SECRET_AGAIN in bedford  # the change, as Bedford Borough compares it


def test_the_api_gives_a_business_units_token_its_scope_only(web, shared):
    from masa.web.accounts.models import ApiToken
    from tests.web.multi_fixtures import BEDFORD

    row, bu = shared

    def get(user, code):
        token = ApiToken.issue(user)
        r = Client().get(f"/{code}/api/returns/{row.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert r.status_code == 200, r.content
        return r.content.decode()

    luton = get(bu["luton"], "luton")
    assert CLEAN_TEXT in luton and SECRET not in luton and ACTION not in luton
    assert str(BEDFORD_FIGURE) not in luton
    bedford = get(bu[BEDFORD], BEDFORD)
    assert SECRET in bedford and ACTION in bedford and str(BEDFORD_FIGURE) in bedford
    assert CLEAN_TEXT not in bedford


def test_the_figures_spreadsheet_holds_only_the_readers_figures(web, shared):
    from tests.web.multi_fixtures import BEDFORD

    row, bu = shared

    def values(user, code) -> set[str]:
        r = _as(user).get(f"/{code}/returns/{row.pk}/figures.xlsx?format=csv")
        assert r.status_code == 200
        return {cell for line in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))) for cell in line}

    assert str(BEDFORD_FIGURE) not in values(bu["luton"], "luton")
    assert str(BEDFORD_FIGURE) in values(bu[BEDFORD], BEDFORD)


def test_the_actions_register_lists_only_actions_about_the_partnerships_areas(web, shared):
    from tests.web.multi_fixtures import BEDFORD

    _, bu = shared
    assert ACTION not in _read(bu["luton"], "/luton/bu/actions.csv")
    assert ACTION in _read(bu[BEDFORD], f"/{BEDFORD}/bu/actions.csv")


def test_a_business_unit_cannot_save_the_return_so_cannot_drop_what_it_does_not_see(web, shared):
    from masa.web import store
    from masa.web.core.models import Return
    from tests.web.conftest import post_for

    row, bu = shared
    before = store.return_from_row(Return.objects.get(pk=row.pk))
    c = _as(bu["luton"])
    data = post_for(row)
    for url in (f"/luton/returns/{row.pk}/", f"/luton/returns/{row.pk}/autosave/"):
        assert c.post(url, data).status_code in (403, 404)
    after = store.return_from_row(Return.objects.get(pk=row.pk))
    assert after == before and SECRET_AGAIN in after.sections[1].text
