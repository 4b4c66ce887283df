"""The assurance pages: what a business unit, a partner and a scrutineer notice."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _as(client, web, who):
    client.force_login(web.users[who])
    return client


def test_example_loads_the_register_audit_and_scrutiny_and_every_page_shows(client, web):
    from masa.web.assurance.models import AssuranceAction, CaseAudit, LearningReview

    assert LearningReview.objects.filter(partnership="luton").count() == 3
    assert CaseAudit.objects.get(partnership="luton", code="neglect-2024").cases.count() == 6
    c = _as(client, web, "bu")
    for url in ("/assurance/", "/assurance/reviews/", "/assurance/reviews/rr-2023-harbour/",
                "/assurance/audits/", "/assurance/audits/neglect-2024/", "/assurance/scrutiny/",
                f"/assurance/actions/{AssuranceAction.objects.first().pk}/"):
        r = c.get(url)
        assert r.status_code == 200, (url, r.content[:500])
    page = c.get("/assurance/audits/neglect-2024/").content.decode()
    assert "Requires improvement" in page and "Earlier referrals were not read" in page


def test_loading_again_keeps_the_webs_changes(client, web):
    from masa.web.assurance.models import AssuranceAction
    from masa.web.store import load_folder
    from tests.web.conftest import EXAMPLE

    a = AssuranceAction.objects.get(ident="H2.1")
    AssuranceAction.objects.filter(pk=a.pk).update(status="done", completed="2025-01-05", evidence="Protocol out")
    summary = load_folder(EXAMPLE)
    assert summary.assurance == [] and "review rr-2023-harbour" in summary.assurance_kept
    assert AssuranceAction.objects.get(pk=a.pk).evidence == "Protocol out"


def _audit_setup(c, sample):
    return c.post("/assurance/audits/", {"code": "exploit-2025", "theme": "Exploitation", "held": "01/05/2025",
                                         "sample": sample})


@pytest.mark.parametrize("bad, said", [("EXP-01\nOliver Brandreth", "Oliver Brandreth"),
                                       ("EXP-01\n03/03/2014", "03/03/2014"),
                                       ("EXP-01\nJ.S. 12.03.2015", "J.S. 12.03.2015"),  # breaker 12 F2
                                       ("EXP-01\nA/1", "A/1")])  # F8: a reference no link can carry
def test_a_case_audit_refuses_a_reference_not_in_the_strict_shape(client, web, bad, said):
    from masa.web.assurance.models import CaseAudit

    r = _audit_setup(_as(client, web, "bu"), bad)
    page = r.content.decode()
    assert r.status_code == 400 and "There is a problem" in page and said in page
    assert "not in the shape PREFIX-number, such as NEG-01" in page and 'href="#id_sample"' in page
    assert not CaseAudit.objects.filter(code="exploit-2025").exists(), "the audit was half-saved"
    ok = _audit_setup(client, "EXP-01\nEXP-02")
    assert ok.status_code == 302 and CaseAudit.objects.get(code="exploit-2025").cases.count() == 2


def test_audit_findings_that_name_someone_are_refused(client, web):
    from masa.web.assurance.models import AuditForm

    c = _as(client, web, "contributor")  # BFRS
    before = AuditForm.objects.count()
    r = c.post("/assurance/audits/neglect-2024/cases/NEG-02/", {
        "grade": "good", "findings": "Crews met the mother, Jessica Hartwell, at the home."})
    assert r.status_code == 400 and "Jessica Hartwell" in r.content.decode()
    assert AuditForm.objects.count() == before


def test_an_immediate_concern_notifies_the_business_unit(client, web, monkeypatch, settings,
                                                         django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.web.worker_helpers import run_worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    c = _as(client, web, "contributor")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/assurance/audits/neglect-2024/cases/NEG-04/", {
            "grade": "inadequate", "findings": "A fire risk at the home was reported but not followed up.",
            "immediate_concern": "on", "concern": "Home fire safety visit needed this week."})
    assert r.status_code == 302
    run_worker(monkeypatch)
    to_bu = [m for m in mail.outbox if web.users["bu"].email in m.to]
    assert len(to_bu) == 1 and "immediate concern" in to_bu[0].subject
    # the email names the audit and case and links to it; the concern's words stay behind the sign-in
    assert "NEG-04" in to_bu[0].body and "/assurance/audits/neglect-2024/" in to_bu[0].body
    assert "fire safety" not in to_bu[0].body
    assert "/assurance/audits/neglect-2024/" in to_bu[0].body
    assert not [m for m in mail.outbox if web.users["other"].email in m.to]
    page = _as(client, web, "bu").get("/assurance/audits/neglect-2024/").content.decode()
    assert "Immediate concern" in page and "Home fire safety visit" in page


def test_an_overdue_action_is_flagged(client, web):
    from masa.web.assurance.models import AssuranceAction

    a = AssuranceAction.objects.get(ident="W2.1")  # due 31 January 2025, still open
    page = _as(client, web, "bu").get(f"/assurance/actions/{a.pk}/").content.decode()
    assert "Open, overdue" in page
    assert "overdue" in _as(client, web, "bu").get("/assurance/").content.decode()
    done = AssuranceAction.objects.get(ident="H1.1")
    assert "overdue" not in client.get(f"/assurance/actions/{done.pk}/").content.decode().split("action-status")[1][:200]


def test_an_action_with_no_owner_or_due_before_the_review_is_refused_on_the_form(client, web):
    from masa.web.assurance.models import AssuranceAction

    c = _as(client, web, "bu")
    before = AssuranceAction.objects.count()
    base = {"ident": "W1.3", "text": "Extend the tool to primary schools", "partner": "lbc",
            "recommendation": "W1"}
    r = c.post("/assurance/reviews/cspr-2024-willow/actions/", {**base, "owner": "  ", "due": "30/09/2025"})
    page = r.content.decode()
    assert r.status_code == 400 and "an action needs an owner" in page and 'href="#id_owner"' in page
    r = c.post("/assurance/reviews/cspr-2024-willow/actions/", {**base, "owner": "Head of schools", "due": "01/04/2024"})
    page = r.content.decode()
    assert r.status_code == 400 and "before the review started on 20 May 2024" in page and 'href="#id_due"' in page
    assert AssuranceAction.objects.count() == before, "a refused action was stored"
    r = c.post("/assurance/reviews/cspr-2024-willow/actions/", {**base, "owner": "Head of schools", "due": "30/09/2025"})
    assert r.status_code == 302 and AssuranceAction.objects.count() == before + 1


def test_a_partner_updates_only_its_own_actions(client, web):
    from masa.web.assurance.models import AssuranceAction

    police = AssuranceAction.objects.filter(partner__code="lbc").first()
    c = _as(client, web, "contributor")  # BFRS has no actions in the example
    assert c.get(f"/assurance/actions/{police.pk}/").status_code == 404
    police.partner_id = web.draft.partner_id
    police.save()
    r = c.post(f"/assurance/actions/{police.pk}/", {"status": "done", "completed": "01/03/2025",
                                                    "evidence": "Protocol published", "impact": "Quicker visits"})
    assert r.status_code == 302 and AssuranceAction.objects.get(pk=police.pk).status == "done"


def test_scrutiny_sign_off_is_recorded_in_the_audit_log(client, web):
    from masa.web.assurance.models import ScrutinyYear
    from masa.web.auditlog.models import AuditEntry

    c = _as(client, web, "scrutineer")
    r = c.post("/assurance/scrutiny/sign-off/?period=2024-25", {"on": "30/06/2025"})
    assert r.status_code == 302, r.content.decode()[-3000:]
    y = ScrutinyYear.objects.get(partnership="luton", period="2024-25")
    assert y.signed_off_on.isoformat() == "2025-06-30"
    assert AuditEntry.objects.filter(action="report.scrutineer_signed_off", target="report:luton/2024-25").exists()
    assert "signed off by" in c.get("/assurance/scrutiny/").content.decode()


def test_another_partnerships_business_unit_sees_none_of_lutons_assurance(client, web):
    from masa.web.assurance.models import AssuranceAction
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    client.force_login(add_bedford(web))
    assert client.get(f"/{BEDFORD}/assurance/reviews/").status_code == 200
    assert "Harbour" not in client.get(f"/{BEDFORD}/assurance/reviews/").content.decode()
    assert client.get(f"/{BEDFORD}/assurance/reviews/rr-2023-harbour/").status_code == 404
    assert client.get(f"/{BEDFORD}/assurance/audits/neglect-2024/").status_code == 404
    pk = AssuranceAction.objects.first().pk
    assert client.get(f"/{BEDFORD}/assurance/actions/{pk}/").status_code == 404
    assert client.get("/luton/assurance/reviews/").status_code == 404  # no role in Luton
    page = _as(client, web, "bu").get("/luton/assurance/reviews/").content.decode()
    assert "Harbour" in page and 'href="/luton/assurance/reviews/rr-2023-harbour/"' in page


def test_a_review_title_naming_a_child_is_refused_on_the_field_and_not_stored(client, web):
    from masa.web.assurance.models import LearningReview

    c = _as(client, web, "bu")
    r = c.post("/assurance/reviews/", {"code": "rr-smith", "kind": "rapid-review",
                                       "title": "Rapid review: Jane Smith, DOB 12/03/2015", "started": "05/05/2024"})
    page = r.content.decode()
    assert r.status_code == 400 and 'href="#id_title"' in page and "may identify someone" in page
    assert not LearningReview.objects.filter(code="rr-smith").exists()


def test_an_impact_naming_a_child_or_a_future_completion_is_refused(client, web):
    from masa.web.assurance.models import AssuranceAction

    a = AssuranceAction.objects.filter(recommendation__isnull=False).first()
    c = _as(client, web, "bu")
    r = c.post(f"/assurance/actions/{a.pk}/", {"status": "done", "completed": "01/03/2025", "evidence": "",
                                               "impact": "Jane Smith (born 12/03/2015) now has a plan."})
    assert r.status_code == 400 and 'href="#id_impact"' in r.content.decode()
    r = c.post(f"/assurance/actions/{a.pk}/", {"status": "done", "completed": "01/01/2099", "evidence": "",
                                               "impact": ""})
    assert r.status_code == 400 and "in the future" in r.content.decode()
    r = c.post(f"/assurance/actions/{a.pk}/", {"status": "done", "completed": "01/01/2001", "evidence": "",
                                               "impact": ""})
    assert r.status_code == 400 and "before the review started" in r.content.decode()
    assert AssuranceAction.objects.get(pk=a.pk).status == a.status


def test_an_audit_action_posted_twice_is_stored_once(client, web):
    from masa.web.assurance.models import AssuranceAction

    c = _as(client, web, "bu")
    data = {"ident": "X1", "text": "Check the chronology", "owner": "Front door manager", "due": "01/06/2025"}
    assert c.post("/assurance/audits/neglect-2024/actions/", data).status_code == 302
    assert c.post("/assurance/audits/neglect-2024/actions/", data).status_code == 302  # a double click
    assert AssuranceAction.objects.filter(audit__code="neglect-2024", ident="X1").count() == 1
    r = c.post("/assurance/audits/neglect-2024/actions/", {**data, "text": "Something else"})
    assert r.status_code == 400 and "already on this audit" in r.content.decode()


def test_a_partner_sees_no_link_to_another_agencys_audit_action(client, web):
    from masa.web.assurance.models import AssuranceAction

    c = _as(client, web, "contributor")  # BFRS, which owns none of the audit's actions
    page = c.get("/assurance/audits/neglect-2024/").content.decode()
    theirs = AssuranceAction.objects.filter(audit__code="neglect-2024").first()
    assert f"/assurance/actions/{theirs.pk}/" not in page and theirs.ident in page
    bu = _as(client, web, "bu").get("/assurance/audits/neglect-2024/").content.decode()
    assert f"/assurance/actions/{theirs.pk}/" in bu


def test_a_name_typed_straight_into_the_database_never_reaches_the_public_report(client, web, monkeypatch, settings,
                                                                                 tmp_path):
    """Defence in depth (breaker 12 F1): text stored before the rule, or past it, is left out
    of the public build and flagged in the internal one."""
    from masa.web.assurance.models import AssuranceAction, CaseAudit, LearningReview, ScrutinyYear
    from masa.web.core.models import Return
    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild

    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(dashboard, "FORMATS", ["html"])
    LearningReview.objects.filter(code="cspr-2024-willow").update(title="Review of Jane Smith, born 12/03/2015")
    CaseAudit.objects.filter(code="neglect-2024").update(theme="Jane Smith neglect case")
    AssuranceAction.objects.filter(audit__code="neglect-2024").update(text="Visit Jane Smith at 14 Park Street")
    ScrutinyYear.objects.filter(partnership="luton", period="2024-25").update(
        statement="We met Jane Smith (born 12/03/2015) and her brother.")
    Return.objects.filter(pk=web.submitted.pk).update(status="published")
    build = ReportBuild.objects.create(partnership="luton", period="2024-25", started_by=web.users["bu"])
    dashboard.run_build(build.pk)
    build.refresh_from_db()
    assert build.state == "done", build.message
    client.logout()
    html = next(f for f in build.files if f.endswith(".html"))
    r = client.get(f"/published/2024-25/files/{html}")
    page = b"".join(r.streaming_content).decode()
    assert r.status_code == 200 and "Case-audit findings" in page
    assert "Jane Smith" not in page and "12/03/2015" not in page and "Park Street" not in page
    assert "left out: it may identify someone" in page
    # every return it includes is published: the build page says it is public now (F13)
    client.force_login(web.users["bu"])
    words = client.get(f"/bu/builds/{build.pk}/").content.decode()
    assert "This build is public now" in words and "nothing here is public" not in words
    Return.objects.filter(pk=web.submitted.pk).update(status="approved")
    assert "Not public:" in client.get(f"/bu/builds/{build.pk}/").content.decode()
