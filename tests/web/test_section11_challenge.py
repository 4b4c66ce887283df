"""Section 11 challenges: the business unit challenges a rating, the partner sees the challenge
beside the standard and answers it (revise, or keep the rating with a reason), resubmits, and
the business unit moderates again. Each partnership's challenge stays its own; the partner's
people and the business units are emailed by the worker."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.web.test_section11 import _form, _start
from tests.web.worker_helpers import run_worker

pytestmark = pytest.mark.django_db
SITE = "https://masa.example.org"
WHY = "The training figures quoted are from the year before"


@pytest.fixture
def site(settings):
    settings.MASA_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _submitted(client, web, prefix="/luton"):
    row = _start(client, web)
    assert client.post(f"{prefix}/section11/{row.pk}/", _form(row, **{"training-evidence": "Private detail 1234"})
                       ).status_code == 302
    assert client.post(f"{prefix}/section11/{row.pk}/submit/").status_code == 302
    return row


def _challenge(client, web, row, prefix="/luton"):
    client.force_login(web.users["bu"])
    r = client.post(f"{prefix}/section11/{row.pk}/moderate/", {
        "training-verdict": "challenge", "training-reason": WHY,
        "leadership-verdict": "agree", "leadership-reason": "Clear lead named"})
    assert r.status_code == 302


def _section(page: str, code: str) -> str:
    """The page's part about one standard (from its heading to the next section)."""
    start = page.index(f'id="{code}-heading"')
    return page[start:page.index("</section>", start)]


def test_challenge_revise_resubmit_and_agree(client, web):
    from masa.web.auditlog.models import AuditEntry
    from masa.web.section11.models import Answer, Moderation

    row = _submitted(client, web)
    _challenge(client, web, row)
    client.force_login(web.users["contributor"])
    page = client.get(f"/luton/section11/{row.pk}/").content.decode()
    training = _section(page, "training")
    assert WHY in training and "Luton Safeguarding Children Partnership challenged this rating" in training
    assert WHY not in _section(page, "leadership")
    assert 'name="training-response"' in training and 'name="leadership-response"' not in page
    r = client.post(f"/luton/section11/{row.pk}/respond/", {
        "training-response": "revised", "training-new-rating": "amber",
        "training-new-evidence": "Figures for this year: 80% trained",
        "training-new-action-text": "Train the rest", "training-new-action-owner": "Learning lead",
        "training-new-action-due": "31/12/2024"})
    assert r.status_code == 302
    ans = Answer.objects.get(assessment=row, standard="training")
    assert (ans.rating, ans.evidence) == ("amber", "Figures for this year: 80% trained")
    assert [x.text for x in ans.actions.all()] == ["Train the rest"]
    row.refresh_from_db()
    assert row.status == "submitted"
    assert AuditEntry.objects.filter(action="section11.responded", data__kind="revised").count() == 1
    assert AuditEntry.objects.filter(action="section11.resubmitted").count() == 1
    # the business unit sees the revised answer and the response, and moderates again
    client.force_login(web.users["bu"])
    page = client.get(f"/luton/section11/{row.pk}/").content.decode()
    assert "answer revised (to be moderated again)" in _section(page, "training")
    assert "Amber" in _section(page, "training")
    assert client.post(f"/luton/section11/{row.pk}/moderate/", {
        "training-verdict": "agree", "training-reason": "Current figures given"}).status_code == 302
    mod = Moderation.objects.get(answer=ans, partnership="luton")
    assert (mod.verdict, mod.response_kind) == ("agree", "")
    history = AuditEntry.objects.filter(action="section11.moderated", data__standard="training").order_by("pk")
    assert [e.data["verdict"] for e in history] == ["challenge", "agree"]
    assert history.last().data["before"]["response"]["response_kind"] == "revised"
    # nothing left to answer
    client.force_login(web.users["contributor"])
    assert 'name="training-response"' not in client.get(f"/luton/section11/{row.pk}/").content.decode()


def test_keep_the_rating_with_a_response(client, web):
    from masa.web.section11.models import Answer, Moderation

    row = _submitted(client, web)
    _challenge(client, web, row)
    client.force_login(web.users["contributor"])
    r = client.post(f"/luton/section11/{row.pk}/respond/", {
        "training-response": "kept", "training-response-reason": "The figures were refreshed in March"})
    assert r.status_code == 302
    ans = Answer.objects.get(assessment=row, standard="training")
    assert ans.rating == "green"
    mod = Moderation.objects.get(answer=ans, partnership="luton")
    assert (mod.verdict, mod.response_kind, mod.response) == ("challenge", "kept", "The figures were refreshed in March")
    client.force_login(web.users["bu"])
    page = client.get(f"/luton/section11/{row.pk}/").content.decode()
    assert "rating kept: The figures were refreshed in March" in _section(page, "training")


def test_keeping_without_a_reason_is_refused_and_nothing_is_stored(client, web):
    from masa.web.auditlog.models import AuditEntry
    from masa.web.section11.models import Moderation

    row = _submitted(client, web)
    _challenge(client, web, row)
    before = AuditEntry.objects.count()
    client.force_login(web.users["contributor"])
    r = client.post(f"/luton/section11/{row.pk}/respond/", {"training-response": "kept",
                                                             "training-response-reason": "  "})
    assert r.status_code == 400
    page = r.content.decode()
    assert 'id="training-response-reason-error"' in page
    assert "give your reason for keeping the rating" in _section(page, "training")
    assert 'href="#training-response-reason"' in page
    mod = Moderation.objects.get(answer__assessment=row, answer__standard="training", partnership="luton")
    assert mod.response_kind == "" and AuditEntry.objects.count() == before


def test_another_partnerships_business_unit_does_not_see_lutons_challenge(client, web):
    from tests.web.multi_fixtures import BEDFORD, add_bedford

    bedford_bu = add_bedford(web)
    row = _submitted(client, web)
    _challenge(client, web, row)
    client.force_login(bedford_bu)
    page = client.get(f"/{BEDFORD}/section11/{row.pk}/").content.decode()
    assert "Green" in _section(page, "training")
    assert WHY not in page and "Challenge: " not in page and "challenged this rating" not in page
    # the partner, from Bedford Borough, still sees Luton's challenge on its own answer
    client.force_login(web.users["contributor"])
    assert WHY in _section(client.get(f"/{BEDFORD}/section11/{row.pk}/").content.decode(), "training")


def test_challenge_and_resubmission_are_emailed(client, web, site, monkeypatch,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = _submitted(client, web)
    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [[web.users["bu"].email]]
    assert "submitted its Section 11 self-assessment for 2024-25" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _challenge(client, web, row)
    assert mail.outbox == [], "an email was sent inside the request"
    run_worker(monkeypatch)
    told = {a for m in mail.outbox for a in m.to}
    assert told == {web.users["contributor"].email, web.users["approver"].email}, told
    for m in mail.outbox:
        assert "Section 11 rating challenged" in m.subject
        assert "Training" in m.body and f"{SITE}/section11/{row.pk}/" in m.body
        assert WHY not in m.body and "Private detail" not in m.body and "Clear lead" not in m.body
    mail.outbox.clear()
    client.force_login(web.users["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/luton/section11/{row.pk}/respond/", {"training-response": "kept",
                                                            "training-response-reason": "Refreshed"})
    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [[web.users["bu"].email]]
    assert "resubmitted" in mail.outbox[0].subject
