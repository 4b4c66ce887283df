"""The seam to the checks engine (``masa.checks.check_dataset``), which is optional here.

If the engine is not importable the web app still works and says so; the storage gate
(reference and rule problems from ``masa.returns``) always runs.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from masa.returns import PUBLIC_STATUSES, Dataset, Return, reference_problems, rule_problems


@dataclass(frozen=True)
class Finding:
    severity: str  # error | query | info
    message: str
    location: str = ""
    quote: str = ""
    code: str = ""


def engine_available() -> bool:
    try:
        from masa.checks import check_dataset  # noqa: F401
    except Exception:
        return False
    return True


_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 512


def row_key(row) -> tuple:
    """Identifies a stored return's content: saves change the hash or the lock version."""
    return ("row", row.pk, row.content_sha256, row.lock_version, str(row.updated_at))


def findings_for(spec, ret: Return, key: tuple | None = None) -> list[Finding]:
    """Findings about one return, cached by content (checks are pure functions of it)."""
    key = (id(spec), key or hashlib.sha256(ret.model_dump_json().encode()).hexdigest())
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    found = _findings(spec, ret)
    _CACHE[key] = found
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return found


def error_findings(spec, ret: Return) -> list[Finding]:
    """The error findings about a return: each blocks approval and publication, whether the
    return arrives through the workflow or claims approval in a file (``masa load``,
    ``masa report build --from-folder``)."""
    return [f for f in findings_for(spec, ret) if f.severity == "error"]


def unearned_approval(spec, ret: Return) -> str:
    """Why a return that arrives by file saying it is approved or published may not be, or ""."""
    if ret.status not in PUBLIC_STATUSES:
        return ""
    errors = error_findings(spec, ret)
    if not errors:
        return ""
    return (f"the file says {ret.status}, but the checks find {len(errors)} error(s), for example: "
            f"{errors[0].message}")


def cached_for_row(spec, row) -> list[Finding] | None:
    return _CACHE.get((id(spec), row_key(row)))


def _findings(spec, ret: Return) -> list[Finding]:
    """The storage gate's references plus the checks engine (which runs the spec's rules too);
    without the engine, the gate's own rule evaluation stands in."""
    def gate(problems):
        return [Finding(p.severity, p.message, ".".join(str(x) for x in p.loc), "", "rule") for p in problems]

    out = gate(reference_problems(spec, ret))
    try:
        from masa.checks import check_dataset
    except Exception:
        return out + gate(rule_problems(spec, ret))
    try:
        found = check_dataset(Dataset(spec=spec, returns=[ret]), ret.period)
    except Exception as exc:  # a crashing engine is reported, never a silent pass
        return out + [Finding("error", f"the checks engine crashed: {type(exc).__name__}: {exc}", "", "", "crashed")]
    for f in found:
        partner = getattr(f, "partner", None)
        if partner and partner != ret.partner:
            continue
        if getattr(f, "scope", "") == "report":
            continue  # about the whole yearly report (e.g. Working Together items), not this return
        loc = getattr(f, "location", None)
        where = loc.label() if hasattr(loc, "label") else str(loc or "")
        out.append(Finding(str(getattr(f, "severity", "info")), str(getattr(f, "message", f)), where, str(getattr(f, "quote", "") or ""),
                           str(getattr(f, "code", "") or "")))
    return out
