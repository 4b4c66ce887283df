"""A quarterly template's returns go through the same services as yearly ones: stored,
checked, submitted, approved; then the year's report and public figures read them."""

from __future__ import annotations

import pytest

from masa.returns import DataValue, Return
from masa.spec import SpecError
from tests.returns.quarters_helpers import quarter_spec

pytestmark = pytest.mark.django_db

YEAR = "2024-25"


def quarter_return(n, value, template="quarterly-figures", period=None):
    return Return(partner="bfrs", period=period or f"{YEAR} Q{n}", template=template,
                  values=[DataValue(indicator="csc_referrals", by={"area": "luton"}, value=value)])


def test_quarterly_returns_through_the_workflow_into_the_yearly_report(web):
    from masa.report.boundary import published_parts
    from masa.report.builder import build_model
    from masa.web import store
    from masa.web.core.models import Return as Row
    from masa.web.workflow import checks_seam
    from masa.web.workflow.transitions import move

    spec = quarter_spec(web.spec)
    store.save_returns(spec, [quarter_return(n, x) for n, x in ((1, 120), (2, 95), (3, 101), (4, 88))])
    rows = list(Row.objects.filter(template__code="quarterly-figures").select_related("partner", "period", "template")
                .order_by("period__code"))
    assert [(r.period.code, r.status) for r in rows] == [(f"{YEAR} Q{n}", "draft") for n in (1, 2, 3, 4)]
    for row in rows:
        assert checks_seam.error_findings(spec, store.return_from_row(row)) == []
        move(row, "submit", web.users["contributor"])
        move(row, "approve", web.users["bu"])
    assert set(Row.objects.filter(template__code="quarterly-figures").values_list("status", flat=True)) == {"approved"}

    dataset = store.dataset_for(spec.partnership.code, YEAR)
    assert sorted(r.period for r in dataset.returns if r.template == "quarterly-figures") == [
        f"{YEAR} Q{n}" for n in (1, 2, 3, 4)]
    # bfrs's yearly return is a draft, so a public build takes its figures from the approved quarters
    report = build_model(dataset, YEAR)
    [row] = [f for f in report.figures if f.partner == "bfrs" and f.indicator == "csc_referrals" and f.period == YEAR]
    assert (row.value, row.provenance_definition) == (404, "quarters:sum")
    sec = next(s for a in report.sections for s in a.children if s.id == "appendix-b-bfrs")
    assert "yearly return is still a draft" in sec.blocks[0].text and "approved quarterly returns" in sec.blocks[0].text
    # the same cells for the public site once published
    assert ("appendix-b", "bfrs") in published_parts(dataset.model_copy(update={"returns": [
        r for r in dataset.returns if r.status == "approved"]}), YEAR)
    move(rows[0], "publish", web.users["bu"])  # checked at the boundary with its year's published returns
    assert Row.objects.get(pk=rows[0].pk).status == "published"


def test_a_quarterly_template_needs_a_quarter_and_a_yearly_one_a_year(web):
    from masa.web import store

    spec = quarter_spec(web.spec)
    with pytest.raises(SpecError, match="is quarterly: its returns are for a quarter such as '2024-25 Q1'"):
        store.save_returns(spec, [quarter_return(1, 5, period=YEAR)])
    with pytest.raises(SpecError, match="is yearly: its returns are for a financial year such as '2024-25'"):
        store.save_returns(spec, [quarter_return(1, 5, template="appendix-c")])


def test_the_return_page_shows_a_quarterly_returns_figures(web, client):
    from masa.web import store
    from masa.web.core.models import Return as Row

    store.save_returns(quarter_spec(web.spec), [quarter_return(2, 95)])
    row = Row.objects.get(template__code="quarterly-figures")
    client.force_login(web.users["contributor"])
    html = client.get(f"/returns/{row.pk}/").content.decode()
    assert "2024-25 Q2" in html and "Referrals to children&#x27;s social care: Luton" in html
    assert 'value="95"' in html


def test_the_yearly_return_page_shows_its_quarters_disagreeing_and_missing(web, client):
    """The partner sees, before submitting, what ``masa report check`` says about its year and
    quarters; a new quarterly return changes the page (the cache key includes the quarters)."""
    from masa.web import store
    from masa.web.core.models import Return as Row

    spec = quarter_spec(web.spec)
    yearly = Row.objects.get(partner__code="bfrs", period__code=YEAR, template__code="appendix-b")
    ret = store.return_from_row(yearly)
    stated = [v for v in ret.values if not (v.indicator == "csc_referrals" and (v.period or YEAR) == YEAR)]
    stated.append(DataValue(indicator="csc_referrals", by={"area": "luton"}, value=400))
    store.save_returns(spec, [ret.model_copy(update={"values": stated}),
                              *[quarter_return(n, x) for n, x in ((1, 120), (2, 95), (3, 101))]])
    client.force_login(web.users["contributor"])
    url = f"/returns/{yearly.pk}/?check=1"
    page = client.get(url).content.decode()
    # the page names the indicator as the form labels it, not by its code
    assert "Referrals to children&#x27;s social care has no figure for Q4 of 2024-25" in page
    assert "is stated as 400" not in page  # no year is made from three quarters

    store.save_returns(spec, [quarter_return(4, 88)])
    page = client.get(url).content.decode()
    assert "social care has no figure for Q4" not in page
    assert "for 2024-25 is stated as 400, but its quarters make 404" in page


def test_the_dashboard_shows_quarters_and_each_partners_quarterly_returns(web, client):
    from masa.web import store

    store.save_returns(quarter_spec(web.spec), [quarter_return(1, 120)])
    client.force_login(web.users["bu"])
    page = client.get("/bu/", {"period": YEAR}).content.decode()
    assert f'<option value="{YEAR} Q1"' in page  # the quarters can be chosen
    quarters = page.split('id="quarters"')[1].split("</table>")[0]
    partners = len(web.spec.partners)
    q1 = quarters.split(f"{YEAR} Q1</a>")[1].split("</tr>")[0]
    assert [c.split(">")[-1] for c in q1.split("</td>")[:3]] == ["0", "0", str(partners)]  # bfrs's Q1 is a draft

    page = client.get("/bu/", {"period": f"{YEAR} Q1"}).content.decode()
    table = page.split("Completeness by partner")[1].split("</table>")[0]
    assert table.count('<td class="govuk-table__cell">Quarterly figures</td>') == partners  # one quarterly return per partner, no yearly ones
    assert "Appendix" not in table
    bfrs = table.split(web.spec.partner("bfrs").name)[1].split("</tr>")[0]
    assert ">draft<" in bfrs
    assert f"{partners} outstanding" in page and "Build the" not in page


def test_published_quarterly_returns_appear_in_their_years_public_page(client, web):
    from masa.web import store
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import move

    spec = quarter_spec(web.spec)
    store.save_returns(spec, [quarter_return(n, x) for n, x in ((1, 120), (2, 95), (3, 101), (4, 88))])
    for row in Row.objects.filter(template__code="quarterly-figures"):
        for action, who in (("submit", "contributor"), ("approve", "bu"), ("publish", "bu")):
            move(row, action, web.users[who])
    index = client.get("/published/").content.decode()
    assert f"Yearly report {YEAR}</a>" in index and "Q1" not in index  # a quarter is not a report of its own
    page = client.get(f"/published/{YEAR}/").content.decode()
    assert f"{YEAR} Q3</span>" in page  # each published quarter is listed under its year
    assert 'data-indicator="csc_referrals"' in page and ">404<" in page  # the year its quarters make
    assert client.get(f"/published/{YEAR} Q1/").status_code == 404


def test_publishing_a_quarter_that_would_re_hide_a_public_figure_is_refused(web):
    """Q1-Q3 published (10, 12, c): Q4 would make the year, and protecting Q3 would then hide
    Q1, already public; 40 - 10 - 12 - 15 would give Q3 away. So Q4 is not published."""
    from masa.web import store
    from masa.web.core.models import Return as Row
    from masa.web.workflow.transitions import TransitionError, move

    spec = quarter_spec(web.spec)
    store.save_returns(spec, [quarter_return(n, x) for n, x in ((1, 10), (2, 12), (3, 3), (4, 15))])
    rows = {r.period.code: r for r in Row.objects.filter(template__code="quarterly-figures")
            .select_related("partner", "period", "template")}
    for code, row in sorted(rows.items()):
        move(row, "submit", web.users["contributor"])
        move(row, "approve", web.users["bu"])
        if not code.endswith("Q4"):
            move(row, "publish", web.users["bu"])
    with pytest.raises(TransitionError, match="masa would then hide bfrs's csc_referrals for 2024-25 Q1"):
        move(rows[f"{YEAR} Q4"], "publish", web.users["bu"])
    assert Row.objects.get(pk=rows[f"{YEAR} Q4"].pk).status == "approved"
