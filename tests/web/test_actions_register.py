"""The business unit's actions register: every audit action across partners and years,
filters (partner, year, status, overdue in words), and a CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

pytestmark = pytest.mark.django_db

FOLLOW_UP = "A follow-up audit with a larger sample"


@pytest.fixture
def bu(client, web):
    from masa.web.core.models import AuditAction

    AuditAction.objects.filter(text__startswith=FOLLOW_UP).update(due=date(2020, 1, 1))  # long past, still open
    AuditAction.objects.filter(text__startswith="Yearly audits planned").update(due=date(2999, 1, 1))
    client.force_login(web.users["bu"])
    return client


def _csv(resp) -> list[dict]:
    return list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))


def test_register_lists_actions_and_flags_overdue_in_words(bu):
    html = bu.get("/bu/actions/").content.decode()
    assert FOLLOW_UP in html and "Yearly audits planned" in html
    r = bu.get("/bu/actions/", {"overdue": "on"})
    html = r.content.decode()
    assert r.status_code == 200
    assert FOLLOW_UP in html and "open, overdue" in html
    assert "Yearly audits planned" not in html  # due in the future
    rows = _csv(bu.get("/bu/actions.csv", {"overdue": "on"}))
    assert [r["action"][:len(FOLLOW_UP)] for r in rows] == [FOLLOW_UP]
    assert rows[0]["overdue"] == "overdue" and rows[0]["partner"].startswith("East London")


def test_filters_by_partner_status_and_year(bu, client, web):
    from masa.web import store

    from .test_carry_forward import _start, open_2025_26

    html = bu.get("/bu/actions/", {"partner": "elft", "status": "in-progress"}).content.decode()
    assert "Targeted training on recording is under way." in html
    assert "Child-focused prompts" not in html  # done
    # carried into 2025-26 and answered there: one row, its latest status, its history
    row = _start(client, open_2025_26(web))
    ret = store.return_from_row(row)
    follow = next(i for i, a in enumerate(ret.carried_actions) if a.text.startswith(FOLLOW_UP))
    acts = list(ret.carried_actions)
    acts[follow] = acts[follow].model_copy(update={"status": "dropped", "note": "Replaced by the yearly audit"})
    store._save_return(ret.model_copy(update={"carried_actions": acts}))
    client.force_login(web.users["bu"])
    rows = _csv(client.get("/bu/actions.csv", {"year": "2025-26", "partner": "elft"}))
    assert len(rows) == 6
    mine = [r for r in rows if r["action"].startswith(FOLLOW_UP)]
    assert len(mine) == 1 and mine[0]["status"] == "dropped" and mine[0]["overdue"] == ""
    assert mine[0]["history"] == "2024-25: open; 2025-26: dropped (Replaced by the yearly audit)"


def test_bad_filter_is_named_and_csv_cells_cannot_run_as_formulas(bu):
    from masa.web.core.models import AuditAction

    r = bu.get("/bu/actions/", {"status": "lost"})
    assert r.status_code == 400 and "Choose a status from the list" in r.content.decode()
    assert bu.get("/bu/actions.csv", {"partner": "nobody"}).status_code == 400
    AuditAction.objects.filter(text__startswith=FOLLOW_UP).update(text='=HYPERLINK("http://x","y")')
    rows = _csv(bu.get("/bu/actions.csv", {"overdue": "on"}))
    assert rows[0]["action"] == "'=HYPERLINK(\"http://x\",\"y\")"


def test_only_the_business_unit_sees_the_register(client, web):
    client.force_login(web.users["contributor"])
    assert client.get("/bu/actions/").status_code == 404
    assert client.get("/bu/actions.csv").status_code == 404
