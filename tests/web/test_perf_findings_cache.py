"""The findings cache (issue 15, P3) keeps one entry per reader's scope: a business unit reads
only its partnership's scope of a shared return (masa.web.site.scoped), and the findings it is
shown quote only that scope, however many others read the return before it and whatever the
cache holds for them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.public_fixtures import CLEAN_TEXT
from tests.web.test_scoped_reading import SECRET, make_shared


@pytest.fixture
def quoting_checks(monkeypatch):
    """Checks that quote every part of the return they are given, so a page's findings show
    exactly which parts were checked; and a count of how often they ran."""
    from masa.web.workflow import checks_seam

    runs = []

    def findings(spec, ret, quarters=(), siblings=()):
        runs.append(ret.partner)
        return [checks_seam.Finding("query", "Part quoted for the test", f"sections[{i}]", s.text, "test.quote")
                for i, s in enumerate(ret.sections)]

    monkeypatch.setattr(checks_seam, "_findings", findings)
    monkeypatch.setattr(checks_seam, "_CACHE", type(checks_seam._CACHE)())
    return runs


def _page(user, url: str) -> str:
    c = Client()
    c.force_login(user)
    r = c.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


def test_a_business_unit_never_gets_the_findings_cached_for_the_whole_return(web, quoting_checks):
    from tests.web.multi_fixtures import BEDFORD

    row, bu = make_shared(web)
    url = f"/luton/returns/{row.pk}/"
    own = _page(web.users["contributor"], url)  # the partner's people: the whole return checked, cached
    assert SECRET in own
    runs = len(quoting_checks)
    luton = _page(bu["luton"], url)
    assert CLEAN_TEXT in luton  # its own scope's part, quoted
    assert SECRET not in luton, "Luton's business unit was shown findings quoting a part for Bedford Borough only"
    assert len(quoting_checks) == runs + 1  # its scope checked on its own
    # the second partnership gets its own scope, not Luton's entry (nor the whole return's)
    bedford = _page(bu[BEDFORD], f"/{BEDFORD}/returns/{row.pk}/")
    assert SECRET in bedford and CLEAN_TEXT not in bedford
    # and each reads its own entry from the cache from then on: no more checking
    runs = len(quoting_checks)
    assert SECRET not in _page(bu["luton"], url)
    assert SECRET in _page(bu[BEDFORD], f"/{BEDFORD}/returns/{row.pk}/")
    assert len(quoting_checks) == runs


def test_a_save_changes_the_key_so_the_next_view_is_checked_again(web, quoting_checks):
    from tests.web.conftest import post_for

    row = web.draft
    url = f"/returns/{row.pk}/?check=1"
    c = Client()
    c.force_login(web.users["contributor"])
    assert c.get(url).status_code == 200
    runs = len(quoting_checks)
    assert c.get(url).status_code == 200
    assert len(quoting_checks) == runs  # the same content: from the cache
    row.refresh_from_db()
    data = post_for(row)
    data["sec-achievements-0-text"] = "Crews visited every school in Luton this year"
    assert c.post(f"/returns/{row.pk}/", data).status_code == 302
    assert c.get(url).status_code == 200
    assert len(quoting_checks) == runs + 1  # the saved content is checked, not the cached entry served
