"""Append to and verify the hash-chained audit log.

hash(row) = HMAC-SHA256(key, canonical JSON of the row's fields including the previous row's
hash). Editing any row breaks its own hash; deleting a row breaks the sequence and the next
row's link; deleting the newest rows disagrees with ``ChainHead`` and, if that was rewound
too, with the anchor file outside the database (``anchor.py``) or an exported checkpoint.
The key is outside the database and the source code (``keys.py``), so someone who can write
to the database cannot recompute a consistent chain after tampering.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field

from . import anchor
from .keys import current_key, key_path, loose_permissions

GENESIS = "0" * 64


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(seq: int, at: str, actor: str, action: str, target: str, data, prev_hash: str,
             key: bytes | None = None) -> str:
    body = {"seq": seq, "at": at, "actor": actor, "action": action, "target": target, "data": data,
            "prev": prev_hash}
    return hmac.new(key or current_key().secret, canonical(body).encode(), hashlib.sha256).hexdigest()


def append(actor, action: str, target: str, data=None) -> None:
    """Add one row, in the caller's transaction (or its own); the anchor follows the commit."""
    from django.db import transaction

    name = actor if isinstance(actor, str) else (getattr(actor, "username", "") or "")
    key = current_key().secret  # before the write lock: creating the key file may take a moment
    with transaction.atomic():
        mark = _insert(name, action, target, data, key)
        transaction.on_commit(lambda: anchor.advance(mark.seq, mark.hash, key, _restart_row))


def _insert(name: str, action: str, target: str, data, key: bytes) -> anchor.Mark:
    """Write the next row and move the head; the caller holds the transaction."""
    from django.utils import timezone

    from .models import AuditEntry, ChainHead

    data = json.loads(canonical(data or {}))
    head = ChainHead.objects.select_for_update().first()
    if head is None:
        head = ChainHead.objects.create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    seq = head.seq + 1
    at = timezone.now().isoformat(timespec="microseconds")
    h = row_hash(seq, at, name, action, target, data, head.hash, key)
    AuditEntry.objects.create(seq=seq, at=at, actor=name, action=action, target=target, data=data,
                              prev_hash=head.hash, hash=h)
    ChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=h)
    return anchor.Mark(seq, h)


RESTARTED = "audit.anchor_restarted"


def _restart_row(seq: int, why: str) -> anchor.Mark:
    """The permanent record that the anchor was restarted: committed before the new anchor names it."""
    from django.db import transaction

    with transaction.atomic():
        return _insert("masa (audit anchor)", RESTARTED, "audit anchor",
                       {"restarted_at": seq, "anchor": why}, current_key().secret)


@dataclass(frozen=True)
class Tamper:
    seq: int
    message: str


@dataclass
class Report:
    """What ``verify`` found: ``problems`` mean the log is not proven intact; ``notes`` inform."""

    rows: int = 0
    last: int = 0  # the newest row's number, 0 for an empty log
    problems: list[Tamper] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anchor: str = ""  # what the anchor check concluded, for the summary line
    restarts: dict[int, dict] = field(default_factory=dict)  # audit.anchor_restarted rows: seq -> data

    @property
    def intact(self) -> bool:
        return not self.problems


def _rows(a: int, b: int) -> str:
    return f"row {a} is" if a == b else f"rows {a}-{b} are"


def verify(checkpoint: anchor.Mark | None = None, checkpoint_name: str = "") -> Report:
    """Check the chain, its head, the anchor outside the database and an optional checkpoint."""
    from .models import ChainHead

    report = Report()
    key = current_key(create=False)
    if key is None:
        report.problems.append(Tamper(0, f"no audit key: {key_path()} does not exist, so no row can be "
                                         f"checked; restore the key file from a backup (or set MASA_AUDIT_KEY)"))
    elif key.built_in:
        report.problems.append(Tamper(0, f"the audit key ({key.where}) is one published in masa's source "
                                         f"code: anyone could recompute this chain, so it proves nothing. "
                                         f"Unset it to let masa create a random key file"))
    elif note := loose_permissions(key):
        report.notes.append(note)
    _walk(report, key.secret if key else None)
    head = ChainHead.objects.first()
    if head is not None:
        _against(report, anchor.Mark(head.seq, head.hash), "its head in the database")
    _check_anchor(report, key.secret if key else None)
    if checkpoint is not None:
        _against(report, checkpoint, f"checkpoint {checkpoint_name}")
    return report


def _walk(report: Report, key: bytes | None) -> None:
    """Sequence, links and (with the key) each row's own hash; runs of edited rows as ranges."""
    from .models import AuditEntry

    expected, prev, edited = 1, GENESIS, []
    for row in AuditEntry.objects.order_by("seq").iterator():
        report.rows += 1
        if row.seq > expected:
            report.problems.append(Tamper(expected, f"{_rows(expected, row.seq - 1)} missing (deleted)"))
        if row.prev_hash != prev:
            report.problems.append(Tamper(row.seq, f"row {row.seq} does not link to the row before it"))
        if key is not None and _hash_of(row, key) != row.hash:
            if edited and edited[-1][1] == row.seq - 1:
                edited[-1][1] = row.seq
            else:
                edited.append([row.seq, row.seq])
        if row.action == RESTARTED:
            report.restarts[row.seq] = row.data if isinstance(row.data, dict) else {}
        prev, expected = row.hash, row.seq + 1
    report.last = expected - 1
    for a, b in edited:
        report.problems.append(Tamper(a, f"row {a} was edited: its content no longer matches its hash" if a == b
                                      else f"rows {a}-{b} were edited: their content no longer matches their hashes"))
    for seq, data in report.restarts.items():
        at = data.get("restarted_at") if type(data.get("restarted_at")) is int else seq
        report.problems.append(Tamper(seq, (
            f"the chain is intact from row {at} on only: rows before it could not be checked against an anchor. "
            f"The anchor outside the database was {data.get('anchor') or 'missing'} when row {at} was written, "
            f"and masa restarted it at row {seq} ({RESTARTED}); rows cut from the end before then would not "
            f"show. Compare with a checkpoint exported before row {at}")))
    report.problems.sort(key=lambda p: p.seq)
    if edited:
        _legacy_hint(report, edited[0][0])


def _hash_of(row, key: bytes) -> str:
    at = row.at.isoformat(timespec="microseconds")
    return row_hash(row.seq, at, row.actor, row.action, row.target, row.data, row.prev_hash, key)


def _legacy_hint(report: Report, seq: int) -> None:
    """Before per-installation keys, rows were signed with the web secret key: say so."""
    from django.conf import settings

    from .models import AuditEntry

    row = AuditEntry.objects.get(seq=seq)
    if _hash_of(row, settings.SECRET_KEY.encode()) == row.hash:
        report.notes.append(
            f"row {seq} was signed with the web secret key (MASA_SECRET_KEY, or masa's built-in development "
            f"key), as masa did before it had its own audit key: to check such rows set MASA_AUDIT_KEY to that "
            f"secret (a built-in key still proves nothing)")


def _against(report: Report, mark: anchor.Mark, witness: str) -> bool:
    """Compare the log with a recorded point; True when it matches."""
    from .models import AuditEntry

    if mark.seq > report.last:
        report.problems.append(Tamper(report.last + 1, (
            f"{_rows(report.last + 1, mark.seq)} missing: the log ends at row {report.last} but {witness} "
            f"records row {mark.seq}")))
        return False
    if mark.seq == 0:
        return True
    stored = AuditEntry.objects.filter(seq=mark.seq).values_list("hash", flat=True).first()
    if stored is None:
        return False  # a deleted row in the middle: _walk has named it
    if stored != mark.hash:
        report.problems.append(Tamper(mark.seq, (
            f"row {mark.seq} does not match {witness}: the log was rewritten up to that row, "
            f"or this is a different database")))
        return False
    return True


def _check_anchor(report: Report, key: bytes | None) -> None:
    path = anchor.anchor_path()
    if path is None:
        report.anchor = "no anchor (in-memory database)"
        return
    if not path.exists():
        if report.last:
            report.problems.append(Tamper(report.last, (
                f"no anchor outside the database ({path} does not exist): nothing shows that the newest "
                f"rows are all there. masa writes it on every change; was it deleted or moved? (Export "
                f"checkpoints with `masa audit checkpoint` to check against.)")))
        report.anchor = f"no anchor yet at {path} (empty log)"
        return
    try:
        mark = anchor.read(path, key)
    except anchor.SignatureError as exc:
        report.problems.append(Tamper(report.last, f"the anchor outside the database is refused: {exc}"))
        return
    except anchor.MarkError as exc:
        report.problems.append(Tamper(report.last, f"the anchor outside the database is unusable: {exc}"))
        return
    if mark.restarted is not None and mark.restarted <= report.last and mark.restarted not in report.restarts:
        report.problems.append(Tamper(mark.restarted, (
            f"the anchor outside the database says it was restarted at row {mark.restarted}, but that row is "
            f"not a {RESTARTED} record")))
    if _against(report, mark, "the anchor outside the database"):
        report.anchor = f"matches the anchor at {path}"
        if mark.seq < report.last:
            report.notes.append(
                f"the anchor records row {mark.seq} of {report.last}: the newest rows were written after it "
                f"(a process stopped between saving and updating the anchor?); the next change moves it on")
