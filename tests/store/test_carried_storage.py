"""Carried items and action ids survive the database: what is saved comes back the same,
and saving it again changes nothing."""

from __future__ import annotations

import pytest

from masa.returns import Return
from masa.returns.model import Action, Audit, NextYearPriority
from masa.returns.rollover import carry_forward

pytestmark = pytest.mark.django_db


def test_carried_items_and_action_ids_round_trip(spec):
    from masa.web import store
    from masa.web.core.models import Return as Row

    last = Return(partner="elft", period="2024-25", template="appendix-b",
                  audits=[Audit(title="Referral audit", actions=[Action(text="Follow-up audit", status="open")])],
                  next_year=[NextYearPriority(text="Embed the neglect toolkit", priorities=["neglect"])])
    new = carry_forward(last, Return(partner="elft", period="2025-26", template="appendix-b",
                                     audits=[Audit(title="Supervision audit",
                                                   actions=[Action(id="act-own", text="Reaudit in spring")])]))
    new = new.model_copy(update={"carried_actions": [new.carried_actions[0].model_copy(
        update={"status": "dropped", "note": "Replaced"})]})
    store.save_returns(spec, [new])
    row = Row.objects.get(partner__code="elft", period__code="2025-26")
    back = store.return_from_row(row)
    assert back.carried_actions == new.carried_actions and back.priority_reviews == new.priority_reviews
    assert back.audits[0].actions[0].id == "act-own"
    lock = row.lock_version
    assert store._save_return(back) == (row.pk, "unchanged")
    emptied = back.model_copy(update={"carried_actions": [], "priority_reviews": [], "audits": []})
    store._save_return(emptied)
    row.refresh_from_db()
    assert row.lock_version == lock + 1 and store.return_from_row(row).carried_actions == []
    from masa.web.site.models import CarriedItems

    assert not CarriedItems.objects.filter(ret=row).exists()
