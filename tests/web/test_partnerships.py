"""Several partnerships in one instance: URLs that name the partnership, roles per partnership,
each partnership reviewing and publishing a shared return on its own, withdrawal, and the
business unit's downloads of a build. Two partnerships share bfrs (Luton's example and a
synthetic Bedford Borough copy, tests/web/multi_fixtures.py)."""

from __future__ import annotations

import pytest

from tests.web.multi_fixtures import BEDFORD, BEDFORD_NAME, add_bedford
from tests.web.public_fixtures import CLEAN_TEXT, enter

pytestmark = pytest.mark.django_db

LUTON = "luton"


@pytest.fixture
def two(web):
    return add_bedford(web)


def _act(client, user, prefix: str, row, action: str, **extra):
    client.force_login(user)
    data = {"action": action, **({"confirm": "yes"} if action == "publish" else {}), **extra}
    return client.post(f"/{prefix}/returns/{row.pk}/action/", data, follow=True)


def _review_status(row, code):
    from masa.web.workflow.reviews import status_in

    row.refresh_from_db()
    return status_in(row, code)


def _submitted_shared(client, web):
    """bfrs's Appendix B, entered with clean text and submitted once by its approver."""
    enter(client, web, web.draft, {"area=luton;sex=female": 12}, **{"sec-achievements-0-text": CLEAN_TEXT})
    r = _act(client, web.users["approver"], LUTON, web.draft, "submit")
    assert r.status_code == 200
    web.draft.refresh_from_db()
    assert web.draft.status == "submitted"
    return web.draft


# --- URLs and roles -----------------------------------------------------------------------------

def test_links_under_a_partnership_keep_its_code_and_the_page_names_it(client, web, two):
    client.force_login(two)
    html = client.get(f"/{BEDFORD}/bu/").content.decode()
    assert BEDFORD_NAME in html
    assert f'href="/{BEDFORD}/bu/periods/"' in html and f'href="/{BEDFORD}/returns/"' in html
    client.force_login(web.users["bu"])
    html = client.get(f"/{LUTON}/bu/").content.decode()
    assert "Luton" in html and f'href="/{LUTON}/returns/"' in html and BEDFORD_NAME not in html


def test_a_business_unit_user_gets_404_in_a_partnership_where_they_have_no_role(client, web, two):
    row = _submitted_shared(client, web)
    lbc = web.draft.__class__.objects.filter(partner__code="lbc").first()  # Luton's own children's services
    client.force_login(two)  # Bedford Borough's business unit
    for url in ("/luton/bu/", "/luton/bu/periods/", f"/luton/returns/{row.pk}/", "/luton/returns/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/{BEDFORD}/returns/{lbc.pk}/").status_code == 404  # lbc does not serve Bedford
    assert client.get(f"/{BEDFORD}/returns/{row.pk}/").status_code == 200  # bfrs does
    client.force_login(web.users["bu"])  # Luton's business unit, in Bedford
    assert client.get(f"/{BEDFORD}/bu/").status_code == 404
    r = client.post(f"/{BEDFORD}/returns/{row.pk}/action/", {"action": "approve"})
    assert r.status_code == 404
    assert _review_status(row, BEDFORD) == "submitted"


def test_a_user_of_one_partnership_lands_on_it_and_a_404_elsewhere_does_not_move_them(client, web, two):
    client.force_login(two)  # Bedford Borough's business unit only
    html = client.get("/bu/").content.decode()  # unprefixed, as after signing in
    assert BEDFORD_NAME in html and f'href="/{BEDFORD}/returns/"' in html
    assert client.get("/luton/bu/").status_code == 404
    assert BEDFORD_NAME in client.get("/bu/").content.decode()  # still Bedford's, not Luton's


def test_every_link_and_form_of_a_page_stays_in_its_partnership(client, web, two):
    """A person with roles in two partnerships opens Luton's return, then Bedford's dashboard in
    another tab: the Luton page's buttons must still act for Luton, so none of its links or
    forms may leave the page's partnership to the session's."""
    import re

    from masa.web.accounts.models import PartnershipRole

    row = _submitted_shared(client, web)
    for code in (LUTON, BEDFORD):
        PartnershipRole.objects.get_or_create(user=web.users["bu"], partnership=code, role="business_unit")
    client.force_login(web.users["bu"])
    client.get(f"/{BEDFORD}/bu/")  # the other tab
    for path in (f"/returns/{row.pk}/", "/bu/", "/bu/periods/", "/returns/", "/bu/setup/", "/bu/setup/areas/"):
        r = client.get(f"/{LUTON}{path}")
        assert r.status_code == 200, path
        for link in re.findall(r'(?:href|action|data-autosave)="(/[^"]*)"', r.content.decode()):
            assert link.startswith((f"/{LUTON}/", "/static/", f"/{BEDFORD}/")), f"{path}: {link}"
            assert not link.startswith(f"/{BEDFORD}/") or link == f"/{BEDFORD}/", f"{path}: {link}"  # the switcher


def test_the_switcher_lists_the_partnerships_a_person_has_roles_in(client, web, two):
    from masa.web.accounts.models import PartnershipRole

    client.force_login(web.users["bu"])
    assert "Switch partnership" not in client.get("/luton/bu/").content.decode()  # one role: nothing to switch
    PartnershipRole.objects.create(user=web.users["bu"], partnership=LUTON, role="business_unit")
    PartnershipRole.objects.create(user=web.users["bu"], partnership=BEDFORD, role="scrutineer")
    html = client.get("/luton/bu/").content.decode()
    assert f'href="/{BEDFORD}/">{BEDFORD_NAME}</a>' in html and 'aria-current="page"' in html
    assert client.get(f"/{BEDFORD}/returns/").status_code == 200  # a scrutineer there
    assert client.get(f"/{BEDFORD}/bu/").status_code == 404  # but not its business unit
    # an unprefixed URL goes to the partnership last visited
    html = client.get("/returns/").content.decode()
    assert BEDFORD_NAME in html


def test_a_partner_sees_its_returns_in_every_partnership_it_serves(client, web, two):
    client.force_login(web.users["contributor"])  # bfrs serves both
    assert client.get(f"/{BEDFORD}/returns/{web.draft.pk}/").status_code == 200
    assert client.get(f"/{LUTON}/returns/{web.draft.pk}/").status_code == 200


def test_partnership_codes_cannot_clash_with_the_webs_own_paths():
    from django.urls import URLResolver, get_resolver

    from masa.spec.reserved import RESERVED_CODES, reserved_code_problem

    firsts = set()
    for p in get_resolver().url_patterns:
        text = str(p.pattern).lstrip("^")
        if isinstance(p, URLResolver) and not text:
            firsts |= {str(q.pattern).lstrip("^").split("/")[0] for q in p.url_patterns}
        else:
            firsts.add(text.split("/")[0])
    firsts.discard("")
    assert firsts <= RESERVED_CODES, firsts - RESERVED_CODES
    assert "one of the web's own paths" in reserved_code_problem("api")
    assert reserved_code_problem("bedford-borough") == ""


# --- each partnership reviews and publishes on its own -------------------------------------------

def test_each_partnership_approves_and_publishes_on_its_own(client, web, two):
    row = _submitted_shared(client, web)
    bu_luton = web.users["bu"]
    _act(client, bu_luton, LUTON, row, "approve")
    _act(client, bu_luton, LUTON, row, "publish")
    assert _review_status(row, LUTON) == "published"
    assert _review_status(row, BEDFORD) == "submitted"  # Bedford has not reviewed it yet
    # Bedford's dashboard shows its own status; Luton's public site has it, Bedford's has not
    client.force_login(two)
    assert "1 published" not in client.get(f"/{BEDFORD}/bu/").content.decode()
    client.logout()
    assert CLEAN_TEXT in client.get(f"/{LUTON}/published/2024-25/").content.decode()
    client.force_login(web.users["bu"])  # Luton's returns list says Luton's own status
    listing = client.get(f"/{LUTON}/returns/").content.decode()
    assert f'/{LUTON}/returns/{row.pk}/' in listing
    assert "published" in listing.split(f'/{LUTON}/returns/{row.pk}/')[1].split("</tr>")[0]
    client.logout()
    bedford_public = client.get(f"/{BEDFORD}/published/2024-25/")
    assert CLEAN_TEXT not in bedford_public.content.decode()
    figures = client.get(f"/{LUTON}/api/published/2024-25/figures").json()
    assert "bfrs" in {f["partner"] for f in figures}
    bedford_api = client.get(f"/{BEDFORD}/api/published/2024-25/figures")
    assert bedford_api.status_code == 404 or "bfrs" not in {f["partner"] for f in bedford_api.json()}
    # the partner sees one status per partnership
    client.force_login(web.users["contributor"])
    html = client.get(f"/returns/{row.pk}/").content.decode()
    assert 'id="partnership-statuses"' in html
    assert f'data-partnership="{LUTON}"' in html and f'data-partnership="{BEDFORD}"' in html
    # then Bedford approves and publishes its own
    _act(client, two, BEDFORD, row, "approve")
    _act(client, two, BEDFORD, row, "publish")
    assert _review_status(row, BEDFORD) == "published"
    client.logout()
    # now on Bedford Borough's site too (the text itself was saved through Luton's form, so it
    # is marked for Luton's areas and Bedford's page leaves it out: masa.returns.scope)
    assert client.get(f"/{BEDFORD}/published/2024-25/").status_code == 200


def _bfrs_values(client) -> set:
    return {f["value"] for f in client.get(f"/{LUTON}/api/published/2024-25/figures").json() if f["partner"] == "bfrs"}


def test_a_query_from_one_partnership_never_changes_what_another_published(client, web, two):
    from masa.web.core.models import Return

    row = _submitted_shared(client, web)
    _act(client, web.users["bu"], LUTON, row, "approve")
    _act(client, web.users["bu"], LUTON, row, "publish")
    _act(client, two, BEDFORD, row, "query", reason="Which Bedford stations took part?", section="achievements")
    row.refresh_from_db()
    assert row.status == "queried"  # the partner can answer it
    assert row.messages.get(kind="query").partnership == BEDFORD  # whose query it is
    assert _review_status(row, LUTON) == "published"
    # the partner edits its return in answer to Bedford: Luton's public page is unchanged
    changed = "Crews at every station made referrals for children this year, Bedford's included."
    enter(client, web, Return.objects.get(pk=row.pk), {"area=luton;sex=female": 40},
          **{"sec-achievements-0-text": changed})
    client.logout()
    page = client.get(f"/{LUTON}/published/2024-25/").content.decode()
    assert CLEAN_TEXT in page and changed not in page
    assert not {40, "40"} & _bfrs_values(client)
    # resubmitted: Bedford reviews it again, and Luton sees it changed (its publication stays)
    _act(client, web.users["approver"], LUTON, row, "resubmit")
    assert _review_status(row, BEDFORD) == "resubmitted"
    assert _review_status(row, LUTON) == "resubmitted"
    client.logout()
    page = client.get(f"/{LUTON}/published/2024-25/").content.decode()
    assert CLEAN_TEXT in page and changed not in page
    client.force_login(web.users["contributor"])
    assert "an earlier version is published" in client.get(f"/returns/{row.pk}/").content.decode()
    # Luton approves the new version: approving is not publishing, so nothing public changes
    _act(client, web.users["bu"], LUTON, row, "approve")
    client.logout()
    page = client.get(f"/{LUTON}/published/2024-25/").content.decode()
    assert CLEAN_TEXT in page and changed not in page
    assert not {40, "40"} & _bfrs_values(client)
    # then publishes it: now its public page shows it
    _act(client, web.users["bu"], LUTON, row, "publish")
    client.logout()
    page = client.get(f"/{LUTON}/published/2024-25/").content.decode()
    assert changed in page and CLEAN_TEXT not in page
    assert 40 in _bfrs_values(client)  # the figure check can see a change, so its "not yet" means something


def test_a_build_holding_a_newer_approved_version_is_not_served_to_the_public(client, web, two):
    from masa.web.site import common
    from masa.web.site.public import public_build
    from masa.web.workflow.models import ReportBuild

    row = _submitted_shared(client, web)
    _act(client, web.users["bu"], LUTON, row, "approve")
    _act(client, web.users["bu"], LUTON, row, "publish")
    build = ReportBuild.objects.create(partnership=LUTON, period="2024-25", state="done", included=[row.pk])
    token = common.use_partnership(LUTON)
    try:
        assert public_build("2024-25") == build
        _act(client, two, BEDFORD, row, "query", reason="Which stations?", section="achievements")
        enter(client, web, type(row).objects.get(pk=row.pk), {"area=luton;sex=female": 40},
              **{"sec-achievements-0-text": "Crews at every station made referrals for children this year."})
        _act(client, web.users["approver"], LUTON, row, "resubmit")
        _act(client, web.users["bu"], LUTON, row, "approve")  # approved, not published
        later = ReportBuild.objects.create(partnership=LUTON, period="2024-25", state="done", included=[row.pk])
        assert public_build("2024-25") is None, "a build that may hold the unpublished version was served"
        _act(client, web.users["bu"], LUTON, row, "publish")
        assert public_build("2024-25") == later  # built from the version now published
    finally:
        common.reset_partnership(token)


def test_a_partner_serving_one_partnership_has_no_reviews(client, web, two):
    from masa.web.workflow.models import Review
    from masa.web.workflow.transitions import move

    lbc = web.draft.__class__.objects.filter(partner__code="lbc", template__code="appendix-b").first()
    move(lbc, "query", web.users["bu"], reason="Please add the numbers", partnership=LUTON)
    assert not Review.objects.filter(ret=lbc).exists()
    lbc.refresh_from_db()
    assert lbc.status == "queried"


# --- publish confirmation and withdrawal ---------------------------------------------------------

def test_publishing_asks_for_confirmation_first(client, web):
    row = _submitted_shared(client, web)
    client.force_login(web.users["bu"])
    client.post(f"/returns/{row.pk}/action/", {"action": "approve"})
    r = client.post(f"/returns/{row.pk}/action/", {"action": "publish"})
    assert r.status_code == 302 and r["Location"] == f"/returns/{row.pk}/publish/"
    row.refresh_from_db()
    assert row.status == "approved"
    page = client.get(r["Location"]).content.decode()
    assert "Yes, publish this return" in page and 'name="confirm" value="yes"' in page
    client.post(f"/returns/{row.pk}/action/", {"action": "publish", "confirm": "yes"})
    row.refresh_from_db()
    assert row.status == "published"


def test_the_confirmation_lists_the_questions_the_checks_still_raise(client, web, two):
    """The seed's defect: a Luton-only part naming Bedford Borough is a question, not an
    error; whoever publishes is shown it on the confirmation page before the public is."""
    text = CLEAN_TEXT + " We also trained staff in Bedford Borough."
    enter(client, web, web.draft, {"area=luton;sex=female": 12},
          **{"sec-achievements-0-text": text, "sec-achievements-0-areas": ["luton"],
             "sec-achievements-0-areas-shown": "1"})
    _act(client, web.users["approver"], LUTON, web.draft, "submit")
    _act(client, web.users["bu"], LUTON, web.draft, "approve")
    page = client.get(f"/{LUTON}/returns/{web.draft.pk}/publish/").content.decode()
    assert 'id="still-raised"' in page and "Bedford Borough" in page.split('id="still-raised"')[1]


def test_withdrawing_needs_a_reason_is_audited_and_empties_the_public_page(client, web):
    from masa.web.auditlog.models import AuditEntry
    from masa.web.workflow.transitions import TransitionError, withdraw

    with pytest.raises(TransitionError, match="reason"):
        withdraw(LUTON, "2024-25", "  ", web.users["bu"])
    client.force_login(web.users["bu"])
    r = client.post("/bu/published/2024-25/withdraw/", {"reason": ""})
    assert r.status_code == 400 and "Enter the reason" in r.content.decode()
    assert client.get("/published/2024-25/figures.csv").status_code == 200  # still published
    r = client.post("/bu/published/2024-25/withdraw/", {"reason": "A police figure was counted twice"})
    assert r.status_code == 302
    web.published.refresh_from_db()
    assert web.published.status == "approved"
    entry = AuditEntry.objects.filter(action="publication.withdrawn").last()
    assert entry is not None and entry.data["reason"] == "A police figure was counted twice"
    client.logout()
    page = client.get("/published/2024-25/")
    html = page.content.decode()
    assert page.status_code == 200 and "withdrawn on" in html and "A police figure was counted twice" in html
    assert "<table" not in html and 'data-indicator' not in html
    assert client.get("/published/2024-25/figures.csv").status_code == 404
    assert client.get("/api/published/2024-25/figures").status_code == 404
    assert "2024-25" not in client.get("/api/published/periods").json()
    assert "2024-25" in client.get("/published/").content.decode()  # still listed, so readers find why


def test_a_withdrawal_in_one_partnership_leaves_the_other_published(client, web, two):
    row = _submitted_shared(client, web)
    for user, code in ((web.users["bu"], LUTON), (two, BEDFORD)):
        _act(client, user, code, row, "approve")
        _act(client, user, code, row, "publish")
    client.force_login(two)
    assert client.post(f"/{BEDFORD}/bu/published/2024-25/withdraw/", {"reason": "Wrong area"}).status_code == 302
    assert _review_status(row, BEDFORD) == "approved"
    assert _review_status(row, LUTON) == "published"
    client.logout()
    assert "withdrawn on" in client.get(f"/{BEDFORD}/published/2024-25/").content.decode()
    luton = client.get(f"/{LUTON}/published/2024-25/").content.decode()
    assert CLEAN_TEXT in luton and "withdrawn on" not in luton


# --- downloads of a build --------------------------------------------------------------------------

TYPES = {"html": "text/html", "pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def test_every_format_of_a_build_is_downloadable_by_its_business_unit_only(client, web, two, settings, tmp_path,
                                                                            monkeypatch):
    from masa.web.site import dashboard
    from masa.web.workflow.models import ReportBuild

    settings.MEDIA_ROOT = str(tmp_path)
    row = _submitted_shared(client, web)
    _act(client, web.users["bu"], LUTON, row, "approve")
    client.force_login(web.users["bu"])
    r = client.post("/luton/bu/build/", {"period": "2024-25"})
    build = ReportBuild.objects.get()
    dashboard.run_build(build.pk)
    build.refresh_from_db()
    assert build.state == "done", build.message
    page = client.get(r["Location"]).content.decode()
    for fmt, ctype in TYPES.items():
        name = next(f for f in build.files if f.endswith("." + fmt))
        url = f"/luton/bu/builds/{build.pk}/files/{name}"
        assert f'href="{url}"' in page and f"({fmt.upper()}, " in page, fmt
        got = client.get(url)
        assert got.status_code == 200 and got["Content-Type"].startswith(ctype), fmt
        assert f'filename="{name}"' in got["Content-Disposition"]
        body = b"".join(got.streaming_content)
        assert body, fmt
        if fmt == "xlsx" or fmt == "docx":
            assert body[:2] == b"PK"
        if fmt == "pdf":
            assert body[:4] == b"%PDF"
    name = build.files[0]
    for user in (web.users["contributor"], web.users["scrutineer"], two):
        client.force_login(user)
        for prefix in (LUTON, BEDFORD):
            assert client.get(f"/{prefix}/bu/builds/{build.pk}/files/{name}").status_code == 404
    client.logout()
    assert client.get(f"/luton/bu/builds/{build.pk}/files/{name}").status_code == 404


def test_a_return_published_before_a_second_partnership_joined_is_not_the_newcomers(client, web, two):
    """police's Appendix B was published in Luton before Bedford Borough was added: Luton's
    public site keeps it; Bedford Borough never approved it, so it sees it submitted."""
    assert "police" in {f["partner"] for f in client.get("/luton/api/published/2024-25/figures").json()}
    assert client.get(f"/{BEDFORD}/api/published/2024-25/figures").status_code == 404
    assert client.get(f"/{BEDFORD}/published/2024-25/").status_code == 404
    assert _review_status(web.published, BEDFORD) == "submitted"
    client.force_login(two)
    import re

    summary = re.search(r'<p class="govuk-body">([^<]*submitted[^<]*)</p>', client.get(f"/{BEDFORD}/bu/").content.decode())
    assert summary and "published" not in summary.group(1), summary and summary.group(1)


def test_the_first_run_refuses_a_code_that_is_one_of_the_webs_paths_and_grants_its_creator_a_role(client, db):
    from masa.web import store
    from masa.web.accounts.models import PartnershipRole
    from masa.web.demo import ensure_user
    from tests.web.conftest import PASSWORD

    bu = ensure_user("first.bu@example.org", "business_unit", None, PASSWORD)
    client.force_login(bu)
    r = client.post("/bu/partnerships/new/", {"name": "Published", "areas": ["E10000016"]})
    assert r.status_code == 400 and "one of the web&#x27;s own paths" in r.content.decode()
    assert store.stored_partnerships() == []
    r = client.post("/bu/partnerships/new/", {"name": "Northtown", "areas": ["E10000016"]})
    assert r.status_code == 302
    assert PartnershipRole.objects.filter(user=bu, partnership="northtown", role="business_unit").exists()


def test_withdrawing_a_return_published_before_the_second_partnership_keeps_the_others_status(client, web, two):
    from masa.web.workflow.transitions import withdraw

    withdraw(LUTON, "2024-25", "Counted twice", web.users["bu"])
    assert _review_status(web.published, LUTON) == "approved"
    assert _review_status(web.published, BEDFORD) == "submitted"  # Bedford never approved it


def test_the_command_line_gives_a_role_in_named_partnerships(client, web, two):
    from typer.testing import CliRunner

    from masa.cli import app

    def run(*args):
        return CliRunner().invoke(app, ["users", "add", "lead@example.org", *args,
                                        "--password", "a long enough password"])

    r = run("--role", "business_unit", "--partnership", "nowhere")
    assert r.exit_code == 2 and "unknown partnership 'nowhere'" in r.output and BEDFORD in r.output
    r = run("--role", "business_unit", "--partnership", BEDFORD)
    assert r.exit_code == 0, r.output
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="lead@example.org"))
    assert client.get(f"/{BEDFORD}/bu/").status_code == 200
    assert client.get(f"/{LUTON}/bu/").status_code == 404


def test_the_migration_gives_existing_business_unit_and_scrutineer_users_their_role_in_each_partnership(web, two):
    import importlib

    from django.apps import apps

    from masa.web.accounts.models import PartnershipRole

    PartnershipRole.objects.all().delete()
    step = importlib.import_module("masa.web.accounts.migrations.0002_partnership_roles")
    step._one_role_per_partnership(apps, None)
    got = set(PartnershipRole.objects.values_list("user__username", "partnership", "role"))
    assert {("bu@example.org", LUTON, "business_unit"), ("bu@example.org", BEDFORD, "business_unit"),
            ("scrutineer@example.org", LUTON, "scrutineer")} <= got
    assert not [g for g in got if g[0].startswith("bfrs.")]  # partners' users need none


# --- privacy of queries and comments between partnerships -------------------------------------

def test_one_partnerships_queries_and_comments_are_hidden_from_the_other(client, web, two):
    from masa.web.accounts.models import PartnershipRole
    from masa.web.demo import ensure_user
    from tests.web.conftest import PASSWORD

    row = _submitted_shared(client, web)
    secret_q, secret_c = "Which Bedford stations took part?", "Bedford panel note on stations."
    luton_q = "Please say how many Luton crews were trained."
    _act(client, two, BEDFORD, row, "query", reason=secret_q, section="achievements")
    client.post(f"/{BEDFORD}/returns/{row.pk}/messages/", {"section": "achievements", "text": secret_c})
    _act(client, web.users["bu"], LUTON, row, "query", reason=luton_q, section="general")
    # the partner sees both queries, each labelled with the partnership that asked
    client.force_login(web.users["approver"])
    page = client.get(f"/{LUTON}/returns/{row.pk}/").content.decode()
    assert secret_q in page and luton_q in page and BEDFORD_NAME in page
    bedford_q = row.messages.get(kind="query", partnership=BEDFORD)
    client.post(f"/{LUTON}/returns/{row.pk}/messages/", {"query": bedford_q.pk, "text": "Stations in Bedford."})
    assert row.messages.get(kind="reply").partnership == BEDFORD  # the reply is Bedford's
    # Luton's business unit and scrutineer see neither Bedford's query, comment nor the reply
    scrutineer = ensure_user("scrutineer.luton@example.org", "scrutineer", None, PASSWORD)
    PartnershipRole.objects.create(user=scrutineer, partnership=LUTON, role="scrutineer")
    for user in (web.users["bu"], scrutineer):
        client.force_login(user)
        page = client.get(f"/{LUTON}/returns/{row.pk}/").content.decode()
        assert luton_q in page and "Open query (1)" in page
        assert secret_q not in page and secret_c not in page and "Stations in Bedford." not in page
        history = client.get(f"/{LUTON}/returns/{row.pk}/history/").content.decode()
        assert luton_q in history and secret_q not in history
    # Bedford's business unit sees its own query answered, its comment, and not Luton's query
    client.force_login(two)
    page = client.get(f"/{BEDFORD}/returns/{row.pk}/").content.decode()
    assert secret_q in page and secret_c in page and "Stations in Bedford." in page
    assert luton_q not in page and "Open quer" not in page
