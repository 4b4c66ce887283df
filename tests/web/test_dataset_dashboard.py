"""The partnership dataset dashboard over HTTP: the business unit's view (every stored figure,
rated against target, commentary), the public one (published figures only, through the
publishing boundary), exports, filters, and one partnership never seeing another's figures."""

from __future__ import annotations

import csv
import io
import re

import pytest

pytestmark = pytest.mark.django_db


def _login(client, web, who="bu"):
    client.force_login(web.users[who])


def _text(r) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.content.decode()))


def _section(html: str, code: str) -> str:
    m = re.search(rf'<section class="masa-indicator" id="ind-{code}".*?</section>', html, re.DOTALL)
    assert m, f"no block for {code}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(0)))


def test_bu_sees_training_compliance_trend_and_amber(client, web):
    _login(client, web)
    r = client.get("/bu/dataset/")
    assert r.status_code == 200
    block = _section(r.content.decode(), "training_compliance")
    row = re.search(r"East London NHS Foundation Trust, Level 3 safeguarding children (.*?) Chart", block) or \
        re.search(r"Level 3 safeguarding children (.*?)Level", block)
    assert row, block[:500]
    assert "83%" in row.group(1) and "89%" in row.group(1) and "Amber" in row.group(1), row.group(1)
    assert "amber within 5 percentage points" in block


def _csv(r) -> list[dict]:
    assert r.status_code == 200, r.content[:300]
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))


def test_public_dataset_shows_c_for_a_small_count_and_nothing_can_be_worked_out(client, web):
    from tests.web.public_fixtures import IND, csv_cells, norm, publish_figures, recoverable

    luton_13 = {"area=luton": 13, "area=luton;sex=female": 3, "area=luton;sex=male": 10, "area=luton;sex=not-known": 0}
    publish_figures(client, web, luton_13)
    client.logout()
    rows = _csv(client.get("/published/dataset/figures.csv"))
    cells = {("bfrs", IND, r["breakdown_key"]): norm(r["value"]) for r in rows
             if r["partner"] == "bfrs" and r["indicator"] == IND and r["period"] == "2024-25"}
    assert cells[("bfrs", IND, "area=luton;sex=female")] == "c", cells
    assert 3.0 not in cells.values()
    assert not recoverable(cells, web.spec), f"a hidden count can be worked out: {recoverable(cells, web.spec)}"
    # exactly what the public report's own CSV publishes: one boundary, one answer
    report = {k: v for k, v in csv_cells(client, web.spec).items() if k[0] == "bfrs" and k[1] == IND}
    assert cells == report
    page = _section(client.get("/published/dataset/").content.decode(), IND)
    assert re.search(r"Luton, Female – c ", page), page[:800]
    assert "Commentary" not in page  # the business unit's notes are not published
    # and the drafts' figures (training compliance is in ELFT's unpublished return) are not there
    assert 'id="ind-training_compliance"' not in client.get("/published/dataset/").content.decode()


def test_commentary_is_audited_shown_and_exported_and_a_filter_narrows(client, web):
    from masa.web.auditlog.models import AuditEntry

    _login(client, web)
    r = client.post("/bu/dataset/commentary/", {"indicator": "training_compliance", "period": "2024-25",
                                                "text": "=HYPERLINK(\"x\") Up six points after the refresher drive."})
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="dataset.commentary", target="luton/training_compliance/2024-25").exists()
    block = _section(client.get("/bu/dataset/").content.decode(), "training_compliance")
    assert "Up six points after the refresher drive" in block
    rows = _csv(client.get("/bu/dataset/export.csv?partner=elft"))
    assert {r["partner"] for r in rows} == {"elft"}
    row = next(r for r in rows if r["indicator"] == "training_compliance" and r["period"] == "2024-25"
               and r["breakdown_key"] == "training-course=l3-children")
    assert row["value"] == "89" and row["rating"] == "amber"
    assert row["commentary"].startswith("'=HYPERLINK")  # a formula is neutralised
    r = client.post("/bu/dataset/commentary/", {"indicator": "nope", "period": "2024-25", "text": "x"}, follow=True)
    assert "Indicator: &#x27;nope&#x27; is not in this partnership" in r.content.decode()
    filtered = client.get("/bu/dataset/?priority=csa").content.decode()
    assert 'id="ind-pol_ed_reach"' in filtered and 'id="ind-training_compliance"' not in filtered
    wrong = client.get("/bu/dataset/?period=1999-00")
    assert wrong.status_code == 200 and "Period: &#x27;1999-00&#x27; is not one of" in wrong.content.decode()


def test_luton_does_not_see_bedford_borough_only_figures(client, web):
    from tests.web.multi_fixtures import BEDFORD, add_bedford
    from tests.web.public_fixtures import IND, enter

    bedford_bu = add_bedford(web)
    enter(client, web, web.draft, {"area=luton": 13, "area=bedford": 777})
    _login(client, web)
    luton = _section(client.get("/bu/dataset/").content.decode(), IND)
    assert "Luton 13" in luton and "777" not in luton and not re.search(r", Bedford(?!shire)", luton)
    assert "777" not in client.get("/bu/dataset/export.csv").content.decode()
    client.force_login(bedford_bu)
    bedford = _section(client.get(f"/{BEDFORD}/bu/dataset/").content.decode(), IND)
    assert "777" in bedford and "13 " not in bedford.split("Chart")[0].split("Bedford")[-1]


def test_a_partners_unsubmitted_edit_for_another_partnership_is_not_lutons_figure(client, web):
    """Breaker 12 F15: Luton published 33; Bedford Borough queries the shared return and the
    partner types 77 without resubmitting. Luton's business unit still reads 33."""
    from masa.web.core.models import Return
    from tests.web.multi_fixtures import BEDFORD, add_bedford
    from tests.web.public_fixtures import CLEAN_TEXT, IND, enter

    bedford_bu = add_bedford(web)
    enter(client, web, web.draft, {"area=luton;sex=female": 33}, **{"sec-achievements-0-text": CLEAN_TEXT})
    row = web.draft

    def act(user, prefix, action, **extra):
        client.force_login(user)
        data = {"action": action, **({"confirm": "yes"} if action == "publish" else {}), **extra}
        client.post(f"/{prefix}/returns/{row.pk}/action/", data)

    act(web.users["approver"], "luton", "submit")
    act(web.users["bu"], "luton", "approve")
    act(web.users["bu"], "luton", "publish")
    act(bedford_bu, BEDFORD, "query", reason="Which Bedford stations took part?", section="achievements")
    enter(client, web, Return.objects.get(pk=row.pk), {"area=luton;sex=female": 77},
          **{"sec-achievements-0-text": CLEAN_TEXT})

    def values(rows):
        return {r["value"] for r in rows if r["indicator"] == IND and r["period"] == "2024-25"
                and "sex=female" in r["breakdown_key"]}

    _login(client, web)
    exported = values(_csv(client.get("/luton/bu/dataset/export.csv?partner=bfrs")))
    assert "33" in exported and "77" not in exported, exported
    page = _text(client.get("/luton/bu/dataset/?partner=bfrs"))
    assert " 33 " in page and " 77 " not in page


def test_theme_coverage_says_one_part_not_one_parts(client, web):
    _login(client, web)
    page = _text(client.get("/bu/dataset/"))
    assert re.search(r"\b1 part from ", page), "no theme cell with one part in the Luton example"
    assert not re.search(r"\b1 parts from ", page)
