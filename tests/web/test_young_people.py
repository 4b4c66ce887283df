"""The young people's version on the web: generated from approved returns, edited, approved and
published like a return (audited); an edit bringing in a small figure or a name is refused at
publication, naming the sentence; each partnership sees only its own."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/bu/young-people/2024-25/"


@pytest.fixture
def approved(web):
    from masa.web.core.models import Return

    Return.objects.filter(period__code="2024-25").exclude(status="published").update(status="approved")
    return web


def _sections(client) -> dict:
    from masa.report.young_people import SECTIONS
    from masa.web.youngpeople.models import YoungPeopleVersion

    v = YoungPeopleVersion.objects.get(partnership="luton", period="2024-25")
    return {f"section-{c}": v.sections[c] for c, _ in SECTIONS}


def _generated(client, approved):
    client.force_login(approved.users["bu"])
    r = client.post(URL + "generate/")
    assert r.status_code == 302 and r["Location"].endswith(URL)
    return _sections(client)


def test_generate_edit_approve_publish_is_audited_and_public_only_once_published(client, approved):
    from masa.web.auditlog.models import AuditEntry

    form = _generated(client, approved)
    page = client.get(URL).content.decode()
    assert "Flesch–Kincaid grade" in page and "Meets the target" in page
    form["section-about"] += "\nWe met in the town hall every month."
    assert client.post(URL, form).status_code == 302
    assert "town hall" in client.get(URL).content.decode()
    assert client.get("/published/2024-25/young-people/").status_code == 404  # not yet
    client.post(URL + "action/", {"action": "approve"})
    client.post(URL + "action/", {"action": "publish"})
    client.logout()
    public = client.get("/published/2024-25/young-people/")
    assert public.status_code == 200 and "town hall" in public.content.decode()
    pdf = client.get("/published/2024-25/young-people.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    actions = list(AuditEntry.objects.filter(target="young-people:luton:2024-25").values_list("action", flat=True))
    assert actions == ["young_people.generated", "young_people.saved", "young_people.approved",
                       "young_people.published"]


@pytest.mark.parametrize("edit, named", [
    ("Police helped 4 children at the station.", "4"),
    ("Oliver Brandreth told us the bus was late.", "Oliver Brandreth"),
])
def test_publishing_refuses_an_edit_with_a_small_figure_or_a_name(client, approved, edit, named):
    from masa.web.youngpeople import service
    from masa.web.youngpeople.models import YoungPeopleVersion

    _generated(client, approved)
    client.post(URL + "action/", {"action": "approve"})
    # the text changed after approval (as if an edit reached the approved version): publishing checks again
    v = YoungPeopleVersion.objects.get(partnership="luton", period="2024-25")
    v.sections["voice"] += "\n- " + edit
    v.save()
    r = client.post(URL + "action/", {"action": "publish"}, follow=True)
    page = r.content.decode()
    assert "cannot be published" in page and edit.replace("'", "&#x27;") in page and named in page
    assert YoungPeopleVersion.objects.get(pk=v.pk).status == "approved"
    assert client.get("/published/2024-25/young-people/").status_code == 404
    assert service.version("luton", "2024-25").pdf is None


def test_approving_refuses_an_edited_small_figure_and_the_editor_names_it(client, approved):
    form = _generated(client, approved)
    form["section-figures"] += "\nThree children joined the youth council."
    client.post(URL, form)
    assert "Three children joined the youth council." in client.get(URL).content.decode()  # shown as stopping it
    r = client.post(URL + "action/", {"action": "approve"}, follow=True)
    assert "cannot be approved" in r.content.decode()


def test_generating_with_nothing_approved_says_what_to_do(client, web):
    from masa.web.core.models import Return

    Return.objects.filter(period__code="2024-25").update(status="submitted")
    client.force_login(web.users["bu"])
    r = client.post(URL + "generate/", follow=True)
    assert "No return for 2024-25 is approved yet" in r.content.decode()


def test_each_partnership_sees_only_its_own_and_other_roles_never_see_a_draft(client, approved):
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(approved)
    client.force_login(approved.users["bu"])
    r = client.post(f"/luton{URL}generate/")
    assert r.status_code == 302 and r["Location"] == f"/luton{URL}"
    page = client.get(f"/luton{URL}").content.decode()
    assert f'action="/luton{URL}action/"' in page  # links keep the partnership's prefix
    client.post(f"/luton{URL}action/", {"action": "approve"})
    client.post(f"/luton{URL}action/", {"action": "publish"})
    assert client.get("/luton/published/2024-25/young-people/").status_code == 200
    assert client.get(f"/{BEDFORD}/published/2024-25/young-people/").status_code == 404  # Luton's is not Bedford's
    client.force_login(bedford_bu)
    assert client.get(f"/{BEDFORD}{URL}").status_code == 404  # Bedford generated none
    assert client.get(f"/luton{URL}").status_code == 404  # no role in Luton
    assert "2024-25" in client.get(f"/{BEDFORD}/bu/young-people/").content.decode()
    assert "Open the 2024-25 version" not in client.get(f"/{BEDFORD}/bu/young-people/").content.decode()
    for who in ("contributor", "approver", "other", "scrutineer"):
        client.force_login(approved.users[who])
        assert client.get(f"/luton{URL}").status_code == 404
        assert client.post(f"/luton{URL}action/", {"action": "reopen"}).status_code == 404
