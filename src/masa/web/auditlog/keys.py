"""Where the audit log's files live, and its HMAC key.

The key must not be in the database (someone who can write there could then recompute a
consistent chain) and must not be in the source code (then everyone has it). So the first
append creates a random per-installation key file, mode 0600, and says where.

Files live in the *audit folder*: ``MASA_AUDIT_DIR``; else, for an SQLite file database,
the folder holding it; else ``$XDG_DATA_HOME/masa`` (``~/.local/share/masa``).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("masa.audit")

# Keys published in masa's source code: settings.SECRET_KEY's default, which the audit key
# fell back to before per-installation keys. A chain signed with one proves nothing.
BUILT_IN_KEYS = frozenset({"insecure-development-key-change-me"})
KEY_FILE_NAME = "audit.key"


class AuditKeyError(Exception):
    """The key file exists but cannot be used (unreadable or empty)."""


@dataclass(frozen=True)
class Key:
    secret: bytes
    where: str  # "MASA_AUDIT_KEY", the key file's path, or "memory"
    built_in: bool  # published in masa's source code


def database() -> tuple[Path | None, str]:
    """(folder of the SQLite file or None, a file-name-safe label naming this database)."""
    from django.db import connection

    s = connection.settings_dict
    memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return _database(connection.vendor, str(s.get("NAME") or ""), str(s.get("HOST") or ""), memory)


@functools.lru_cache(maxsize=16)
def _database(vendor: str, name: str, host: str, memory: bool) -> tuple[Path | None, str]:
    if memory:
        return None, "memory"
    if vendor == "sqlite":
        path = Path(name).resolve()
        return path.parent, path.name
    return None, re.sub(r"[^A-Za-z0-9._@-]", "_", f"{name or 'db'}@{host or 'localhost'}")


def audit_dir() -> Path | None:
    """The folder for the key and the anchor; None for an in-memory database (tests)."""
    if os.environ.get("MASA_AUDIT_DIR"):
        return Path(os.environ["MASA_AUDIT_DIR"])
    folder, label = database()
    if folder is not None:
        return folder
    if label == "memory":
        return None
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "masa"


def key_path() -> Path | None:
    if os.environ.get("MASA_AUDIT_KEY_FILE"):
        return Path(os.environ["MASA_AUDIT_KEY_FILE"])
    folder = audit_dir()
    return folder / KEY_FILE_NAME if folder is not None else None


_cache: dict[tuple, Key] = {}
_memory_key = secrets.token_hex(32)  # an in-memory database lives no longer than this process


def current_key(create: bool = True) -> Key | None:
    """The key in use: ``MASA_AUDIT_KEY``, else the key file (created if ``create``).

    None only when there is no key file and ``create`` is false.
    """
    env = os.environ.get("MASA_AUDIT_KEY")
    if env:
        return Key(env.encode(), "MASA_AUDIT_KEY", env in BUILT_IN_KEYS)
    path = key_path()
    if path is None:
        return Key(_memory_key.encode(), "memory", False)
    cached = _cache.get((str(path),))
    if cached is not None:
        return cached
    if not path.exists():
        if not create:
            return None
        _create(path)
    key = _read(path)
    _cache[(str(path),)] = key
    return key


def _read(path: Path) -> Key:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditKeyError(f"the audit key file {path} cannot be read: {exc}") from exc
    if not text:
        raise AuditKeyError(f"the audit key file {path} is empty; restore it from a backup")
    return Key(text.encode(), str(path), text in BUILT_IN_KEYS)


def _create(path: Path) -> None:
    """Write a new random key atomically: two processes starting at once end up with one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process created the key first: then use theirs
    except FileExistsError:
        return
    finally:
        tmp.unlink()
    log.warning("masa: created the audit log key %s (mode 0600). Back it up with the database: "
                "without it the audit log cannot be verified.", path)


def loose_permissions(key: Key) -> str | None:
    """A note when the key file can be read by other users."""
    if key.where in ("MASA_AUDIT_KEY", "memory"):
        return None
    try:
        mode = stat.S_IMODE(os.stat(key.where).st_mode)
    except OSError:
        return None
    if mode & 0o077:
        return f"the audit key file {key.where} can be read by other users (mode {mode:04o}): chmod 600 it"
    return None
