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


# --- breaker 12: F4, F16, F17 -------------------------------------------------------------------

def test_the_editor_and_approval_refuse_initials_a_phone_number_and_a_named_school(client, approved):
    form = _generated(client, approved)
    form["section-voice"] += ("\nWe met J.S. and A.B. in May. Call Amy on 07700 900123."
                              "\nA boy in Year 9 at Stopsley High School told us he was scared.")
    assert client.post(URL, form).status_code == 302
    page = client.get(URL).content.decode()
    for sentence in ("“We met J.S. and A.B. in May.”", "“Call Amy on 07700 900123.”", "Stopsley High School"):
        assert sentence in page, sentence
    r = client.post(URL + "action/", {"action": "approve", "status": "draft"}, follow=True)
    assert "cannot be approved" in r.content.decode()
    client.logout()
    assert client.get("/published/2024-25/young-people/").status_code == 404


def test_an_empty_section_cannot_be_approved_and_a_missing_field_keeps_its_text(client, approved):
    from masa.web.youngpeople.models import YoungPeopleVersion

    form = _generated(client, approved)
    before = form.pop("section-figures")
    form["section-about"] += " We listen\u202e to you."
    assert client.post(URL, form).status_code == 302
    v = YoungPeopleVersion.objects.get(partnership="luton", period="2024-25")
    assert v.sections["figures"] == before  # left out of the form: not blanked
    assert "\u202e" not in v.sections["about"]  # direction character stripped
    form["section-figures"] = ""
    client.post(URL, form)
    r = client.post(URL + "action/", {"action": "approve", "status": "draft"}, follow=True)
    assert "Some numbers from the year: is empty" in r.content.decode()
    assert YoungPeopleVersion.objects.get(pk=v.pk).status == "draft"


def test_a_stale_publish_after_send_back_is_refused_and_a_double_publish_is_logged_once(client, approved):
    from masa.web.auditlog.models import AuditEntry
    from masa.web.youngpeople.models import YoungPeopleVersion

    _generated(client, approved)
    client.post(URL + "action/", {"action": "approve", "status": "draft"})
    page = client.get(URL).content.decode()
    assert 'name="status" value="approved"' in page  # the form carries the status it showed
    # two tabs both showing "approved": one sends it back to draft, the other then publishes
    client.post(URL + "action/", {"action": "reopen", "status": "approved"})
    r = client.post(URL + "action/", {"action": "publish", "status": "approved"}, follow=True)
    assert "it is now draft" in r.content.decode()
    assert YoungPeopleVersion.objects.get(partnership="luton", period="2024-25").status == "draft"
    assert client.get("/published/2024-25/young-people/").status_code == 404
    # a double click on Publish: published once, audited once
    client.post(URL + "action/", {"action": "approve", "status": "draft"})
    client.post(URL + "action/", {"action": "publish", "status": "approved"})
    r = client.post(URL + "action/", {"action": "publish", "status": "approved"}, follow=True)
    assert "published already" in r.content.decode()
    assert AuditEntry.objects.filter(target="young-people:luton:2024-25", action="young_people.published").count() == 1
    # a send-back from a page that still showed "approved" does not silently undo the publication
    r = client.post(URL + "action/", {"action": "reopen", "status": "approved"}, follow=True)
    assert "it is now published" in r.content.decode()
    client.logout()
    assert client.get("/published/2024-25/young-people/").status_code == 200


# --- the published report's hidden cells ("c"), secondary ones included -------------------------

def _boys_hidden_beside_the_girls(web):
    """BFRS's Luton referrals made 21 = girls 3 + boys 18 + not known 0 (invented): the report
    prints the total and the 0, so it hides the boys' 18 too (secondary suppression)."""
    from masa.web.core.models import DataValue

    for v in DataValue.objects.filter(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                                      period__code="2024-25"):
        new = {"male": 18.0, "not-known": 0.0}.get(v.by.get("sex"))
        if new is not None:
            v.value = new
            v.save(update_fields=["value"])


def _state():
    from masa.web.auditlog.models import AuditEntry
    from masa.web.youngpeople.models import YoungPeopleVersion

    v = YoungPeopleVersion.objects.get(partnership="luton", period="2024-25")
    return v.status, dict(v.sections), v.pdf, AuditEntry.objects.count()


def test_the_report_hides_the_boys_18_that_these_tests_write(approved):
    from masa.web.youngpeople import service

    _boys_hidden_beside_the_girls(approved)
    cells = service.published_cells("luton", "2024-25")[("appendix-b", "bfrs")]
    shown = {dict(c.by).get("sex"): (c.value.value, c.published) for c in cells
             if c.value.indicator == "child_safeguarding_referrals" and c.period == "2024-25"}
    assert shown == {None: (21.0, 21), "female": (3.0, "c"), "male": (18.0, "c"), "not-known": (0.0, 0)}


@pytest.mark.parametrize("edit, figure", [
    ("The fire service made 18 referrals about boys.", "gives 18 for Child safeguarding referrals made (Male)"),
    ("86% of the fire service's referrals were about boys.", "states 86%, a percentage of the published total"),
    ("The fire service made 15 more referrals about boys than girls.", "states 15, the difference"),
])
def test_approving_refuses_a_figure_the_published_report_hides_and_nothing_changes(client, approved, edit, figure):
    """Not a small count: 18 is hidden only so that the 3 girls cannot be worked out. Written in
    the young people's version (or given back by a percentage or a difference), it would undo
    that. The service and the business unit's page both refuse it, naming the figure."""
    from masa.web import store
    from masa.web.youngpeople import service

    _boys_hidden_beside_the_girls(approved)
    form = _generated(client, approved)
    v = service.version("luton", "2024-25")
    spec = store.spec_for("luton", "2024-25")
    assert service.problems(v, spec) == []  # the generated draft states no hidden figure
    form["section-figures"] += "\n" + edit
    assert client.post(URL, form).status_code == 302
    before = _state()
    # through the service
    with pytest.raises(service.Refused) as refused:
        service.approve(service.version("luton", "2024-25"), spec, approved.users["bu"])
    assert "cannot be approved" in str(refused.value) and figure in str(refused.value) and edit in str(refused.value)
    assert str(refused.value).count(edit) == 1  # quoted once, not again inside the message
    assert "hide" in str(refused.value) or "show as 'c'" in str(refused.value)
    assert _state() == before
    # through the page: the editor lists it as stopping publication, and Approve is refused
    assert edit in client.get(URL).content.decode().replace("&#x27;", "'")
    r = client.post(URL + "action/", {"action": "approve", "status": "draft"}, follow=True)
    page = r.content.decode().replace("&#x27;", "'")
    assert "cannot be approved" in page and figure in page
    assert _state() == before
    client.logout()
    assert client.get("/published/2024-25/young-people/").status_code == 404


def test_publishing_refuses_arithmetic_that_gives_a_hidden_figure_back(client, approved):
    """Approved clean; the text then changed (as if an edit reached the approved version):
    publishing reads it again against the report's hidden cells."""
    from masa.web.youngpeople.models import YoungPeopleVersion

    _boys_hidden_beside_the_girls(approved)
    _generated(client, approved)
    r = client.post(URL + "action/", {"action": "approve", "status": "draft"}, follow=True)
    assert "was approved" in r.content.decode()
    v = YoungPeopleVersion.objects.get(partnership="luton", period="2024-25")
    v.sections["figures"] += "\nAll but three of the fire service's referrals were about boys."
    v.save()
    before = _state()
    r = client.post(URL + "action/", {"action": "publish", "status": "approved"}, follow=True)
    page = r.content.decode().replace("&#x27;", "'")
    assert "cannot be published" in page and "All but three of the fire service's referrals were about boys." in page
    assert "18 (Safeguarding referrals made, Child (0-17), Luton, Male, 2024-25)" in page
    assert _state() == before and before[0] == "approved" and before[2] is None
    client.logout()
    assert client.get("/published/2024-25/young-people/").status_code == 404


def test_a_figure_the_report_prints_is_not_refused(client, approved):
    """21 referrals and the change on last year are printed: saying them gives nothing away."""
    from masa.web import store
    from masa.web.youngpeople import service

    _boys_hidden_beside_the_girls(approved)
    form = _generated(client, approved)
    form["section-figures"] += "\nThe fire service made 21 referrals about boys and girls in Luton, 8 more than last year."
    assert client.post(URL, form).status_code == 302
    assert service.problems(service.version("luton", "2024-25"), store.spec_for("luton", "2024-25")) == []
    r = client.post(URL + "action/", {"action": "approve", "status": "draft"}, follow=True)
    assert "was approved" in r.content.decode()


def test_approving_is_refused_when_the_reports_figures_cannot_be_protected(client, approved):
    """With a count that is no whole number the boundary builds no table, so nothing could be
    compared with what the report hides: approving fails closed, saying why."""
    from masa.web.core.models import DataValue

    _generated(client, approved)
    before = _state()
    v = DataValue.objects.get(partner__code="bfrs", indicator__code="child_safeguarding_referrals",
                              period__code="2024-25", by={"area": "luton", "sex": "male"})
    v.value = 7.5
    v.save(update_fields=["value"])
    r = client.post(URL + "action/", {"action": "approve", "status": "draft"}, follow=True)
    page = r.content.decode().replace("&#x27;", "'")
    assert "cannot be approved" in page and "cannot be published as they stand" in page and "whole number" in page
    assert _state() == before


def test_a_table_cannot_be_approved_beside_a_published_version_that_states_its_hidden_figure(client, web):
    """Breaker br4 (P3): the version was approved and published while bfrs's table was not yet
    approved, so no hidden cell of it was compared; the table's own approval must then read the
    version, or the public would see its 'c' beside the version's "18 boys"."""
    from masa.web import store
    from masa.web.core.models import Return
    from masa.web.workflow.transitions import TransitionError, move
    from masa.web.youngpeople import service

    _boys_hidden_beside_the_girls(web)
    Return.objects.filter(period__code="2024-25").exclude(partner__code="bfrs").exclude(
        status="published").update(status="approved")
    form = _generated(client, web)
    form["section-figures"] += "\nThe fire service made 18 referrals about boys."
    assert client.post(URL, form).status_code == 302
    spec = store.spec_for("luton", "2024-25")
    assert service.approve(service.version("luton", "2024-25"), spec, web.users["bu"])  # nothing of bfrs's compared yet
    table = Return.objects.get(partner__code="bfrs", template__code="appendix-b", period__code="2024-25")
    body = store.return_from_row(table)  # its own text states no count
    store.save_returns(spec, [body.model_copy(update={"sections": [
        x.model_copy(update={"text": "Crews made referrals for children in Luton this year."}) for x in body.sections]})])
    table.refresh_from_db()
    table.status = "submitted"
    table.save(update_fields=["status"])
    with pytest.raises(TransitionError) as refused:
        move(table, "approve", web.users["bu"], partnership="luton")
    assert "young people's version of 2024-25 is approved" in str(refused.value), refused.value
    assert "18" in str(refused.value)
    assert Return.objects.get(pk=table.pk).status == "submitted"


def test_a_version_cannot_state_another_partnerships_hidden_figure_of_a_shared_partner(client, web):
    """Breaker br4 (P4): bfrs serves Luton and Bedford Borough; Bedford's published table hides
    its 7 boys. Luton's version saying how many boys the fire service referred in Bedford
    would give that 'c' away, so it cannot be approved."""
    from masa.web import store
    from masa.web.core.models import Return
    from masa.web.youngpeople import service
    from tests.web.multi_fixtures import add_bedford

    add_bedford(web)
    row = Return.objects.get(partner__code="bfrs", template__code="appendix-b", period__code="2024-25")
    table = store.return_from_row(row)
    values = []
    for v in table.values:  # Luton prints 8 girls, 7 boys, 6 not known of 21
        if v.indicator == "child_safeguarding_referrals" and v.period in (None, "2024-25"):
            values.append(v.model_copy(update={"value": {"female": 8.0, "male": 7.0, "not-known": 6.0}.get(
                v.by.get("sex"), 21.0)}))
        else:
            values.append(v)
    for v in table.values:
        if v.indicator == "child_safeguarding_referrals" and v.period in (None, "2024-25"):
            values.append(v.model_copy(update={"by": {**v.by, "area": "bedford"},
                                               "value": {"female": 3.0, "male": 7.0, "not-known": 11.0}.get(v.by.get("sex"), 21.0)}))
    store.save_returns(web.spec, [table.model_copy(update={"values": values})])
    Return.objects.filter(period__code="2024-25").exclude(status="published").update(status="approved")
    form = _generated(client, web)
    spec = store.spec_for("luton", "2024-25")
    form["section-figures"] += "\nIn Bedford, the fire service made 7 referrals about boys this year."
    assert client.post(URL, form).status_code == 302
    with pytest.raises(service.Refused) as refused:
        service.approve(service.version("luton", "2024-25"), spec, web.users["bu"])
    assert "gives 7" in str(refused.value), refused.value
    # a sum across both areas gives Bedford's 7 away beside Luton's printed figure: refused,
    # and the message never states the counts Bedford Borough's tables hide
    form["section-figures"] = form["section-figures"].replace(
        "In Bedford, the fire service made 7 referrals about boys this year.",
        "Across Luton and Bedford, the fire service made 14 referrals about boys this year.")
    assert client.post(URL, form).status_code == 302
    with pytest.raises(service.Refused) as refused:
        service.approve(service.version("luton", "2024-25"), spec, web.users["bu"])
    assert "another partnership's tables hide" in str(refused.value), refused.value
    assert "Bedford Borough, Female" not in str(refused.value) and "Bedford Borough, Male" not in str(refused.value)
