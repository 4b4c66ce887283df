"""The anchor: the newest row's number and hash, kept in a file outside the database.

Why: someone who can write to the database can delete the newest rows and rewind
``ChainHead`` to match; the chain then looks whole. The anchor file (and any checkpoint
exported with ``masa audit checkpoint``) still records the row that was there.

The anchor is rewritten after each commit, under a file lock, and only forwards, so several
processes appending at once never move it back. It is one fixed-size record overwritten in
place: a temp file + ``os.replace`` cost about 4 ms per append on ext4 (which flushes on
rename-over), the in-place write a fraction of a millisecond. Readers take the lock too, so
they never see half a record. A crash between the commit and the write leaves the anchor a
row or two behind: that still verifies.

The anchor is signed with the audit key (HMAC-SHA256 over its row number, hash and restart
field), so rewriting it to match a cut log needs the key. An anchor that is missing, unusable
or wrongly signed while the log already has rows is never silently replaced: ``restart`` adds
an ``audit.anchor_restarted`` row first and the new anchor records that row, so ``verify`` can
say that rows before it were never checked against an anchor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

from .keys import audit_dir, database

log = logging.getLogger("masa.audit")
HEX64 = re.compile(r"[0-9a-f]{64}")


class MarkError(Exception):
    """An anchor or checkpoint file that cannot be read."""


class SignatureError(MarkError):
    """An anchor whose signature does not match: edited, or written with another key."""


@dataclass(frozen=True)
class Mark:
    """A point of the chain recorded outside the database: row ``seq`` had hash ``hash``.

    ``restarted`` is the ``audit.anchor_restarted`` row when the anchor was restarted.
    """

    seq: int
    hash: str
    restarted: int | None = None


def signature(mark: Mark, key: bytes) -> str:
    body = json.dumps({"seq": mark.seq, "hash": mark.hash, "restarted": mark.restarted},
                      sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def anchor_path() -> Path | None:
    """``<audit folder>/<database file or name>.audit-anchor``; None for an in-memory database."""
    folder = audit_dir()
    if folder is None:
        return None
    return folder / f"{database()[1]}.audit-anchor"


RECORD = 1024  # bytes; the anchor is always exactly this long


def _lock(fd: int, exclusive: bool) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)


def read(path: Path, key: bytes | None = None) -> Mark:
    """The mark in an anchor or checkpoint file (read under a shared lock).

    With ``key`` the file must carry a matching signature (anchors); checkpoints are not signed.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            _lock(fd, exclusive=False)
            raw = os.read(fd, 64 * 1024)
        finally:
            os.close(fd)
    except OSError as exc:
        raise MarkError(f"{path} cannot be read: {exc.strerror or exc}") from exc
    return _parse(path, raw, key)


def _parse(path: Path, raw: bytes, key: bytes | None = None) -> Mark:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MarkError(f"{path} is not an audit anchor or checkpoint (not JSON: {exc})") from exc
    seq, h = (data.get("seq"), data.get("hash")) if isinstance(data, dict) else (None, None)
    if type(seq) is not int or seq < 0 or not isinstance(h, str) or not HEX64.fullmatch(h):
        raise MarkError(f"{path} is not an audit anchor or checkpoint (it needs a row number 'seq' "
                        f"and a 64-character hex 'hash')")
    restarted = data.get("restarted")
    if restarted is not None and (type(restarted) is not int or restarted < 1):
        raise MarkError(f"{path} is not an audit anchor (its 'restarted' is not a row number)")
    mark = Mark(seq, h, restarted)
    if key is not None:
        sig = data.get("signature")
        if not isinstance(sig, str) or not hmac.compare_digest(sig, signature(mark, key)):
            raise SignatureError(f"{path} does not match its signature: the anchor file was edited or was "
                                 f"written with another key")
    return mark


def _content(mark: Mark, kind: str, key: bytes | None = None) -> str:
    data = {"kind": kind, "seq": mark.seq, "hash": mark.hash}
    if mark.restarted is not None:
        data["restarted"] = mark.restarted
    if key is not None:
        data["signature"] = signature(mark, key)
    data.update(database=database()[1][:200], written=datetime.now(UTC).isoformat(timespec="seconds"))
    return json.dumps(data, indent=1) + "\n"


def write(path: Path, mark: Mark, key: bytes | None = None) -> None:
    """Write a checkpoint (or, with ``key``, a signed anchor): replace ``path`` atomically and wait for the disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(_content(mark, "checkpoint") if key is None else _content(mark, "anchor", key).ljust(RECORD))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


Restart = Callable[[int, str], Mark]  # (row that found no anchor, why) -> the restart row


def advance(seq: int, h: str, key: bytes, restart: Restart | None = None) -> None:
    """Move the anchor to row ``seq`` unless it already records that row or a later one.

    Runs after the database commit; a failure is logged, never raised (the row is stored, and
    ``masa audit verify`` will report the anchor as behind or missing). When the anchor is
    missing, unusable or wrongly signed after row 1, ``restart`` first writes the permanent
    ``audit.anchor_restarted`` row (a brand-new log starts its anchor silently).
    """
    path = anchor_path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd, exclusive=True)  # released by close
            raw = os.pread(fd, 64 * 1024, 0)
            why, restarted = ("missing" if not raw else ""), None
            if raw:
                try:
                    old = _parse(path, raw, key)
                    if old.seq >= seq:
                        return
                    restarted = old.restarted
                except SignatureError:
                    why = "wrongly signed (edited, or written with another key)"
                except MarkError:
                    why = "unusable"
            mark = Mark(seq, h, restarted)
            if why and seq > 1:
                if restart is None:
                    log.error("masa: the audit anchor %s is %s; not restarting it without a record", path, why)
                    return
                log.warning("masa: the audit anchor %s is %s; restarting it after row %d and recording "
                            "that in the audit log", path, why, seq)
                try:
                    done = restart(seq, why)
                except Exception as exc:  # noqa: BLE001 - the caller's row is committed; verify will say
                    log.error("masa: could not record the restart of the audit anchor %s: %s", path, exc)
                    return
                mark = Mark(done.seq, done.hash, done.seq)
            os.pwrite(fd, _content(mark, "anchor", key).ljust(RECORD).encode(), 0)
            if len(raw) > RECORD:
                os.ftruncate(fd, RECORD)
        finally:
            os.close(fd)
    except OSError as exc:
        log.error("masa: could not update the audit anchor %s: %s", path, exc)
