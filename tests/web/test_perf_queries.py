"""Query-count ceilings on the pages people open most (issue 15, P3): the business unit's
dashboard and the return page. Each reads a fixed handful of queries however many returns
the period holds; a query per row (an N+1) would make the dashboard of a 40-partner
partnership hundreds of queries, and every one of them is time under load."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Measured on the Luton example (19 returns) when the ceilings were set (27 and 32), plus a little room.
DASHBOARD_CEILING = 30
RETURN_PAGE_CEILING = 36


def _as(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _queries(client, url: str) -> list[str]:
    assert client.get(url).status_code == 200  # warm: the findings are checked once and cached
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return [x["sql"] for x in q.captured_queries]


def _ceiling(found: list[str], ceiling: int, what: str) -> None:
    assert len(found) <= ceiling, f"{what}: {len(found)} queries, ceiling {ceiling}:\n" + "\n".join(
        s[:160] for s in found)


def test_the_dashboard_reads_a_fixed_number_of_queries_however_many_returns(web):
    from masa.web.core.models import Return

    bu = _as(web.users["bu"])
    Return.objects.update(status="draft")
    few = _queries(bu, "/bu/")
    # every return submitted: each is now checked and counted on the dashboard, from the cache
    Return.objects.update(status="submitted")
    many = _queries(bu, "/bu/")
    _ceiling(many, DASHBOARD_CEILING, "dashboard")
    assert len(many) == len(few), (
        f"the dashboard read {len(many) - len(few)} more queries with {Return.objects.count()} returns "
        "submitted than with none: a query per row")


@pytest.mark.parametrize("who", ["bu", "contributor"])
def test_the_return_page_reads_a_fixed_number_of_queries(web, who):
    from masa.web.core.models import Return

    Return.objects.filter(pk=web.draft.pk).update(status="submitted")  # checked on every view
    page = _queries(_as(web.users[who]), f"/returns/{web.draft.pk}/")
    _ceiling(page, RETURN_PAGE_CEILING, f"return page as {who}")
