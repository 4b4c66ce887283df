"""The audit log is a hash chain: `masa audit verify` names an edited or a deleted row, rows
cut from the end (against the anchor file outside the database, or an exported checkpoint),
and refuses a key from masa's source code."""

from __future__ import annotations

import json
import os
import secrets
import stat

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db
BUILT_IN = "insecure-development-key-change-me"


# The key file each test that starts from the example finds in its folder: the same random
# secret for all of them, so the example's rows, signed with it, are copied in from the first
# test's load (tests/web/snapshot.py) and not loaded again. Tests without the example start
# with no key file, as a new installation does.
_EXAMPLE_KEY = secrets.token_hex(32) + "\n"


@pytest.fixture(autouse=True)
def audit_dir(tmp_path, monkeypatch, request):
    """Key and anchor in a temporary folder, never the real home or build folder."""
    folder = tmp_path / "audit"
    monkeypatch.setenv("MASA_AUDIT_DIR", str(folder))
    monkeypatch.delenv("MASA_AUDIT_KEY", raising=False)
    monkeypatch.delenv("MASA_AUDIT_KEY_FILE", raising=False)
    if "web" in request.fixturenames:
        folder.mkdir()
        fd = os.open(folder / "audit.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(_EXAMPLE_KEY)
    return folder


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run code as if its transactions committed, so the anchor file is written as in production.

    Rows the fixtures wrote before (their commits never ran) are anchored first, as production
    would have, so the first committed write does not find a log without an anchor.
    """
    def run():
        from masa.web.auditlog import anchor
        from masa.web.auditlog.models import ChainHead

        head, path = ChainHead.objects.first(), anchor.anchor_path()
        if head is not None and head.seq and not path.exists():
            _write_anchor(anchor.Mark(head.seq, head.hash))
        return django_capture_on_commit_callbacks(execute=True)
    return run


def _write_anchor(mark, key=None):
    """A signed anchor, as masa (or someone holding the key) writes it."""
    from masa.web.auditlog import anchor
    from masa.web.auditlog.keys import current_key

    anchor.write(anchor.anchor_path(), mark, key or current_key().secret)


def _verify(*args):
    from masa.cli import app

    return CliRunner().invoke(app, ["audit", "verify", *args])


def _activity(client, web, form_data, committed=None):
    from contextlib import nullcontext

    with committed() if committed else nullcontext():
        client.force_login(web.users["contributor"])
        client.post(f"/returns/{web.draft.pk}/", form_data(web.draft, **{"sec-training-0-text": "Changed text."}))
        client.force_login(web.users["approver"])
        client.post(f"/returns/{web.draft.pk}/action/", {"action": "submit"})


def _cut_after(seq):
    """What someone with write access to the database does: delete the newest rows, rewind the head."""
    from masa.web.auditlog.models import AuditEntry, ChainHead

    AuditEntry.objects.filter(seq__gt=seq)._raw_delete(AuditEntry.objects.db)
    ChainHead.objects.update(seq=seq, hash=AuditEntry.objects.get(seq=seq).hash)


def _last():
    from masa.web.auditlog.models import AuditEntry

    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()


def test_changes_are_logged_and_the_intact_chain_verifies(client, web, form_data, committed, audit_dir):
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data, committed)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "role.granted" in actions and "user.created" in actions
    saved = AuditEntry.objects.get(action="return.saved")
    assert saved.actor == "bfrs.contributor@example.org" and any("training" in t for t in saved.data["text"])
    assert AuditEntry.objects.filter(action="return.submit", actor="bfrs.approver@example.org").exists()
    r = _verify()
    assert r.exit_code == 0, r.output
    assert "audit log intact" in r.output and "matches the anchor" in r.output
    assert json.loads(next(audit_dir.glob("*.audit-anchor")).read_text())["seq"] == _last()


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
    assert r.exit_code == 1
    assert f"{last.seq} are missing" in r.output or f"row {last.seq} is missing" in r.output
    assert f"but its head in the database records row {last.seq}" in r.output


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
    assert f"rows 1-{_last()} were edited" in r.output  # every forged hash fails under the key


def test_rows_cut_from_the_end_with_the_head_rewound_are_named(client, web, form_data, committed):
    """The issue's acceptance: delete the last rows, rewind the head, and verify names the gap."""
    _activity(client, web, form_data, committed)
    last = _last()
    _cut_after(last - 3)
    r = _verify()
    assert r.exit_code == 1, r.output
    assert (f"rows {last - 2}-{last} are missing: the log ends at row {last - 3} but the anchor outside "
            f"the database records row {last}") in r.output
    assert "audit log intact" not in r.output


def test_a_missing_anchor_is_reported_not_called_intact(client, web, form_data, committed, audit_dir):
    _activity(client, web, form_data, committed)
    next(audit_dir.glob("*.audit-anchor")).unlink()
    r = _verify()
    assert r.exit_code == 1
    assert "no anchor outside the database" in r.output and "does not exist" in r.output
    assert "audit log intact" not in r.output


def test_a_deleted_anchor_restarted_by_the_next_write_is_never_called_intact(
        client, web, form_data, committed, audit_dir, django_capture_on_commit_callbacks, caplog):
    """The tester's hole: cut the newest rows, rewind the head, delete the anchor, then any write."""
    from masa.web.auditlog.chain import append
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data, committed)
    cut = _last() - 3
    _cut_after(cut)
    next(audit_dir.glob("*.audit-anchor")).unlink()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("WARNING", logger="masa.audit"):
        append("cli", "test.after_the_cut", "x", {})
    assert "restarting it" in caplog.text
    mark = AuditEntry.objects.get(action="audit.anchor_restarted")
    assert mark.data == {"restarted_at": cut + 1, "anchor": "missing"}
    assert json.loads(next(audit_dir.glob("*.audit-anchor")).read_text())["restarted"] == mark.seq
    r = _verify()
    assert r.exit_code == 1, r.output
    assert f"the chain is intact from row {cut + 1} on only: rows before it could not be checked against an anchor" \
        in r.output
    assert "audit log intact" not in r.output


def test_a_brand_new_log_starts_its_anchor_silently(audit_dir, django_capture_on_commit_callbacks, caplog, db):
    from masa.web.auditlog.chain import append
    from masa.web.auditlog.models import AuditEntry

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("WARNING", logger="masa.audit"):
        append("cli", "test.first", "x", {})
        append("cli", "test.second", "x", {})
    assert "anchor" not in caplog.text
    assert not AuditEntry.objects.filter(action="audit.anchor_restarted").exists()
    r = _verify()
    assert r.exit_code == 0, r.output
    assert "audit log intact: 2 row(s)" in r.output


@pytest.mark.parametrize("how", ["edited", "another key"])
def test_an_edited_anchor_is_refused_and_not_silently_replaced(client, web, form_data, committed, audit_dir, how,
                                                               django_capture_on_commit_callbacks):
    """Rewriting the anchor to the cut log's last row needs the key."""
    from masa.web.auditlog import anchor
    from masa.web.auditlog.chain import append
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data, committed)
    cut = _last() - 3
    _cut_after(cut)
    path = next(audit_dir.glob("*.audit-anchor"))
    if how == "edited":
        record = json.loads(path.read_text())
        record.update(seq=cut, hash=AuditEntry.objects.get(seq=cut).hash)
        path.write_text(json.dumps(record))
    else:
        _write_anchor(anchor.Mark(cut, AuditEntry.objects.get(seq=cut).hash), key=b"not the audit key")
    r = _verify()
    assert r.exit_code == 1, r.output
    assert "the anchor file was edited or was written with another key" in r.output
    assert "audit log intact" not in r.output
    with django_capture_on_commit_callbacks(execute=True):
        append("cli", "test.later", "x", {})
    r = _verify()
    assert r.exit_code == 1, r.output
    assert f"the chain is intact from row {cut + 1} on only" in r.output and "wrongly signed" in r.output


def test_an_anchor_a_row_behind_still_verifies_but_a_wrong_one_does_not(client, web, form_data, committed,
                                                                        audit_dir):
    """A process that stopped between its commit and the anchor write leaves the anchor behind."""
    from masa.web.auditlog import anchor
    from masa.web.auditlog.chain import append

    _activity(client, web, form_data, committed)
    anchored = _last()
    append("cli", "test.uncommitted_anchor", "x", {})  # its on-commit anchor write never runs
    r = _verify()
    assert r.exit_code == 0, r.output
    assert f"the anchor records row {anchored} of {anchored + 1}" in r.output
    _write_anchor(anchor.Mark(anchored, "ab" * 32))  # signed, but another database's row
    r = _verify()
    assert r.exit_code == 1
    assert f"row {anchored} does not match the anchor outside the database" in r.output


def test_the_anchor_only_moves_forward(audit_dir):
    """Two workers commit rows 8 and 9; the one for row 8 writes its anchor last."""
    from masa.web.auditlog import anchor
    from masa.web.auditlog.keys import current_key

    key = current_key().secret
    _write_anchor(anchor.Mark(7, "7" * 64))
    anchor.advance(9, "9" * 64, key)
    anchor.advance(8, "8" * 64, key)
    assert anchor.read(anchor.anchor_path(), key) == anchor.Mark(9, "9" * 64)


def test_a_checkpoint_catches_a_cut_even_when_the_anchor_was_rewound_too(client, web, form_data, committed,
                                                                         tmp_path, audit_dir):
    from masa.cli import app
    from masa.web.auditlog.anchor import Mark
    from masa.web.auditlog.chain import append
    from masa.web.auditlog.models import AuditEntry

    _activity(client, web, form_data, committed)
    checkpoint = tmp_path / "offsite" / "checkpoint.json"
    r = CliRunner().invoke(app, ["audit", "checkpoint", "--out", str(checkpoint)])
    assert r.exit_code == 0, r.output
    at = _last()
    with committed():
        append("cli", "test.later", "x", {})
    assert _verify("--checkpoint", str(checkpoint)).exit_code == 0
    _cut_after(at - 2)
    # someone who can also write the server's files and holds the key
    _write_anchor(Mark(at - 2, AuditEntry.objects.get(seq=at - 2).hash))
    assert _verify().exit_code == 0
    r = _verify("--checkpoint", str(checkpoint))
    assert r.exit_code == 1
    assert f"rows {at - 1}-{at} are missing: the log ends at row {at - 2} but checkpoint" in r.output


def test_an_unreadable_checkpoint_is_one_line_and_exit_2(tmp_path, db):
    bad = tmp_path / "checkpoint.json"
    bad.write_text("{}")
    r = _verify("--checkpoint", str(bad))
    assert r.exit_code == 2
    assert "is not an audit anchor or checkpoint" in r.output and "Traceback" not in r.output


def test_the_key_file_is_created_private_once_and_reused(audit_dir, caplog, db):
    from masa.web.auditlog import keys
    from masa.web.auditlog.chain import append

    with caplog.at_level("WARNING", logger="masa.audit"):
        append("cli", "test.first", "x", {})
    path = audit_dir / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path) in caplog.text
    secret = path.read_text()
    keys._cache.clear()  # as a new process would
    caplog.clear()
    with caplog.at_level("WARNING", logger="masa.audit"):
        append("cli", "test.second", "x", {})
    assert path.read_text() == secret and len(secret.strip()) == 64
    assert "created" not in caplog.text
    assert keys.current_key().secret == secret.strip().encode()


@pytest.mark.parametrize("how", ["env", "file"])
def test_a_key_from_the_source_code_is_refused(client, web, form_data, committed, monkeypatch, audit_dir, how):
    if how == "env":
        monkeypatch.setenv("MASA_AUDIT_KEY", BUILT_IN)
    else:
        audit_dir.mkdir(exist_ok=True)
        (audit_dir / "built-in.key").write_text(BUILT_IN)
        monkeypatch.setenv("MASA_AUDIT_KEY_FILE", str(audit_dir / "built-in.key"))
    from masa.web.auditlog.models import AuditEntry, ChainHead

    AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)  # a chain signed throughout with that key
    ChainHead.objects.all().delete()
    _activity(client, web, form_data, committed)
    r = _verify()
    assert r.exit_code == 1
    assert "published in masa's source code" in r.output and "audit log intact" not in r.output


def test_rows_signed_with_the_old_secret_key_fallback_are_explained(client, web, form_data, monkeypatch):
    from django.conf import settings

    from masa.web.auditlog.models import AuditEntry, ChainHead

    AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)
    ChainHead.objects.all().delete()
    monkeypatch.setenv("MASA_AUDIT_KEY", settings.SECRET_KEY)  # what masa used before its own key
    _activity(client, web, form_data)
    monkeypatch.delenv("MASA_AUDIT_KEY")
    r = _verify()
    assert r.exit_code == 1
    assert "signed with the web secret key" in r.output


def test_a_lost_key_file_is_reported(client, web, form_data, committed, audit_dir):
    from masa.web.auditlog import keys

    _activity(client, web, form_data, committed)
    (audit_dir / "audit.key").unlink()
    keys._cache.clear()
    r = _verify()
    assert r.exit_code == 1
    assert "no audit key" in r.output and "audit log intact" not in r.output
