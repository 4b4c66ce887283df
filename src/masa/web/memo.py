"""Reads done once per request: which partnerships are stored, their names, the
installation's default one.

Many helpers ask these (every role check, the partnership middleware, the switcher, the
review statuses), and each asked the database again: a return page read the list of stored
partnerships about ten times. Inside a request (``PartnershipMiddleware`` opens and closes
the memo) each is read once; outside one (the command line, the worker, tests calling a
helper directly) nothing is remembered. A request that stores a spec (the first-run screen,
setup) forgets what it read (``store.store_spec`` calls ``forget``), so it never acts on a
list of partnerships that its own write made stale.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("masa_request_memo", default=None)


def begin():
    """Start remembering for this request; pass the token to ``end``."""
    return _memo.set({})


def end(token) -> None:
    _memo.reset(token)


def forget() -> None:
    """Drop what this request remembered (after a write that changes it)."""
    held = _memo.get()
    if held is not None:
        held.clear()


def per_request(fn):
    """Remember ``fn(*args)`` for the rest of the request (arguments must be hashable).

    A list or dict result is copied on the way out, so a caller that changes it does not
    change what the next caller reads."""
    @functools.wraps(fn)
    def wrapper(*args):
        held = _memo.get()
        if held is None:
            return fn(*args)
        key = (fn.__module__, fn.__qualname__, args)
        if key not in held:
            held[key] = fn(*args)
        value = held[key]
        return value.copy() if isinstance(value, (list, dict, set)) else value

    return wrapper
