"""Check report documents (any partnership's, no set-up): ``check_documents(paths)``."""

from __future__ import annotations

from pathlib import Path

from .finding import SEVERITY_ORDER, CheckRun, FileError, Finding
from .readers import ReadError, read_text
from .registry import Ctx, run_checks
from .segment import segment
from .text import Source

DEFAULT_SPEC = Path(__file__).resolve().parents[3] / "examples" / "luton-2024-25" / "spec"


def default_spec():
    """The example partnership's spec when this is a source checkout; else None. For the
    benchmark and tests only: ``masa check`` without ``--spec`` never falls back on it."""
    if (DEFAULT_SPEC / "partners.yaml").exists():
        from masa.spec import load_spec

        return load_spec(DEFAULT_SPEC)
    return None


def build_ctx(texts: list[tuple[str, str]], spec=None, mode: str = "documents") -> Ctx:
    sources = []
    headings = {}
    for name, text in texts:
        src = Source(name, text)
        src.split()
        headings[name] = segment(src, spec)
        sources.append(src)
    labels = [s.period for s in sources if s.period]
    current = spec.periods.current if spec else None
    # the most common label; on a tie the spec's current period, else the latest
    period = max(sorted(set(labels)), key=lambda p: (labels.count(p), p == current, p)) if labels else current
    return Ctx(sources=sources, spec=spec, period=period, mode=mode, headings=headings)


def check_texts(texts: list[tuple[str, str]], spec=None, codes=None) -> CheckRun:
    """Check already-read texts as one report (used by tests and the benchmark)."""
    from .assumption import for_ctx
    from .compliance import assess

    ctx = build_ctx(texts, spec)
    findings = run_checks(ctx, codes)
    run = CheckRun(findings=sort_findings(findings), files=[n for n, _ in texts], assumed=for_ctx(ctx).line())
    if codes is None:
        run.compliance = assess(ctx)
    return run


def check_documents(paths, spec=None, codes=None) -> CheckRun:
    """Read and check several files together as one report; unreadable files become errors."""
    texts, errors = [], []
    for p in map(Path, paths):
        try:
            text = read_text(p)
        except ReadError as exc:
            errors.append(FileError(file=str(p), reason=str(exc)))
            continue
        if not text.strip():
            errors.append(FileError(file=str(p), reason="empty: no text to check"))
            continue
        texts.append((str(p), text))
    run = check_texts(texts, spec, codes) if texts else CheckRun()
    run.errors = errors
    run.files = [str(p) for p in paths]
    return run


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.location.file or f.location.return_key or "~",
                                           f.location.start if f.location.start is not None else 10**12,
                                           SEVERITY_ORDER[f.severity], f.code))
