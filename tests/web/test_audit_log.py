"""The audit log is a hash chain: `masa audit verify` names an edited or a deleted row."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def _verify():
    from masa.cli import app

    return CliRunner().invoke(app, ["audit", "verify"])


def _activity(client, web, form_data):
    client.force_login(web.users["contributor"])
    client.post(f"/returns/{web.draft.pk}/", form_data(web.draft, **{"sec-training-0-text": "Changed text."}))
    client.force_login(web.users["approver"])
    client.post(f"/returns/{web.draft.pk}/action/", {"action": "submit"})


def test_changes_are_logged_and_the_intact_chain_verifies(client, web, form_data):
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "role.granted" in actions and "user.created" in actions
    saved = AuditEntry.objects.get(action="return.saved")
    assert saved.actor == "bfrs.contributor@example.org" and any("training" in t for t in saved.data["text"])
    assert AuditEntry.objects.filter(action="return.submit", actor="bfrs.approver@example.org").exists()
    r = _verify()
    assert r.exit_code == 0, r.output
    assert "intact" in r.output


def test_an_edited_row_is_named(client, web, form_data):
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data)
    target = AuditEntry.objects.get(action="return.saved")
    AuditEntry.objects.filter(pk=target.pk).update(actor="someone.else@example.org")
    r = _verify()
    assert r.exit_code == 1
    assert f"row {target.seq} was edited" in r.output


def test_a_deleted_row_is_named_and_so_is_a_deleted_last_row(client, web, form_data):
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data)
    middle = AuditEntry.objects.get(action="return.saved")
    AuditEntry.objects.filter(pk=middle.pk)._raw_delete(AuditEntry.objects.db)
    r = _verify()
    assert r.exit_code == 1 and f"row {middle.seq} is missing" in r.output
    last = AuditEntry.objects.order_by("-seq").first()
    AuditEntry.objects.filter(pk=last.pk)._raw_delete(AuditEntry.objects.db)
    r = _verify()
    assert f"row {last.seq} is missing" in r.output


def test_rows_cannot_be_changed_through_the_model(web):
    from masa.web.auditlog.models import AppendOnly, AuditEntry

    row = AuditEntry.objects.first()
    row.actor = "x"
    with pytest.raises(AppendOnly):
        row.save()
    with pytest.raises(AppendOnly):
        row.delete()


def test_a_rewritten_chain_is_caught_without_the_key(client, web, form_data):
    """Someone with write access to the database edits a row and recomputes every later hash
    (and the head) as a plain SHA-256 chain: the keyed hash still names the edited row."""
    import hashlib

    from masa.web.auditlog.chain import GENESIS, canonical
    from masa.web.auditlog.models import AuditEntry, ChainHead

    _activity(client, web, form_data)
    target = AuditEntry.objects.get(action="return.saved")
    AuditEntry.objects.filter(pk=target.pk).update(actor="someone.else@example.org")
    prev = GENESIS
    for row in AuditEntry.objects.order_by("seq"):
        body = {"seq": row.seq, "at": row.at.isoformat(timespec="microseconds"), "actor": row.actor,
                "action": row.action, "target": row.target, "data": row.data, "prev": prev}
        forged = hashlib.sha256(canonical(body).encode()).hexdigest()
        AuditEntry.objects.filter(pk=row.pk).update(prev_hash=prev, hash=forged)
        prev = forged
    ChainHead.objects.update(hash=prev)
    r = _verify()
    assert r.exit_code == 1
    assert f"row {target.seq} was edited" in r.output
