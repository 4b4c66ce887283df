"""Audit-log entries for changes made from the command line.

A web change names the signed-in user; a CLI change has no such user, so it names the
operating-system account and the command line that made it. Call ``invocation()`` once in a
command and pass it to the store, or ``record()`` directly for a change of your own.
"""

from __future__ import annotations

import getpass
import os
import shlex
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Invocation:
    """Who ran which command: what every CLI audit entry carries."""

    os_user: str
    command: str

    @property
    def actor(self) -> str:
        return f"{self.os_user} (command line)"


def invocation(argv: list[str] | None = None) -> Invocation:
    """This process's command line and operating-system user."""
    args = ["masa", *list(sys.argv if argv is None else argv)[1:]]  # argv[0] may be a path or __main__.py
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER: still record the uid
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return Invocation(os_user=user, command=shlex.join(args))


def record(who: Invocation | None, action: str, target: str, data: dict | None = None) -> None:
    """Append one entry for a CLI change, in the caller's transaction."""
    from .chain import append

    who = who or invocation()
    append(who.actor, action, target, {**(data or {}), "command": who.command, "os_user": who.os_user})
