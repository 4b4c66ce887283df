"""Check stored returns: ``check_dataset(dataset, period)`` runs the same registry over every
narrative block (``Return.text_blocks()``), the figures (DataValues) with the spec's rules,
and the stored values of the previous period."""

from __future__ import annotations

from .claims import figures
from .documents import sort_findings
from .finding import Finding, Location
from .registry import Ctx, check, run_checks
from .text import Source


def dataset_ctx(dataset, period: str | None = None) -> Ctx:
    spec = dataset.spec
    period = period or spec.periods.current
    sources = []
    for r in dataset.returns:
        if r.period != period:
            continue
        key = "/".join(r.key())
        for label, text in r.text_blocks():
            if not text.strip():
                continue
            src = Source(f"{key} {label}", text, return_key=key, section=label, partner=r.partner, period=r.period)
            src.split()
            sources.append(src)
    return Ctx(sources=sources, spec=spec, period=period, mode="dataset", dataset=dataset)


def check_dataset(dataset, period: str | None = None, codes=None) -> list[Finding]:
    """Findings for one period's stored returns (errors, queries and info), sorted by place."""
    return sort_findings(run_checks(dataset_ctx(dataset, period), codes))


@check("figure.sentence-mismatch", "Stored figure differs from the sentence it was read from", "query", "figure",
       "A figure imported from prose must still say what the prose says; a mismatch means one was edited.",
       modes=("dataset",))
def sentence_mismatch(ctx: Ctx, chk):
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
