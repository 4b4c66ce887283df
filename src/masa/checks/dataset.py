"""Check stored returns: ``check_dataset(dataset, period)`` runs the same registry over every
narrative block (``Return.text_blocks()``) and title (``Return.title_blocks()``), the figures (DataValues) with the spec's rules,
and the stored values of the previous period."""

from __future__ import annotations

from .claims import figures
from .documents import sort_findings
from .finding import Finding, Location
from .registry import Ctx, check, run_checks
from .text import Source


def dataset_ctx(dataset, period: str | None = None, assurance=None) -> Ctx:
    spec = dataset.spec
    period = period or spec.periods.current
    sources = []
    for r in dataset.returns:
        if r.period != period:
            continue
        key = "/".join(r.key())
        for label, text in [*r.text_blocks(), *r.title_blocks()]:
            if not text.strip():
                continue
            src = Source(f"{key} {label}", text, return_key=key, section=label, partner=r.partner, period=r.period)
            src.split()
            sources.append(src)
    return Ctx(sources=sources, spec=spec, period=period, mode="dataset", dataset=dataset, assurance=assurance)


def check_dataset(dataset, period: str | None = None, codes=None, assurance=None) -> list[Finding]:
    """Findings for one period's stored returns (errors, queries and info), sorted by place;
    ``assurance``: the partnership's stored ``masa.assurance.book.Book``, which the Working
    Together items on practice reviews and scrutiny read instead of the prose."""
    return sort_findings(run_checks(dataset_ctx(dataset, period, assurance), codes))


@check("figure.sentence-mismatch", "Stored figure differs from the sentence it was read from", "query", "figure",
       "A figure imported from prose must still say what the prose says; a mismatch means one was edited.",
       modes=("dataset",))
def sentence_mismatch(ctx: Ctx, chk):
    yield from _prose_against_stored(ctx, chk)
    for r in ctx.dataset.returns:
        if r.period != ctx.period:
            continue
        for i, v in enumerate(r.values):
            sent = v.provenance.sentence
            if v.value is None or not sent:
                continue
            found = figures(sent)
            if found and not any(abs(f.value - v.value) < 0.051 for f in found):
                yield Finding(code=chk.code, title=chk.title, severity=chk.severity, scope=chk.scope, partner=r.partner,
                              period=v.period or r.period, quote=sent,
                              message=f"{v.indicator} is stored as {v.value:g}, but its source sentence gives "
                                      f"{', '.join(f.text.strip() for f in found)}",
                              location=Location(return_key="/".join(r.key()), file=r.source or None,
                                                section=f"values[{i}]"))


@check("attachment.status", "Attachment recorded as missing or broken", "error", "return",
       "A return that promises a document (a quarterly report for an area) must include it.", modes=("dataset",))
def attachment_status(ctx: Ctx, chk):
    for r in ctx.dataset.returns:
        if r.period != ctx.period:
            continue
        for i, a in enumerate(r.attachments):
            if a.status != "present":
                yield Finding(code=chk.code, title=chk.title, severity=chk.severity, scope=chk.scope, partner=r.partner,
                              period=a.period or r.period, quote=a.filename or a.label,
                              message=f"attachment '{a.label}' is {a.status}"
                                      f"{' (file name ' + repr(a.filename) + ')' if a.filename else ''}",
                              location=Location(return_key="/".join(r.key()), file=r.source or None,
                                                section=f"attachments[{i}]"))


def _prose_against_stored(ctx: Ctx, chk):
    """A return's own text against this year's stored figures: each figure in the narrative is
    read the way the importer reads it (:class:`masa.ingest.figures.FigureFinder`: indicator,
    breakdown, period); where the return stores that exact figure with another value, the two
    disagree ("the text says 21, the stored figure is 25")."""
    from masa.ingest.document import Location as DocLocation
    from masa.ingest.figures import FigureFinder

    finder = FigureFinder(ctx.spec, ctx.period)
    returns = {"/".join(r.key()): r for r in ctx.dataset.returns if r.period == ctx.period}
    for src in ctx.sources:
        r = returns.get(src.return_key or "")
        if r is None:
            continue
        stored = {(v.indicator, tuple(sorted(v.by.items())), v.period or r.period): v.value
                  for v in r.values if v.value is not None}
        imported = {v.provenance.sentence.strip() for v in r.values if v.provenance.sentence}
        pos = 0
        cands = finder.find(src.text, DocLocation(file=src.name), r.partner)
        in_sentence: dict[str, list] = {}
        for c in cands:
            in_sentence.setdefault(c.sentence, []).append(c)
        for c in cands:
            if c.kind != "value" or not c.indicator or c.period != r.period or c.sentence in imported:
                continue
            key = (c.indicator, tuple(sorted(c.by.items())), c.period)
            value = stored.get(key)
            if value is None or abs(value - c.value) < 0.051:
                continue
            others = [o for o in in_sentence[c.sentence] if o is not c]
            # the sentence states the stored figure too, or gives this measure twice: the guess
            # that this figure is that measure is not safe enough to call a contradiction
            if any(abs(o.value - value) < 0.051 for o in others) or any(
                    (o.indicator, tuple(sorted(o.by.items())), o.period) == key for o in others):
                continue
            at = src.text.find(c.sentence, 0)
            start = src.text.find(c.written, at if at >= 0 else pos)
            if start < 0:
                continue
            pos = start + len(c.written)
            by = ", ".join(f"{k} {x}" for k, x in sorted(c.by.items()))
            yield ctx.finding(chk, src, start, start + len(c.written),
                              f"the text says {c.written} for {c.indicator}{f' ({by})' if by else ''} in {c.period}, "
                              f"but the figure stored in this return is {value:g}",
                              expected_value=value)
