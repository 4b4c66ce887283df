"""Every URL and API endpoint × every role (and a partner against another partner's objects).

The URL list comes from the URLconf: a new URL without a row here fails the test. Each cell
runs in a savepoint that is rolled back, so cells do not affect each other.
"""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "contributor", "approver", "other", "bu", "scrutineer"]
OK, LOGIN, NF, FORBID, UNAUTH, CONFLICT = "ok", "login", 404, 403, 401, 409


def row(ok=(), login=(), **rest):
    """Expected outcome for every role: listed roles get their outcome, the rest 404."""
    out = {w: NF for w in WHO}
    out.update({w: OK for w in ok})
    out.update({w: LOGIN for w in login})
    for outcome, roles in rest.items():
        for w in roles:
            out[w] = {"forbid": FORBID, "unauth": UNAUTH, "conflict": CONFLICT}[outcome]
    return out


EVERYONE = row(ok=WHO)
PARTNER_OWN_READ = row(ok=["contributor", "approver", "bu", "scrutineer"], login=["anonymous"])
PARTNER_OWN_WRITE = row(ok=["contributor", "approver"], login=["anonymous"])
BU_ONLY = row(ok=["bu"])
SETUP = row(ok=["bu"], login=["anonymous"], forbid=["contributor", "approver", "other", "scrutineer"])
IMPORTERS = row(ok=["contributor", "approver", "other", "bu"], login=["anonymous"])

# (url name, method, kwargs, data, expected)
CASES = [
    ("site:home", "get", {}, None, EVERYONE),
    ("site:login", "get", {}, None, EVERYONE),
    ("site:logout", "post", {}, {}, EVERYONE),
    ("site:returns", "get", {}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("site:return_start", "post", {}, {"template": "appendix-b"},
     row(ok=["contributor", "approver", "other"], login=["anonymous"])),
    ("site:return", "get", {"pk": "draft"}, None, PARTNER_OWN_READ),
    ("site:return", "post", {"pk": "draft"}, "form", PARTNER_OWN_WRITE),
    ("site:return", "get", {"pk": "other_draft"}, None, row(ok=["other", "bu", "scrutineer"], login=["anonymous"])),
    ("site:return_autosave", "post", {"pk": "draft"}, "form",
     row(ok=["contributor", "approver"], login=["anonymous"], forbid=["bu", "scrutineer"])),
    ("site:return_action", "post", {"pk": "draft"}, {"action": "submit"},
     row(ok=["approver"], login=["anonymous"], forbid=["contributor", "bu", "scrutineer"])),
    ("site:return_action", "post", {"pk": "submitted"}, {"action": "approve"},
     row(ok=["bu"], login=["anonymous"], forbid=["contributor", "approver", "scrutineer"])),
    ("site:return_message", "post", {"pk": "draft"}, {"section": "training", "text": "hello"}, PARTNER_OWN_READ),
    ("site:return_history", "get", {"pk": "draft"}, None, PARTNER_OWN_READ),
    ("site:figures_template", "get", {"pk": "draft"}, None, PARTNER_OWN_READ),
    ("site:figures_upload", "post", {"pk": "draft"}, "upload", PARTNER_OWN_WRITE),
    ("site:import_upload", "get", {}, None, IMPORTERS),
    ("site:import_upload", "post", {}, "import", IMPORTERS),
    # a pending import belongs to its uploader alone: the same partner's approver, another
    # partner and the business unit all get 404 for the contributor's one
    ("site:import_review", "get", {"token": "bfrs_import"}, None, row(ok=["contributor"], login=["anonymous"])),
    ("site:import_review", "get", {"token": "bu_import"}, None, row(ok=["bu"], login=["anonymous"])),
    ("site:import_confirm", "post", {"token": "bfrs_import"}, {}, row(ok=["contributor"], login=["anonymous"])),
    ("site:import_confirm", "post", {"token": "bu_import"}, {}, row(ok=["bu"], login=["anonymous"])),
    ("site:import_cancel", "post", {"token": "bfrs_import"}, {}, row(ok=["contributor"], login=["anonymous"])),
    ("site:dashboard", "get", {}, None, BU_ONLY),
    ("site:set_deadline", "post", {}, {"period": "2024-25", "due": "2025-05-31"}, BU_ONLY),
    ("site:start_build", "post", {}, {"period": "2024-25"}, BU_ONLY),
    ("site:periods", "get", {}, None, BU_ONLY),
    ("site:periods_open", "post", {}, {"year": "2025-26", "due": "31/05/2026"}, BU_ONLY),
    ("site:period", "get", {"code": "2024-25"}, None, BU_ONLY),
    ("site:period", "get", {"code": "2024-25 Q2"}, None, BU_ONLY),
    ("site:period", "get", {"code": "2025-26"}, None, row()),  # listed but not yet open
    ("site:period_deadline", "post", {"code": "2024-25"}, {"deadline-due": "31 May 2025"}, BU_ONLY),
    ("site:period_extension", "post", {"code": "2024-25"},
     {"extension-partner": "nspcc", "extension-due": "30/06/2025", "extension-reason": "New system"}, BU_ONLY),
    ("site:period_state", "post", {"code": "2023-24"}, {"action": "close"}, BU_ONLY),
    ("site:actions", "get", {}, None, BU_ONLY),
    ("site:actions_csv", "get", {}, None, BU_ONLY),
    ("site:build", "get", {"pk": "build"}, None, BU_ONLY),
    ("site:build_status", "get", {"pk": "build"}, None, BU_ONLY),
    ("site:build_file", "get", {"pk": "build", "name": "report.html"}, None, BU_ONLY),
    ("site:build_file", "get", {"pk": "build", "name": "other.html"}, None, row()),  # not a file of the build
    ("site:publish_confirm", "get", {"pk": "submitted"}, None, BU_ONLY),  # not approved: sent back to the return
    ("site:publish_confirm", "get", {"pk": "published"}, None, BU_ONLY),
    ("site:withdraw", "get", {"period": "2024-25"}, None, BU_ONLY),
    ("site:withdraw", "post", {"period": "2024-25"}, {"reason": "A figure was wrong"}, BU_ONLY),
    ("site:withdraw", "get", {"period": "2023-24"}, None, row()),  # nothing published to withdraw
    # first run only: with a partnership already stored, the page says so and a POST is refused
    ("notify:preferences", "get", {}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("notify:preferences", "post", {}, {"mode": "digest"}, row(ok=WHO[1:], login=["anonymous"])),
    # Section 11: partners their own assessment (one per period); the business unit and
    # scrutineers read their partnership's; only the business unit moderates
    ("section11:index", "get", {}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("section11:start", "post", {}, {"period": "2023-24"}, row(ok=["contributor", "approver", "other"],
                                                              login=["anonymous"])),
    ("section11:assessment", "get", {"pk": "s11_draft"}, None, PARTNER_OWN_READ),
    ("section11:assessment", "post", {"pk": "s11_draft"}, {"training-rating": "amber"}, PARTNER_OWN_WRITE),
    ("section11:submit", "post", {"pk": "s11_draft"}, {}, row(ok=["contributor", "approver"], login=["anonymous"])),
    ("section11:moderate", "post", {"pk": "s11_submitted"}, {"training-verdict": "agree", "training-reason": "Fits"},
     row(ok=["bu"], login=["anonymous"])),
    # answering a challenge: the partner's own people only (this one has none open: 409)
    ("section11:respond", "post", {"pk": "s11_submitted"}, {"training-response": "kept", "training-response-reason": "x"},
     row(conflict=["contributor", "approver"], login=["anonymous"])),
    ("section11:evidence", "get", {"pk": "s11_file"}, None, PARTNER_OWN_READ),
    ("section11:heatmap", "get", {}, None, row(ok=["bu", "scrutineer"], login=["anonymous"])),
    ("section11:heatmap_export", "get", {"fmt": "csv"}, None, row(ok=["bu", "scrutineer"], login=["anonymous"])),
    ("section11:heatmap_export", "get", {"fmt": "xlsx"}, None, row(ok=["bu", "scrutineer"], login=["anonymous"])),
    ("site:first_run", "get", {}, None, BU_ONLY),
    ("site:first_run", "post", {}, {"name": "Another Partnership", "areas": ["E10000016"]}, row(conflict=["bu"])),
    ("site:published", "get", {}, None, EVERYONE),
    ("site:published_report", "get", {"period": "2024-25"}, None, EVERYONE),
    ("site:published_report", "get", {"period": "2023-24"}, None, row()),  # nothing published
    ("site:published_csv", "get", {"period": "2024-25"}, None, EVERYONE),
    ("site:published_file", "get", {"period": "2024-25", "name": "report.html"}, None, EVERYONE),
    ("site:published_file", "get", {"period": "2024-25", "name": "unpublished.html"}, None, row()),
    ("dataset:dashboard", "get", {}, None, row(ok=["bu", "scrutineer"])),
    ("dataset:commentary", "post", {}, {"indicator": "training_compliance", "period": "2024-25", "text": "Up."}, BU_ONLY),
    ("dataset:export_csv", "get", {}, None, row(ok=["bu", "scrutineer"])),
    ("dataset:export_xlsx", "get", {}, None, row(ok=["bu", "scrutineer"])),
    ("dataset:public", "get", {}, None, EVERYONE),
    ("dataset:public_csv", "get", {}, None, EVERYONE),
    ("dataset:public_xlsx", "get", {}, None, EVERYONE),
    ("api:api-root", "get", {}, None, row()),
    ("api:openapi-json", "get", {}, None, EVERYONE),
    ("api:published_periods", "get", {}, None, EVERYONE),
    ("api:published_figures", "get", {"period": "2024-25"}, None, EVERYONE),
    ("api:get_return", "get", {"return_id": "draft"}, None,
     row(ok=["contributor", "approver", "bu", "scrutineer"], unauth=["anonymous"])),
    ("api:put_figures", "put", {"return_id": "draft"}, "api",
     row(ok=["contributor", "approver"], unauth=["anonymous"], conflict=["bu", "scrutineer"])),
    ("static", "get", {"path": "masa/masa.css"}, None, EVERYONE),
    # the young people's version: the business unit's pages; public only once published
    ("youngpeople:index", "get", {}, None, BU_ONLY),
    ("youngpeople:generate", "post", {"period": "2024-25"}, {}, BU_ONLY),
    ("youngpeople:edit", "get", {"period": "2024-25"}, None, row()),  # nothing generated yet
    ("youngpeople:score", "post", {"period": "2024-25"}, {"section-about": "We met."}, BU_ONLY),
    ("youngpeople:action", "post", {"period": "2024-25"}, {"action": "approve"}, row()),  # nothing generated yet
    ("youngpeople:public", "get", {"period": "2024-25"}, None, row()),  # not published
    ("youngpeople:public_pdf", "get", {"period": "2024-25"}, None, row()),
    # the business unit's setup screens: others are refused (403), anonymous sent to sign in
    ("setup:index", "get", {}, None, SETUP),
    ("setup:areas", "get", {}, None, SETUP),
    ("setup:area_add", "get", {}, None, SETUP),
    ("setup:area_add", "post", {}, {"code": "northtown", "name": "Northtown", "applies_from": "2024-25"}, SETUP),
    ("setup:area_edit", "get", {"code": "luton"}, None, SETUP),
    ("setup:area_edit", "post", {"code": "luton"}, {"name": "Luton", "applies_from": "2024-25"}, SETUP),
    ("setup:partners", "get", {}, None, SETUP),
    ("setup:partner_add", "get", {}, None, SETUP),
    ("setup:partner_add", "post", {}, {"code": "newp", "name": "New", "short_name": "N", "type": "charity",
                                       "areas": ["luton"], "applies_from": "2024-25"}, SETUP),
    ("setup:partner_edit", "get", {"code": "bfrs"}, None, SETUP),
    ("setup:partner_edit", "post", {"code": "bfrs"}, {"name": "BFRS", "short_name": "BFRS", "type": "fire-and-rescue",
                                                         "areas": ["luton"], "applies_from": "2024-25"}, SETUP),
    ("setup:indicators", "get", {}, None, SETUP),
    ("setup:indicator_add", "get", {}, None, SETUP),
    ("setup:indicator_add", "post", {}, {"code": "new_ind", "name": "New", "unit": "count", "direction": "none",
                                         "applies_from": "2024-25"}, SETUP),
    ("setup:indicator_edit", "get", {"code": "csc_referrals"}, None, SETUP),
    ("setup:indicator_retire", "post", {"code": "csc_referrals"}, {"retired_from": "2025-26"}, SETUP),
    ("setup:indicator_remove", "post", {"code": "csc_referrals"}, {}, SETUP),  # refused: it has figures
    ("setup:priorities", "get", {}, None, SETUP),
    ("setup:priority_add", "get", {}, None, SETUP),
    ("setup:priority_add", "post", {}, {"code": "new-pri", "name": "New", "kind": "priority",
                                        "applies_from": "2024-25"}, SETUP),
    ("setup:priority_edit", "get", {"code": "neglect"}, None, SETUP),
    ("setup:priority_edit", "post", {"code": "neglect"}, {"name": "Neglect", "kind": "priority",
                                                          "applies_from": "2024-25"}, SETUP),
    ("setup:priority_retire", "post", {"code": "neglect"}, {"retired_from": "2025-26"}, SETUP),
    ("setup:templates", "get", {}, None, SETUP),
    ("setup:template_add", "get", {}, None, SETUP),
    ("setup:template_edit", "get", {"code": "appendix-b"}, None, SETUP),
    # its sections kept: one with answers cannot be removed (service.section_answers)
    ("setup:template_edit", "post", {"code": "appendix-c"}, {
        "name": "C", "frequency": "yearly", "applies_from": "2024-25", "sec-TOTAL_FORMS": "2",
        "sec-INITIAL_FORMS": "2", "sec-0-code": "voice", "sec-0-title": "Voice", "sec-0-kind": "voice",
        "sec-1-code": "case-studies", "sec-1-title": "Case studies", "sec-1-kind": "case_studies"}, SETUP),
    ("setup:users", "get", {}, None, SETUP),
    ("setup:user_invite", "get", {}, None, SETUP),
    ("setup:user_invite", "post", {}, {"email": "new@example.org", "role": "scrutineer"}, SETUP),
    ("setup:user", "get", {"pk": "contributor_user"}, None, SETUP),
    ("setup:user_action", "post", {"pk": "contributor_user"}, {"action": "disable"}, SETUP),
    ("setup:set_password", "get", {"uidb64": "MQ", "token": "not-a-token"}, None, row()),
    # assurance (masa.web.assurance): the register and audits set up by the business unit, forms
    # by each partner's people, the scrutiny workspace written by the scrutineer
    ("assurance:index", "get", {}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("assurance:reviews", "get", {}, None, row(ok=["bu", "scrutineer"], login=["anonymous"])),
    ("assurance:reviews", "post", {}, {"code": "rr-new", "kind": "rapid-review", "title": "New review",
                                       "started": "01/05/2025"}, row(ok=["bu"], login=["anonymous"])),
    ("assurance:review", "get", {"code": "rr-2023-harbour"}, None, row(ok=["bu", "scrutineer"], login=["anonymous"])),
    ("assurance:recommendation_add", "post", {"code": "rr-2023-harbour"}, {"rec-ident": "H9", "rec-text": "Do more"},
     row(ok=["bu"], login=["anonymous"])),
    ("assurance:review_action_add", "post", {"code": "rr-2023-harbour"},
     {"ident": "H1.9", "text": "Do it", "owner": "Lead nurse", "partner": "bhft", "due": "30/09/2025",
      "recommendation": "H1"}, row(ok=["bu"], login=["anonymous"])),
    ("assurance:action", "get", {"pk": "lbc_action"}, None, row(ok=["bu", "scrutineer"], login=["anonymous"])),
    ("assurance:action", "post", {"pk": "lbc_action"}, {"status": "in-progress"}, row(ok=["bu"], login=["anonymous"])),
    ("assurance:audits", "get", {}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("assurance:audits", "post", {}, {"code": "new-audit", "theme": "Exploitation", "held": "01/05/2025",
                                      "sample": "EXP-01"}, row(ok=["bu"], login=["anonymous"])),
    ("assurance:audit", "get", {"code": "neglect-2024"}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("assurance:audit_action_add", "post", {"code": "neglect-2024"},
     {"ident": "A9", "text": "Do it", "owner": "Lead", "partner": "lbc", "due": "30/09/2025"},
     row(ok=["bu"], login=["anonymous"])),
    ("assurance:audit_form", "get", {"code": "neglect-2024", "ref": "NEG-01"}, None,
     row(ok=["contributor", "approver", "other"], login=["anonymous"])),
    ("assurance:audit_form", "post", {"code": "neglect-2024", "ref": "NEG-01"}, {"grade": "good", "findings": "Fine."},
     row(ok=["contributor", "approver", "other"], login=["anonymous"])),
    ("assurance:scrutiny", "get", {}, None, row(ok=WHO[1:], login=["anonymous"])),
    ("assurance:scrutiny", "post", {}, {"plan": "Observe", "statement": "Working"},
     row(ok=["scrutineer"], login=["anonymous"])),
    ("assurance:scrutiny_recommendation_add", "post", {}, {"ident": "S9", "text": "Share data", "made": "01/02/2025",
                                                           "to": ["lbc"]}, row(ok=["scrutineer"], login=["anonymous"])),
    # addressed to the police, the "other" partner's agency, among others; not to BFRS
    ("assurance:scrutiny_respond", "post", {"pk": "scrutiny_rec"}, {"text": "Agreed", "given": "01/02/2025"},
     row(ok=["other"], login=["anonymous"])),
    ("assurance:sign_off", "post", {}, {"on": "30/06/2025"}, row(ok=["scrutineer"], login=["anonymous"])),
]


def _names(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        else:
            yield ns + (p.name or str(p.pattern))


def test_every_url_has_a_row_in_the_matrix():
    assert set(_names(get_resolver().url_patterns)) == {c[0] for c in CASES}


def _fixtures(web, tmp_path):
    from masa.web.workflow.models import ReportBuild

    out = tmp_path / "build"
    out.mkdir()
    (out / "report.html").write_text("<p>published report</p>")
    (out / "unpublished.html").write_text("<p>draft report</p>")
    good = ReportBuild.objects.create(partnership="luton", period="2024-25", state="done", files=["report.html"],
                                      out_dir=str(out), included=[web.published.pk])
    # a newer build that includes an unpublished return is never served
    ReportBuild.objects.create(partnership="luton", period="2024-25", state="done", files=["unpublished.html"],
                               out_dir=str(out), included=[web.published.pk, web.draft.pk])
    from masa.web import store
    from masa.web.core.models import Period
    from masa.web.site.models import PendingImport
    from masa.web.workflow.models import Deadline

    Deadline.objects.create(partnership="luton", period=Period.objects.get(code="2024-25"), due="2025-05-31")  # extensions move it

    drafts = [store.return_from_row(web.draft).model_dump(mode="json")]
    empty = {"sources": {}, "report": {"duplicates": [], "unassigned": [], "unknown_names": [], "unrecognised": [],
                                       "warnings": []}}
    mine = PendingImport.objects.create(owner=web.users["contributor"], partner="bfrs", filename="bfrs.txt",
                                        period="2024-25", returns=drafts, review=empty)
    bus = PendingImport.objects.create(owner=web.users["bu"], filename="all.txt", period="2024-25", returns=drafts,
                                       review=empty)
    from masa.web.section11.models import Assessment, EvidenceFile

    s11_draft = Assessment.objects.get(partner__code="bfrs", period__code="2025-26")
    Assessment.objects.filter(pk=s11_draft.pk).update(status="draft")
    s11_file = EvidenceFile.objects.create(answer=s11_draft.answers.first(), name="a.png", content_type="image/png",
                                           size=4, data=b"\x89PNG")
    s11_submitted = Assessment.objects.get(partner__code="bfrs", period__code="2024-25")
    return {"s11_draft": s11_draft.pk, "s11_submitted": s11_submitted.pk, "s11_file": s11_file.pk,
            "draft": web.draft.pk, "submitted": web.submitted.pk, "other_draft": web.other_draft.pk,
            "published": web.published.pk,
            "build": good.pk, "bfrs_import": mine.token, "bu_import": bus.token,
            "contributor_user": web.users["contributor"].pk, **_assurance_ids()}


def _assurance_ids() -> dict:
    from masa.web.assurance.models import AssuranceAction, ScrutinyRecommendation

    return {"lbc_action": AssuranceAction.objects.filter(partner__code="lbc").first().pk,
            "scrutiny_rec": ScrutinyRecommendation.objects.get(ident="S24-2").pk}


def _outcome(resp, expected):
    if expected == LOGIN:
        return LOGIN if resp.status_code == 302 and resp["Location"].startswith("/login/") else resp.status_code
    if expected == OK:
        redirect_to_login = resp.status_code == 302 and resp["Location"].startswith("/login/")
        return OK if resp.status_code < 400 and not redirect_to_login else resp.status_code
    return resp.status_code


@pytest.mark.slow
def test_authorisation_matrix(client, web, form_data, tmp_path, monkeypatch):
    from django.urls import reverse

    from masa.web.accounts.models import ApiToken
    from masa.web.core.models import Return

    ids = _fixtures(web, tmp_path)
    tokens = {w: ApiToken.issue(web.users[w]) for w in WHO if w != "anonymous"}
    failures = []
    for name, method, kwargs, data, expected in CASES:
        real = {k: ids.get(v, v) if k in ("pk", "return_id", "token") else v for k, v in kwargs.items()}
        url = reverse(name, kwargs=real) if name != "static" else "/static/" + kwargs["path"]
        for who in WHO:
            with transaction.atomic():
                client.logout()
                if who != "anonymous":
                    client.force_login(web.users[who])
                body = data
                if data == "form":
                    body = form_data(Return.objects.get(pk=real["pk"]))
                elif data == "upload":
                    f = io.BytesIO(b"indicator,breakdown,value\nchild_safeguarding_referrals,area=luton;sex=female,3\n")
                    f.name = "figures.csv"
                    body = {"file": f}
                elif data == "import":
                    f = io.BytesIO(b"Appendix B\n\nBFRS - achievements and impact\n\nCrews trained.\n\n"
                                   b"Bedfordshire Police - achievements and impact\n\nOfficers trained.\n")
                    f.name = "contribution.txt"
                    body = {"file": f, "period": "2024-25", "template": ""}
                headers = {}
                if name.startswith("api:") and who != "anonymous":
                    headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[who]}"
                if data == "api":
                    lock = Return.objects.get(pk=real["return_id"]).lock_version
                    resp = client.put(url, data={"lock_version": lock, "figures": [
                        {"indicator": "child_safeguarding_referrals", "breakdown": {"area": "luton", "sex": "female"},
                         "value": 3}]}, content_type="application/json", **headers)
                elif method == "get":
                    resp = client.get(url, **headers)
                else:
                    resp = client.post(url, body or {}, **headers)
                got = _outcome(resp, expected[who])
                if got != expected[who]:
                    failures.append(f"{method.upper()} {url} as {who}: expected {expected[who]}, got {got}")
                transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


def test_a_partner_never_sees_another_partners_unpublished_figures_through_the_api(client, web):
    from masa.web.accounts.models import ApiToken

    token = ApiToken.issue(web.users["other"])
    r = client.get(f"/api/returns/{web.draft.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 404 and "Bedfordshire" not in r.content.decode()
    figures = client.get("/api/published/2024-25/figures").json()
    assert {f["partner"] for f in figures} == {"police"}
