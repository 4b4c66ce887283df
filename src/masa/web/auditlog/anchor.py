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
"""

from __future__ import annotations

import json
import logging
import os
import re
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


@dataclass(frozen=True)
class Mark:
    """A point of the chain recorded outside the database: row ``seq`` had hash ``hash``."""

    seq: int
    hash: str


def anchor_path() -> Path | None:
    """``<audit folder>/<database file or name>.audit-anchor``; None for an in-memory database."""
    folder = audit_dir()
    if folder is None:
        return None
    return folder / f"{database()[1]}.audit-anchor"


RECORD = 512  # bytes; the anchor is always exactly this long


def _lock(fd: int, exclusive: bool) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)


def read(path: Path) -> Mark:
    """The mark in an anchor or checkpoint file (read under a shared lock)."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            _lock(fd, exclusive=False)
            raw = os.read(fd, 64 * 1024)
        finally:
            os.close(fd)
        return _parse(path, raw)
    except OSError as exc:
        raise MarkError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def _parse(path: Path, raw: bytes) -> Mark:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MarkError(f"{path} is not an audit anchor or checkpoint (not JSON: {exc})") from exc
    seq, h = (data.get("seq"), data.get("hash")) if isinstance(data, dict) else (None, None)
    if type(seq) is not int or seq < 0 or not isinstance(h, str) or not HEX64.fullmatch(h):
        raise MarkError(f"{path} is not an audit anchor or checkpoint (it needs a row number 'seq' "
                        f"and a 64-character hex 'hash')")
    return Mark(seq, h)


def _content(mark: Mark, kind: str) -> str:
    return json.dumps({"kind": kind, "seq": mark.seq, "hash": mark.hash, "database": database()[1][:200],
                       "written": datetime.now(UTC).isoformat(timespec="seconds")}, indent=1) + "\n"


def write(path: Path, mark: Mark) -> None:
    """Write a checkpoint: replace ``path`` atomically and wait for the disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(_content(mark, "checkpoint"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def advance(seq: int, h: str) -> None:
    """Move the anchor to row ``seq`` unless it already records that row or a later one.

    Runs after the database commit; a failure is logged, never raised (the row is stored, and
    ``masa audit verify`` will report the anchor as behind or missing).
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
            if raw:
                try:
                    if _parse(path, raw).seq >= seq:
                        return
                except MarkError:
                    pass  # a damaged anchor is replaced by a good one
            elif seq > 1:
                log.warning("masa: no audit anchor at %s; starting it at row %d", path, seq)
            os.pwrite(fd, _content(Mark(seq, h), "anchor").ljust(RECORD).encode(), 0)
            if len(raw) > RECORD:
                os.ftruncate(fd, RECORD)
        finally:
            os.close(fd)
    except OSError as exc:
        log.error("masa: could not update the audit anchor %s: %s", path, exc)
