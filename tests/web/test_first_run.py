"""First run in the web: the business unit creates its partnership from nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def bu(db):
    from masa.web.demo import ensure_user

    return ensure_user("first.bu@example.org", "business_unit", None, PASSWORD)


def test_home_links_to_setup_then_the_partnership_is_created_audited_and_managed(client, bu):
    from masa.spec.starter import financial_year
    from masa.web import store
    from masa.web.auditlog.models import AuditEntry

    client.force_login(bu)
    for page in ("/bu/", "/returns/", "/imports/"):  # nothing to show yet: set up first
        assert client.get(page)["Location"] == "/bu/partnerships/new/", page
    home = client.get("/").content.decode()
    assert 'href="/bu/partnerships/new/"' in home
    page = client.get("/bu/partnerships/new/").content.decode()
    assert '<option value="E06000035">Medway</option>' in page and page.count("<option") == 153
    r = client.post("/bu/partnerships/new/", {"name": "Northtown Safeguarding Children Partnership",
                                              "areas": ["E10000016", "E06000035"]})
    assert r.status_code == 302 and r["Location"] == "/bu/"
    spec = store.spec_for("northtown-safeguarding-children-partnership")
    assert [a.name for a in spec.areas] == ["Kent", "Medway"]
    from datetime import date

    assert spec.periods.current == financial_year(date.today())
    actions = {(e.actor, e.action) for e in AuditEntry.objects.all()}
    assert {("first.bu@example.org", "partnership.created"), ("first.bu@example.org", "spec.stored")} <= actions
    dashboard = client.get("/bu/")
    assert dashboard.status_code == 200 and "Police force" in dashboard.content.decode()
    assert "is set up for" in dashboard.content.decode()
    assert client.get("/").status_code == 302  # home now goes to the dashboard
    again = client.post("/bu/partnerships/new/", {"name": "Second", "areas": ["E10000016"]})
    assert again.status_code == 409 and store.stored_partnerships() == ["northtown-safeguarding-children-partnership"]


@pytest.mark.parametrize("data,message", [
    ({"name": "", "areas": ["E10000016"]}, "Partnership name: Enter the partnership&#x27;s name"),
    ({"name": "P", "areas": []}, "Local authorities: Choose at least one local authority"),
    ({"name": "P", "areas": ["E99999999"]}, "Local authorities: Choose local authorities from the list: E99999999"),
    ({"name": "P", "areas": ["E10000016", "E10000016"]}, "Local authorities: Kent is chosen twice"),
    ({"name": "P", "areas": ["E10000016"], "year": "2025"}, "Current financial year: &#x27;2025&#x27; is not a financial year"),
])
def test_bad_input_is_named_on_the_form_and_nothing_is_stored(client, bu, data, message):
    from masa.web import store
    from masa.web.auditlog.models import AuditEntry

    client.force_login(bu)
    r = client.post("/bu/partnerships/new/", data)
    assert r.status_code == 400
    body = r.content.decode()
    assert message in body and "There is a problem" in body
    assert store.stored_partnerships() == []
    assert not AuditEntry.objects.filter(action__in=["partnership.created", "spec.stored"]).exists()
