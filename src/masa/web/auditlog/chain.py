"""Append to and verify the hash-chained audit log.

hash(row) = HMAC-SHA256(key, canonical JSON of the row's fields including the previous row's
hash). Editing any row breaks its own hash; deleting a row breaks the sequence and the next
row's link; deleting the newest rows disagrees with ``ChainHead``. The key lives outside the
database (``MASA_AUDIT_KEY``, else the secret key), so someone who can write to the database
but not read the server's settings cannot recompute a consistent chain after tampering.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(seq: int, at: str, actor: str, action: str, target: str, data, prev_hash: str) -> str:
    body = {"seq": seq, "at": at, "actor": actor, "action": action, "target": target, "data": data,
            "prev": prev_hash}
    return hmac.new(_key(), canonical(body).encode(), hashlib.sha256).hexdigest()


def _key() -> bytes:
    from django.conf import settings

    return (os.environ.get("MASA_AUDIT_KEY") or settings.SECRET_KEY).encode()


def append(actor, action: str, target: str, data=None) -> None:
    """Add one row, in the caller's transaction (or its own)."""
    from django.db import transaction
    from django.utils import timezone

    from .models import AuditEntry, ChainHead

    name = actor if isinstance(actor, str) else (getattr(actor, "username", "") or "")
    data = json.loads(canonical(data or {}))
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().first()
        if head is None:
            head = ChainHead.objects.create(pk=1)
            head = ChainHead.objects.select_for_update().get(pk=1)
        seq = head.seq + 1
        at = timezone.now().isoformat(timespec="microseconds")
        h = row_hash(seq, at, name, action, target, data, head.hash)
        AuditEntry.objects.create(seq=seq, at=at, actor=name, action=action, target=target, data=data,
                                  prev_hash=head.hash, hash=h)
        ChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=h)


@dataclass(frozen=True)
class Tamper:
    seq: int
    message: str


def verify() -> tuple[int, list[Tamper]]:
    """(rows checked, problems). Each problem names the row (by sequence number)."""
    from .models import AuditEntry, ChainHead

    problems: list[Tamper] = []
    expected_seq, prev = 1, GENESIS
    n = 0
    for row in AuditEntry.objects.order_by("seq").iterator():
        n += 1
        at = row.at.isoformat(timespec="microseconds")
        while row.seq > expected_seq:
            problems.append(Tamper(expected_seq, f"row {expected_seq} is missing (deleted)"))
            expected_seq += 1
        if row.prev_hash != prev:
            problems.append(Tamper(row.seq, f"row {row.seq} does not link to the row before it"))
        if row_hash(row.seq, at, row.actor, row.action, row.target, row.data, row.prev_hash) != row.hash:
            problems.append(Tamper(row.seq, f"row {row.seq} was edited: its content no longer matches its hash"))
        prev, expected_seq = row.hash, row.seq + 1
    head = ChainHead.objects.first()
    if head is not None and head.seq >= expected_seq:
        for s in range(expected_seq, head.seq + 1):
            problems.append(Tamper(s, f"row {s} is missing (deleted from the end of the log)"))
    elif head is not None and head.hash != prev and not problems:
        problems.append(Tamper(head.seq, f"row {head.seq} does not match the recorded head of the log"))
    return n, problems
