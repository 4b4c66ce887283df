"""Periods and deadlines: the business unit opens a year (spec stored, drafts started,
audited, all or nothing), sets deadlines and extensions with UK dates, partners start returns
for any open period, and lateness is judged from the first submission."""

from __future__ import annotations

import html as htmllib
import re
from datetime import date, datetime

import pytest

pytestmark = pytest.mark.django_db

PARTNERS = 10  # in the Luton example
YEARLY_TEMPLATES = 2  # Appendix B and C


def _text(resp) -> str:
    html = resp.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.find("<main"):html.find("</main>")]))


def _as(client, web, who):
    client.force_login(web.users[who])
    return client


def _nspcc(web):
    from masa.web.demo import ensure_user
    from tests.web.conftest import PASSWORD

    return ensure_user("nspcc.contributor@example.org", "contributor", "nspcc", PASSWORD)


def _actions(since: int) -> list[tuple[str, str, dict]]:
    from masa.web.auditlog.models import AuditEntry

    return [(e.action, e.target, e.data) for e in AuditEntry.objects.filter(seq__gt=since)]


def _last_seq() -> int:
    from masa.web.auditlog.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").first()
    return last.seq if last else 0


# --- the service ---------------------------------------------------------------------------

def test_opening_a_year_stores_the_spec_starts_drafts_and_is_audited(web):
    from masa.web import store
    from masa.web.core.models import Return
    from masa.web.site import common, opening
    from masa.web.workflow.models import Deadline

    seq = _last_seq()
    started = opening.open_year(common.spec(), "2025-26", web.users["bu"], due=date(2026, 5, 31))
    spec = store.spec_for("luton")
    assert (spec.periods.current, spec.periods.financial_years) == ("2025-26", ["2023-24", "2024-25", "2025-26"])
    assert len(started) == PARTNERS * YEARLY_TEMPLATES
    assert set(Return.objects.filter(period__code="2025-26").values_list("status", flat=True)) == {"draft"}
    assert Deadline.objects.get(period__code="2025-26").due == date(2026, 5, 31)
    actions = _actions(seq)
    assert ("spec.stored", "spec:luton") in [(a, t) for a, t, _ in actions]
    assert any(a == "spec.stored" and d.get("via") == "web.periods.open" for a, _, d in actions)
    assert sum(a == "return.started" for a, _, _ in actions) == PARTNERS * YEARLY_TEMPLATES
    assert ("period.opened", "period:2025-26") in [(a, t) for a, t, _ in actions]
    from masa.web.auditlog.models import AuditEntry

    assert {e.actor for e in AuditEntry.objects.filter(seq__gt=seq)} == {"bu@example.org"}


@pytest.mark.parametrize("year, says", [("2024-25", "2024-25 is already open"),
                                        ("2023-24", "already open"),
                                        ("2026-27", "Open 2025-26 first")])
def test_a_year_already_open_or_out_of_turn_is_refused_and_nothing_is_stored(web, year, says):
    from masa.web.core.models import Return, SpecVersion
    from masa.web.site import common, opening

    before = (SpecVersion.objects.count(), Return.objects.count(), _last_seq())
    with pytest.raises(opening.PeriodRefused, match=says) as caught:
        opening.open_year(common.spec(), year, web.users["bu"])
    assert caught.value.field == "year"
    assert (SpecVersion.objects.count(), Return.objects.count(), _last_seq()) == before


def test_a_failure_while_starting_drafts_leaves_nothing_half_saved(web, monkeypatch):
    from masa.web.core.models import Return, SpecVersion
    from masa.web.site import common, opening
    from masa.web.workflow.models import Deadline

    calls = []
    real = opening.start_return

    def fail_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(opening, "start_return", fail_on_the_third)
    before = (SpecVersion.objects.count(), Return.objects.count(), _last_seq())
    with pytest.raises(RuntimeError):
        opening.open_year(common.spec(), "2025-26", web.users["bu"], due=date(2026, 5, 31))
    assert (SpecVersion.objects.count(), Return.objects.count(), _last_seq()) == before
    assert common.spec().periods.current == "2024-25"
    assert not Deadline.objects.filter(period__code="2025-26").exists()


def test_opening_works_on_the_newest_spec_not_the_one_the_page_read(web):
    """D10, S11: a partner renamed after the periods page was read survives the opening, and a
    second press of "Open" with that same old page is refused as already open (one audit entry)."""
    from masa.web import store
    from masa.web.administration import service
    from masa.web.auditlog.models import AuditEntry
    from masa.web.site import common, opening

    page_spec = common.spec()
    p = page_spec.partner("police")
    service.save_partner("luton", web.users["bu"], {"name": "Renamed meanwhile", "short_name": p.short_name,
                                                    "type": p.type, "areas": list(p.areas)}, original="police")
    opening.open_year(page_spec, "2025-26", web.users["bu"])
    spec = store.spec_for("luton")
    assert (spec.periods.current, spec.partner("police").name) == ("2025-26", "Renamed meanwhile")
    with pytest.raises(opening.PeriodRefused, match="2025-26 is already open"):
        opening.open_year(page_spec, "2025-26", web.users["bu"])
    assert AuditEntry.objects.filter(action="period.opened", target="period:2025-26").count() == 1


def test_a_year_before_the_first_is_not_called_already_open(web):
    """S5: 2022-23 was never open."""
    from masa.web.site import common, opening

    with pytest.raises(opening.PeriodRefused, match="2022-23 is before 2023-24, the partnership's first year"):
        opening.open_year(common.spec(), "2022-23", web.users["bu"])


def test_a_deadline_years_after_the_period_is_refused(client, web):
    """S6: 31/05/9999 is a typing slip, not a deadline."""
    from masa.web.workflow.models import Deadline

    r = _as(client, web, "bu").post("/bu/periods/2024-25/deadline/", {"deadline-due": "31/05/9999"})
    assert r.status_code == 400
    assert "Returns due by: 31/05/9999 is more than 2 years after 2024-25 ends (31/03/2025)" in r.content.decode()
    assert not Deadline.objects.exists()


# --- the periods screen --------------------------------------------------------------------

def test_the_periods_screen_lists_states_and_offers_the_next_year(client, web):
    page = _text(_as(client, web, "bu").get("/bu/periods/"))
    assert re.search(r"2024-25 current", page) and re.search(r"2023-24 open", page)
    assert re.search(r"2025-26 not yet open", page)
    html = client.get("/bu/periods/").content.decode()
    assert re.search(r'name="year"[^>]*value="2025-26"', html)


@pytest.mark.parametrize("typed", ["31/05/2026", "31 May 2026", "2026-05-31"])
def test_opening_from_the_web_accepts_uk_dates(client, web, typed):
    from masa.web.workflow.models import Deadline

    r = _as(client, web, "bu").post("/bu/periods/open/", {"year": "2025/26", "due": typed})
    assert r.status_code == 302 and r["Location"] == "/bu/periods/2025-26/"
    assert Deadline.objects.get(period__code="2025-26").due == date(2026, 5, 31)
    assert "20 draft returns started" in _text(client.get(r["Location"]))


@pytest.mark.parametrize("data, field, says", [
    ({"year": "2025-26", "due": "31/02/2026"}, "due", "Returns due by: 31/02/2026 is not a real date"),
    ({"year": "2025-26", "due": "soon"}, "due", "Returns due by: 'soon' is not a date"),
    ({"year": "2025-26", "due": "31/03/2025"}, "due", "Returns due by: 31/03/2025 is before 2025-26 starts"),
    ({"year": "2024-25", "due": ""}, "year", "Financial year: 2024-25 is already open"),
    ({"year": "2025-26 Q1", "due": ""}, "year", "Financial year: Enter a financial year such as 2025-26, not a quarter"),
    ({"year": "next year", "due": ""}, "year", "Financial year: Enter a financial year such as 2025-26"),
    ({"year": "", "due": ""}, "year", "Financial year: enter the year to open"),
])
def test_bad_input_when_opening_is_shown_beside_its_field_and_nothing_is_saved(client, web, data, field, says):
    from masa.web.core.models import Return, SpecVersion

    before = (SpecVersion.objects.count(), Return.objects.count())
    r = _as(client, web, "bu").post("/bu/periods/open/", data)
    html = htmllib.unescape(r.content.decode())
    assert r.status_code == 400
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert re.search(rf'id="id_{field}-error"[^>]*>.*?{re.escape(says)}', html, re.DOTALL), html
    assert (SpecVersion.objects.count(), Return.objects.count()) == before


def test_deadline_and_extension_from_the_period_page(client, web):
    from masa.web.workflow.models import Deadline, Extension

    _as(client, web, "bu")
    r = client.post("/bu/periods/2024-25/deadline/", {"deadline-due": "31 May 2025"})
    assert r.status_code == 302
    assert Deadline.objects.get(period__code="2024-25").due == date(2025, 5, 31)
    r = client.post("/bu/periods/2024-25/extensions/", {"extension-partner": "nspcc", "extension-due": "30/06/2025",
                                                        "extension-reason": "Their case system was replaced"})
    assert r.status_code == 302
    ext = Extension.objects.get(period__code="2024-25", partner__code="nspcc")
    assert (ext.due, ext.reason, ext.set_by.username) == (date(2025, 6, 30), "Their case system was replaced",
                                                          "bu@example.org")
    page = _text(client.get("/bu/periods/2024-25/"))
    assert "National Society for the Prevention of Cruelty to Children 30 June 2025 Their case system was replaced" in page
    # a quarter has its own deadline
    r = client.post("/bu/periods/2024-25%20Q2/deadline/", {"deadline-due": "31/10/2024"})
    assert r.status_code == 302 and Deadline.objects.get(period__code="2024-25 Q2").due == date(2024, 10, 31)


@pytest.mark.parametrize("data, field, says", [
    ({"extension-partner": "nobody", "extension-due": "30/06/2025", "extension-reason": "x"}, "partner",
     "Partner: nobody is not a partner in this partnership"),
    ({"extension-partner": "", "extension-due": "30/06/2025", "extension-reason": "x"}, "partner",
     "Partner: choose the partner"),
    ({"extension-partner": "nspcc", "extension-due": "30/05/2025", "extension-reason": "x"}, "due",
     "New date: 30/05/2025 is not after the deadline of 31/05/2025"),
    ({"extension-partner": "nspcc", "extension-due": "30 Jun", "extension-reason": "x"}, "due",
     "New date: '30 Jun' is not a date"),
    ({"extension-partner": "nspcc", "extension-due": "30/06/2025", "extension-reason": ""}, "reason",
     "Reason: say why"),
])
def test_a_bad_extension_is_refused_beside_its_field(client, web, data, field, says):
    from masa.web.core.models import Period
    from masa.web.workflow.models import Deadline, Extension

    Deadline.objects.create(partnership="luton", period=Period.objects.get(code="2024-25"), due=date(2025, 5, 31))
    r = _as(client, web, "bu").post("/bu/periods/2024-25/extensions/", data)
    html = htmllib.unescape(r.content.decode())
    assert r.status_code == 400
    assert re.search(rf'id="id_extension-{field}-error"[^>]*>.*?{re.escape(says)}', html, re.DOTALL), says
    assert not Extension.objects.exists()


def test_a_deadline_before_its_period_starts_is_refused(client, web):
    from masa.web.workflow.models import Deadline

    r = _as(client, web, "bu").post("/bu/periods/2024-25/deadline/", {"deadline-due": "1 March 2024"})
    assert r.status_code == 400
    assert "Returns due by: 01/03/2024 is before 2024-25 starts (01/04/2024)" in r.content.decode()
    assert not Deadline.objects.exists()


# --- partners start returns for open periods ------------------------------------------------

def test_nspcc_starts_its_missing_return_for_last_year_after_the_year_moved_on(client, web):
    from masa.web.core.models import Return
    from masa.web.site import common, opening

    opening.open_year(common.spec(), "2025-26", web.users["bu"])
    client.force_login(_nspcc(web))
    page = _text(client.get("/returns/"))
    assert "2024-25 Partners Voice of the Child Snapshot" in page  # still to start
    html = client.get("/returns/").content.decode()
    assert re.search(r'<option value="2024-25"', html)
    assert re.search(r'<option value="2025-26" selected', html) is None  # 2025-26 was started for it already
    r = client.post("/returns/start/", {"period": "2024-25", "template": "appendix-c"})
    row = Return.objects.get(partner__code="nspcc", period__code="2024-25", template__code="appendix-c")
    assert r.status_code == 302 and r["Location"] == f"/returns/{row.pk}/"
    assert row.status == "draft"
    assert "2024-25 Partners Voice of the Child Snapshot" not in _text(client.get("/returns/")).split("Returns you can see")[0]


def test_the_current_year_is_the_default_choice(client, web):
    from masa.web.core.models import Return

    client.force_login(_nspcc(web))  # NSPCC has no 2024-25 Appendix C return
    html = client.get("/returns/").content.decode()
    assert re.search(r'<option value="2024-25" selected>', html)
    r = client.post("/returns/start/", {"template": "appendix-c"})  # no period: the current one
    assert Return.objects.get(pk=int(r["Location"].split("/")[2])).period.code == "2024-25"


def _with_quarterly_template():
    from masa.web import store
    from masa.web.site import common

    doc = common.spec().model_dump(mode="json")
    quarterly = {**doc["templates"][0], "code": "quarterly", "name": "Quarterly figures", "appendix": "",
                 "frequency": "quarterly"}
    doc["templates"].append(quarterly)
    from masa.spec import Spec

    store.store_spec(Spec.model_validate(doc))


def test_a_partner_starts_a_quarterly_return_for_a_quarter_and_not_for_a_year(client, web):
    from masa.web.core.models import Return

    _with_quarterly_template()
    _as(client, web, "contributor")
    html = client.get("/returns/").content.decode()
    assert '<option value="2024-25 Q1"' in html
    r = client.post("/returns/start/", {"period": "2024-25 Q1", "template": "quarterly"})
    assert r.status_code == 302
    assert Return.objects.filter(partner__code="bfrs", period__code="2024-25 Q1", template__code="quarterly").exists()
    r = client.post("/returns/start/", {"period": "2024-25", "template": "quarterly"})
    assert r.status_code == 400
    assert "Return: Quarterly figures is started for a quarter, not for 2024-25" in r.content.decode()
    r = client.post("/returns/start/", {"period": "2024-25 Q2", "template": "appendix-b"})
    assert r.status_code == 400
    assert "is started for a financial year, not for 2024-25 Q2" in r.content.decode()
    r = client.post("/returns/start/", {"period": "2025-26", "template": "appendix-b"})  # not yet open
    assert r.status_code == 400 and "Period: 2025-26 is not open for returns" in r.content.decode()
    assert not Return.objects.filter(partner__code="bfrs", period__code__in=["2024-25 Q2", "2025-26"]).exists()


# --- deadlines that work -----------------------------------------------------------------------

def _submitted_on(row, day: date):
    from django.utils import timezone

    from masa.web.core.models import Return
    from masa.web.workflow.models import Transition

    Return.objects.filter(pk=row.pk).update(status="submitted")
    t = Transition.objects.create(ret=row, from_status="draft", to_status="submitted")
    when = timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))
    Transition.objects.filter(pk=t.pk).update(at=when)


def test_a_return_submitted_after_its_deadline_stays_late_with_how_late(client, web, monkeypatch):
    from masa.web.core.models import Period, Return
    from masa.web.workflow import due
    from masa.web.workflow.models import Deadline, Transition

    monkeypatch.setattr(due, "today", lambda: date(2026, 11, 28))
    Deadline.objects.create(partnership="luton", period=Period.objects.get(code="2024-25"), due=date(2025, 5, 31))
    _submitted_on(web.draft, date(2026, 10, 31))  # bfrs appendix-b
    Return.objects.filter(pk=web.draft.pk).update(status="approved")  # approval does not undo lateness
    Transition.objects.create(ret=web.draft, from_status="submitted", to_status="approved")
    page = _text(_as(client, web, "contributor").get("/returns/"))
    assert re.search(r"Partners Safeguarding Snapshot approved 31 May 2025 submitted 17 months late", page), page
    dash = _text(_as(client, web, "bu").get("/bu/?period=2024-25"))
    assert "submitted 17 months late" in dash


def test_an_extension_makes_the_same_submission_on_time(client, web, monkeypatch):
    from masa.web.core.models import Partner, Period
    from masa.web.workflow import due
    from masa.web.workflow.models import Deadline, Extension

    monkeypatch.setattr(due, "today", lambda: date(2025, 7, 1))
    period = Period.objects.get(code="2024-25")
    Deadline.objects.create(partnership="luton", period=period, due=date(2025, 5, 31))
    _submitted_on(web.draft, date(2025, 6, 3))
    assert "3 days late" in _text(_as(client, web, "contributor").get("/returns/"))
    Extension.objects.create(partnership="luton", period=period, partner=Partner.objects.get(code="bfrs"), due=date(2025, 6, 30),
                             reason="Flooding")
    page = _text(client.get("/returns/"))
    assert "30 June 2025 (extended) submitted on time" in page


def test_partners_see_their_deadline_and_days_left(client, web, monkeypatch):
    from masa.web.core.models import Period
    from masa.web.workflow import due
    from masa.web.workflow.models import Deadline

    Deadline.objects.create(partnership="luton", period=Period.objects.get(code="2024-25"), due=date(2025, 5, 31))
    _as(client, web, "contributor")
    for today, words in [(date(2025, 5, 19), "12 days left"), (date(2025, 5, 31), "due today"),
                         (date(2025, 6, 5), "5 days overdue")]:
        monkeypatch.setattr(due, "today", lambda today=today: today)
        page = _text(client.get("/returns/"))
        assert re.search(rf"Partners Safeguarding Snapshot draft 31 May 2025 {words}", page), (words, page)


def test_the_dashboard_counts_on_time_late_and_outstanding(client, web, monkeypatch):
    from masa.web.core.models import Period, Return
    from masa.web.workflow import due
    from masa.web.workflow.models import Deadline

    monkeypatch.setattr(due, "today", lambda: date(2025, 7, 1))
    Deadline.objects.create(partnership="luton", period=Period.objects.get(code="2024-25"), due=date(2025, 5, 31))
    Return.objects.update(status="draft")
    rows = list(Return.objects.filter(period__code="2024-25").order_by("pk")[:3])
    _submitted_on(rows[0], date(2025, 5, 30))
    _submitted_on(rows[1], date(2025, 5, 31))
    _submitted_on(rows[2], date(2025, 6, 2))
    expected_outstanding = PARTNERS * YEARLY_TEMPLATES - 3
    dash = _text(_as(client, web, "bu").get("/bu/?period=2024-25"))
    assert f"2 on time · 1 late · {expected_outstanding} outstanding ({expected_outstanding} overdue)" in dash
    periods = _text(client.get("/bu/periods/"))
    assert re.search(rf"2024-25 current 31 May 2025 0 2 1 {expected_outstanding}", periods), periods



def test_closing_an_earlier_year_stops_new_returns_for_it_and_its_quarters(client, web):
    from masa.web.core.models import Return

    _with_quarterly_template()
    seq = _last_seq()
    _as(client, web, "contributor")
    assert "2023-24 Partners Safeguarding Snapshot" in _text(client.get("/returns/"))
    r = _as(client, web, "bu").post("/bu/periods/2023-24/state/", {"action": "close"})
    assert r.status_code == 302
    assert re.search(r"2023-24 closed", _text(client.get("/bu/periods/")))
    assert re.search(r"2023-24 Q3 closed", _text(client.get("/bu/periods/")))
    page = _text(_as(client, web, "contributor").get("/returns/"))
    assert "2023-24" not in page.split("Returns you can see")[0]
    assert "2024-25 Q1" in page  # the current year's quarters stay open
    r = client.post("/returns/start/", {"period": "2023-24", "template": "appendix-b"})
    assert r.status_code == 400 and "Period: 2023-24 is not open for returns" in r.content.decode()
    r = client.post("/returns/start/", {"period": "2023-24 Q3", "template": "quarterly"})
    assert r.status_code == 400
    assert not Return.objects.filter(period__code__startswith="2023-24").exists()
    _as(client, web, "bu").post("/bu/periods/2023-24/state/", {"action": "reopen"})
    assert "2023-24 Partners Safeguarding Snapshot" in _text(_as(client, web, "contributor").get("/returns/"))
    assert [a for a, _, _ in _actions(seq) if a.startswith("period.")] == ["period.closed", "period.reopened"]


def test_the_current_year_cannot_be_closed(client, web):
    from masa.web.workflow.models import Closure

    r = _as(client, web, "bu").post("/bu/periods/2024-25/state/", {"action": "close"})
    assert r.status_code == 400
    assert "2024-25 is the current year and stays open; open the next year first" in r.content.decode()
    assert not Closure.objects.exists()
