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


# The findings cache. Checks are pure functions of the return, the spec and the quarterly
# returns they read, so findings are kept under a key made of content hashes: the spec's
# (``spec_key``), the return's (``row_key``: the stored answers' hash, with the row's lock
# version, period and partner; or the hash of a return that is not stored), the quarterly
# returns' and whose view of the return was checked (``scope``: ``WHOLE`` for the partner's
# own people, else the reading partnership's scope, ``masa.web.site.scoped.scope_key``). A
# save or a new spec version changes the key, so nothing is ever invalidated by hand; one
# partnership's findings, which quote its scope of a shared return, are never another's.
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 512
WHOLE = ("whole",)
_SPEC_KEYS: OrderedDict = OrderedDict()  # id(spec) -> (spec, its content hash); holding it keeps the id unique


def spec_key(spec) -> str:
    """A hash of the spec's content: its version, whichever object holds it."""
    held = _SPEC_KEYS.get(id(spec))
    if held is not None and held[0] is spec:
        return held[1]
    sha = hashlib.sha256(spec.model_dump_json().encode()).hexdigest()
    _SPEC_KEYS[id(spec)] = (spec, sha)
    while len(_SPEC_KEYS) > 32:
        _SPEC_KEYS.popitem(last=False)
    return sha


def row_key(row) -> tuple:
    """Identifies a stored return's content: its answers' hash; saves and workflow moves also
    change the lock version. The period and partner are the row's own."""
    return ("row", row.pk, row.content_sha256, row.lock_version, str(row.updated_at))


def _content_key(ret: Return) -> str:
    return hashlib.sha256(ret.model_dump_json().encode()).hexdigest()


def _cached(key: tuple, compute) -> list[Finding]:
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    found = compute()
    _CACHE[key] = found
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return found


def findings_for(spec, ret: Return, key: tuple | None = None, quarters: list[Return] | tuple = (),
                 quarter_keys: tuple | None = None, scope: tuple = WHOLE,
                 siblings: list[Return] | tuple = ()) -> list[Finding]:
    """Findings about one return, cached by content (checks are pure functions of it).

    ``quarters`` are the same partner's quarterly returns of a yearly return's year: the year's
    checks compare them with its stated figures (``figure.year-differs-from-quarters``,
    ``figure.quarters-missing``), so their content is part of the cache key (``quarter_keys``,
    their row keys, or their content hashes). ``siblings`` are the partner's other returns the
    report publishes beside it (``sibling_rows``: other templates of the period, last year's;
    ``SIBLING_CHECKS`` read them; their content is part of the key too). ``scope``: whose view of the return ``ret`` is."""
    if quarter_keys is None:
        quarter_keys = tuple(_content_key(q) for q in quarters)
    full = (spec_key(spec), key or _content_key(ret), tuple(quarter_keys), scope,
            tuple(_content_key(s) for s in siblings))
    return _cached(full, lambda: _findings(spec, ret, list(quarters), list(siblings)))


def error_findings(spec, ret: Return, siblings: list[Return] | tuple | None = None,
                   quarters: list[Return] | tuple = ()) -> list[Finding]:
    """The error findings about a return: each blocks approval and publication, whether the
    return arrives through the workflow or claims approval in a file (``masa load``,
    ``masa report build --from-folder``). ``siblings``: the partner's other returns the report
    publishes beside it (``companions_in``); None reads the stored ones. ``quarters``: the
    partner's quarterly returns of a yearly return's year (a year made from its quarters is
    hidden or shown by them)."""
    if siblings is None:
        siblings = stored_companions(ret)
    return [f for f in findings_for(spec, ret, quarters=quarters, siblings=siblings) if f.severity == "error"]


def hidden_across(spec, ret: Return, tables: list[tuple]) -> list[Finding]:
    """``privacy.suppressed-figure`` errors about ``ret``'s own text (and titles) against the
    partner's cells as several partnerships publish them, read as one table: ``tables`` holds
    (that partnership's spec, the partner's returns as it publishes them). A part written for
    all of a shared partner's areas is published by each partnership, so "7 boys in Bedford",
    or "14 boys across Luton and Bedford" beside Luton's printed 7, gives away Bedford
    Borough's 'c'."""
    from masa.checks.suppressed import given_away, published_cells

    cells = [c for other_spec, returns in tables
             for c in published_cells(other_spec, Dataset(spec=other_spec, returns=returns), ret.partner, ret.period)]
    key = "/".join(ret.key())
    out = []
    for label, text in [*ret.text_blocks(), *ret.title_blocks()]:
        for start, end, message in given_away(spec, {ret.partner: cells}, text, ret.period):
            out.append(Finding("error", message, f"{key} {label}", text[start:end], SIBLING_CHECKS[0]))
    return out


def companions_in(returns, ret: Return) -> list[Return]:
    """The partner's returns among ``returns`` (a folder's) that the report publishes beside
    ``ret``: its other templates of the period, the period's quarters and last year's (whose
    figures are the report's comparison column)."""
    periods = _beside_periods(ret.period)
    return [r for r in returns if r.partner == ret.partner and r.period in periods
            and (r.period, r.template) != (ret.period, ret.template)]


def stored_companions(ret: Return, besides: list[Return] = ()) -> list[Return]:
    """``companions_in`` over the stored returns, less any of ``besides`` (a folder's own)."""
    from masa.web import store

    have = {(r.period, r.template) for r in besides}
    return [store.return_from_row(r) for r in _companion_rows(ret.partner, ret.period, ret.template)
            if (r.period.code, r.template.code) not in have]


def _beside_periods(period: str) -> set[str]:
    from masa.spec.periods import parse_period, shift_period

    try:
        p = parse_period(period)
    except (TypeError, ValueError):
        return {period}
    found = {period, shift_period(period, -1)}
    if p.kind == "year":
        found |= set(quarter_codes(period))
    return found


def _companion_rows(partner: str, period: str, template: str, quarters: bool = True) -> list:
    from masa.web.core.models import Return as Row

    periods = _beside_periods(period) - (set() if quarters else set(quarter_codes(period)))
    return list(Row.objects.filter(partner__code=partner, period__code__in=periods)
                .exclude(period__code=period, template__code=template)
                .select_related("partner", "period", "template").order_by("period__code", "template__code"))


def sibling_rows(row) -> list:
    """The stored returns the report publishes beside a row, less its quarters (which
    ``quarter_rows`` gives): the partner's other templates of the period (an Appendix C answer
    is published beside the Appendix B table) and last year's returns (the table's comparison
    column), so ``SIBLING_CHECKS`` read what the report hides in each."""
    return _companion_rows(row.partner.code, row.period.code, row.template.code, quarters=False)


def unearned_approval(spec, ret: Return, siblings: list[Return] | tuple | None = None) -> str:
    """Why a return that arrives by file saying it is approved or published may not be, or "".
    ``siblings``: ``companions_in`` the file's folder (and, loading into a database, the stored
    ones the folder does not hold)."""
    if ret.status not in PUBLIC_STATUSES:
        return ""
    own = "/".join(ret.key())
    errors = sorted(error_findings(spec, ret, siblings), key=lambda f: not f.location.startswith(own))
    if not errors:
        return ""
    first = errors[0]
    where = "" if first.location.startswith(own) or "/" not in first.location.split(" ")[0] else (
        f" (in the {first.location.split(' ')[0].replace('/', ' ')} return)")  # a sentence of another return
    return (f"the file says {ret.status}, but the checks find {len(errors)} error(s), for example: "
            f"{first.message}{where}")


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


def findings_for_row(spec, row, ret: Return | None = None, scope=None, scope_key: tuple = WHOLE,
                     stored: bool = False, quarters: list | None = None, siblings: list | None = None,
                     beside_scope=None) -> list[Finding]:
    """Findings about a stored return, with its partner's quarterly returns of the year and the
    other returns the report publishes beside it (``siblings``, rows: ``sibling_rows``).

    Without ``ret``: the stored return, whole, cached by the rows' keys. With ``ret``, the
    return as the page shows it: with ``stored``, it is the stored return as the reader
    ``scope_key`` names sees it (``scoped.for_reader``), cached by the rows' keys and that
    scope; else it may be refused input, not stored, and is cached by its content (and
    ``scope_key``). ``scope`` (Return -> Return) is applied to the quarterly and sibling
    returns when ``ret`` is one partnership's scope of the year's, so a business unit's checks
    read of each as much as of the other, and quote no part about another partnership's areas.
    ``quarters``, ``siblings``: the rows (``quarter_rows(row)``, ``sibling_rows(row)``), when
    the caller has them. ``beside_scope`` (Return -> Return): the reader's scope of each
    sibling, for a reader whose scope ``scope_key`` names, so the findings about a sibling quote
    only what that reader may read of it."""
    from masa.web import store

    quarters = quarter_rows(row) if quarters is None else list(quarters)
    siblings = sibling_rows(row) if siblings is None else list(siblings)
    keys = tuple(row_key(q) for q in quarters) + (("siblings",) + tuple(row_key(s) for s in siblings)
                                                   if siblings else ())
    if scope is None and (ret is None or stored):
        key = (spec_key(spec), row_key(row), keys, scope_key if ret is not None else WHOLE)
        return _cached(key, lambda: _findings(spec, ret if ret is not None else store.return_from_row(row),
                                              [store.return_from_row(q) for q in quarters],
                                              [(beside_scope or _same)(store.return_from_row(s)) for s in siblings]))
    read = [store.return_from_row(q) for q in quarters]
    beside = [(beside_scope or _same)(store.return_from_row(s)) for s in siblings]
    keys = tuple(row_key(q) for q in quarters)
    if scope is not None:
        read = [scope(q) for q in read]
        beside = [scope(s) for s in beside]
        keys = None  # cached by the scoped content
        ret = scope(ret if ret is not None else store.return_from_row(row))
    return findings_for(spec, ret if ret is not None else store.return_from_row(row), quarters=read,
                        quarter_keys=keys, scope=scope_key, siblings=beside)


def _same(ret: Return) -> Return:
    return ret


QUARTER_CHECKS = ("figure.year-differs-from-quarters", "figure.quarters-missing")
# Checks that compare a return with the partner's other returns of the period, and whose
# findings about those are shown on this return's page too: a table's page says which
# sentence of the partner's other return states a figure the table now hides.
SIBLING_CHECKS = ("privacy.suppressed-figure",)


def _findings(spec, ret: Return, quarters: list[Return] = (), siblings: list[Return] = ()) -> list[Finding]:
    """The storage gate's references plus the checks engine (which runs the spec's rules too);
    without the engine, the gate's own rule evaluation stands in. The quarterly returns are
    read only by the year-from-quarters checks, the siblings only by ``SIBLING_CHECKS``;
    findings about them otherwise belong on their own pages."""
    def gate(problems):
        return [Finding(p.severity, p.message, ".".join(str(x) for x in p.loc), "", "rule") for p in problems]

    out = gate(reference_problems(spec, ret))
    try:
        from masa.checks import check_dataset
    except Exception:
        return out + gate(rule_problems(spec, ret))
    try:
        found = check_dataset(Dataset(spec=spec, returns=[ret, *quarters]), ret.period)
        if siblings:  # only the checks that compare across templates read the other returns
            found = [f for f in found if f.code not in SIBLING_CHECKS] + check_dataset(
                Dataset(spec=spec, returns=[ret, *quarters, *siblings]), ret.period, codes=SIBLING_CHECKS)
    except Exception as exc:  # a crashing engine is reported, never a silent pass
        return out + [Finding("error", f"the checks engine crashed: {type(exc).__name__}: {exc}", "", "", "crashed")]
    own = "/".join(ret.key())
    beside = {"/".join(s.key()) for s in siblings}
    for f in found:
        partner = getattr(f, "partner", None)
        if partner and partner != ret.partner:
            continue
        if getattr(f, "scope", "") == "report":
            continue  # about the whole yearly report (e.g. Working Together items), not this return
        code = str(getattr(f, "code", "") or "")
        loc = getattr(f, "location", None)
        where_key = getattr(loc, "return_key", None)
        if where_key in beside and code not in SIBLING_CHECKS:
            continue  # about the partner's other return: shown on its own page
        if (quarters and code not in QUARTER_CHECKS and where_key not in (None, own) and where_key not in beside):
            continue  # about one of the quarterly returns: shown on its own page
        where = loc.label() if hasattr(loc, "label") else str(loc or "")
        out.append(Finding(str(getattr(f, "severity", "info")), str(getattr(f, "message", f)), where, str(getattr(f, "quote", "") or ""),
                           code))
    return out
