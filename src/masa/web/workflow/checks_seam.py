"""The seam to the checks engine (``masa.checks.check_dataset``), which is optional here.

If the engine is not importable the web app still works and says so; the storage gate
(reference and rule problems from ``masa.returns``) always runs.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from masa.returns import PUBLIC_STATUSES, Dataset, Return, reference_problems, rule_problems
from masa.returns.quarters import quarter_codes


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


def _content_key(ret: Return) -> str:
    return hashlib.sha256(ret.model_dump_json().encode()).hexdigest()


def findings_for(spec, ret: Return, key: tuple | None = None, quarters: list[Return] | tuple = (),
                 quarter_keys: tuple | None = None) -> list[Finding]:
    """Findings about one return, cached by content (checks are pure functions of it).

    ``quarters`` are the same partner's quarterly returns of a yearly return's year: the year's
    checks compare them with its stated figures (``figure.year-differs-from-quarters``,
    ``figure.quarters-missing``), so their content is part of the cache key (``quarter_keys``,
    their row keys, or their content hashes)."""
    if quarter_keys is None:
        quarter_keys = tuple(_content_key(q) for q in quarters)
    key = (id(spec), key or _content_key(ret), tuple(quarter_keys))
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    found = _findings(spec, ret, list(quarters))
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


def quarter_rows(row) -> list:
    """The stored quarterly returns of a yearly return's partner and year ([] for a quarter's)."""
    from masa.spec import parse_period
    from masa.web.core.models import Return as Row

    code = row.period.code
    try:
        if parse_period(code).kind != "year":
            return []
    except (TypeError, ValueError):
        return []
    return list(Row.objects.filter(partner_id=row.partner_id, period__code__in=quarter_codes(code))
                .select_related("partner", "period", "template").order_by("period__code", "template__code"))


def findings_for_row(spec, row, ret: Return | None = None, scope=None) -> list[Finding]:
    """Findings about a stored return, with its partner's quarterly returns of the year.
    Cached by the rows' keys; with ``ret`` (the return as the page shows it, which may be
    refused input not stored), by its content instead. ``scope`` (Return -> Return) is
    applied to the quarterly returns when ``ret`` is one partnership's scope of the year's,
    so a business unit's checks read of each as much as of the other, and quote no part
    about another partnership's areas."""
    from masa.web import store

    quarters = quarter_rows(row)
    keys = tuple(row_key(q) for q in quarters)
    if ret is None and scope is None:
        hit = cached_for_row(spec, row, keys)
        if hit is not None:
            return hit
    read = [store.return_from_row(q) for q in quarters]
    if scope is not None:
        read = [scope(q) for q in read]
        keys = None  # cached by the scoped content
        ret = scope(ret if ret is not None else store.return_from_row(row))
    return findings_for(spec, ret if ret is not None else store.return_from_row(row),
                        key=row_key(row) if ret is None else None,
                        quarters=read, quarter_keys=keys)


def cached_for_row(spec, row, quarter_keys: tuple = ()) -> list[Finding] | None:
    return _CACHE.get((id(spec), row_key(row), tuple(quarter_keys)))


QUARTER_CHECKS = ("figure.year-differs-from-quarters", "figure.quarters-missing")


def _findings(spec, ret: Return, quarters: list[Return] = ()) -> list[Finding]:
    """The storage gate's references plus the checks engine (which runs the spec's rules too);
    without the engine, the gate's own rule evaluation stands in. The quarterly returns are
    read only by the year-from-quarters checks; findings about them otherwise belong on
    their own pages."""
    def gate(problems):
        return [Finding(p.severity, p.message, ".".join(str(x) for x in p.loc), "", "rule") for p in problems]

    out = gate(reference_problems(spec, ret))
    try:
        from masa.checks import check_dataset
    except Exception:
        return out + gate(rule_problems(spec, ret))
    try:
        found = check_dataset(Dataset(spec=spec, returns=[ret, *quarters]), ret.period)
    except Exception as exc:  # a crashing engine is reported, never a silent pass
        return out + [Finding("error", f"the checks engine crashed: {type(exc).__name__}: {exc}", "", "", "crashed")]
    for f in found:
        partner = getattr(f, "partner", None)
        if partner and partner != ret.partner:
            continue
        if getattr(f, "scope", "") == "report":
            continue  # about the whole yearly report (e.g. Working Together items), not this return
        loc = getattr(f, "location", None)
        if (quarters and getattr(f, "code", "") not in QUARTER_CHECKS
                and getattr(loc, "return_key", None) not in (None, "/".join(ret.key()))):
            continue  # about one of the quarterly returns: shown on its own page
        where = loc.label() if hasattr(loc, "label") else str(loc or "")
        out.append(Finding(str(getattr(f, "severity", "info")), str(getattr(f, "message", f)), where, str(getattr(f, "quote", "") or ""),
                           str(getattr(f, "code", "") or "")))
    return out
