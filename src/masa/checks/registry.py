"""The check registry: every check's code, title, severity, scope and rationale, and how it runs.

Checks are functions ``run(ctx, check) -> Iterable[Finding]`` registered with :func:`check`,
or declarative entries (``data/*.yaml``) bound to one generic implementation per pattern
(see :mod:`masa.checks.declarative`). A check that raises becomes a ``crashed`` finding: it
is never counted as passed.
"""

from __future__ import annotations

import bisect
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .finding import Finding, Location, Scope
from .text import Para, Source


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    severity: str  # default severity of its findings: error | query | info
    scope: Scope
    rationale: str
    run: Callable[[Ctx, Check], Iterable[Finding]]
    modes: tuple[str, ...] = ("documents", "dataset")
    entry: dict | None = None  # the declarative entry, for pattern checks
    # Declared examples, run by tests/checks/test_every_check.py: each is the text of one file, or a
    # tuple of texts (several files checked as one report). A title line is added when a text has none.
    fails: tuple = ()
    passes: tuple = ()


REGISTRY: dict[str, Check] = {}


def register(c: Check) -> Check:
    if c.code in REGISTRY and REGISTRY[c.code].run is not c.run:
        raise ValueError(f"duplicate check code {c.code!r}")
    REGISTRY[c.code] = c
    return c


def extend(code: str, run: Callable[[Ctx, Check], Iterable[Finding]], *, fails: tuple = (), passes: tuple = ()) -> Check:
    """Add a second part to a registered check (same code, title and severity): its findings follow the
    check's own, less any on words the check's own findings already cover; its examples join the check's."""
    base = REGISTRY[code]

    def both(ctx, c):
        first = list(base.run(ctx, c))
        yield from first
        taken = [(f.location.file, f.location.return_key, f.location.section, f.location.start, f.location.end)
                 for f in first if f.location and f.location.start is not None]
        for f in run(ctx, c):
            loc = f.location
            if loc and loc.start is not None and any(
                    (fl, rk, sec) == (loc.file, loc.return_key, loc.section) and a < loc.end and loc.start < b
                    for fl, rk, sec, a, b in taken):
                continue
            yield f

    REGISTRY[code] = replace(base, run=both, fails=base.fails + tuple(fails), passes=base.passes + tuple(passes))
    return REGISTRY[code]


def check(code: str, title: str, severity: str, scope: Scope, rationale: str,
          modes: tuple[str, ...] = ("documents", "dataset"), *, fails: tuple = (), passes: tuple = ()):
    """Decorator: register a function as a check, with the texts it must flag (``fails``) and
    must leave alone (``passes``)."""

    def wrap(fn):
        register(Check(code, title, severity, scope, rationale, fn, modes, fails=tuple(fails),
                       passes=tuple(passes)))
        return fn

    return wrap


@dataclass
class Ctx:
    """What a check reads: the sources (files or return blocks), the spec, the period, the dataset."""

    sources: list[Source]
    spec: object | None = None
    period: str | None = None
    mode: str = "documents"
    dataset: object | None = None
    headings: dict[str, list] = field(default_factory=dict)  # source name -> [Heading]
    assurance: object | None = None  # the partnership's stored assurance (masa.assurance.book.Book), if any
    cache: dict[str, object] = field(default_factory=dict)

    def cached(self, key: str, make: Callable[[], object]):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def paras(self) -> Iterable[Para]:
        for s in self.sources:
            yield from s.paras

    def para_at(self, source: Source, offset: int) -> Para | None:
        starts = self.cached(f"starts:{id(source)}", lambda: [p.start for p in source.paras])
        i = bisect.bisect_right(starts, offset) - 1
        return source.paras[i] if i >= 0 else None

    def finding(self, c: Check, source: Source, start: int, end: int, message: str, *,
                severity: str | None = None, partner: str | None = None, expected: str | None = None,
                expected_value: float | None = None, related: list[Location] | None = None,
                code: str | None = None) -> Finding:
        para = self.para_at(source, start)
        if partner is None:
            partner = (para.partner if para else None) or source.partner
        return Finding(
            code=code or c.code, title=c.title, severity=severity or c.severity, scope=c.scope,
            message=message, partner=partner, period=source.period or self.period,
            quote=source.text[start:end], location=source.location(start, end, para.partner_name if para else None),
            expected=expected, expected_value=expected_value, related=related or [])

    def report_finding(self, c: Check, message: str, *, severity: str | None = None) -> Finding:
        """A finding about the whole report, with no single span."""
        return Finding(code=c.code, title=c.title, severity=severity or c.severity, scope=c.scope,
                       message=message, period=self.period)


def run_checks(ctx: Ctx, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered check for this mode; a check that raises is reported as crashed."""
    from . import catalogue  # noqa: F401  (registers the built-in checks)

    selected = [REGISTRY[c] for c in codes] if codes else list(REGISTRY.values())
    out: list[Finding] = []
    for c in selected:
        if ctx.mode not in c.modes:
            continue
        try:
            out.extend(c.run(ctx, c))
        except Exception as exc:  # noqa: BLE001 - the point is to never lose a failure
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(Finding(code=c.code, title=c.title, severity="crashed", scope=c.scope,
                               message=f"the check crashed: {type(exc).__name__}: {exc} "
                                       f"({tb.filename.rsplit('/', 1)[-1]}:{tb.lineno})",
                               period=ctx.period))
    return out
