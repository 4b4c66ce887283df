"""The seam to the checks engine (``masa.checks.check_dataset``), which is optional here.

If the engine is not importable the web app still works and says so; the storage gate
(reference and rule problems from ``masa.returns``) always runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from masa.returns import Dataset, Return, reference_problems, rule_problems


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


def findings_for(spec, ret: Return) -> list[Finding]:
    """Findings about one return: the storage gate's rules plus the checks engine if present."""
    out = [Finding(p.severity, p.message, ".".join(str(x) for x in p.loc), "", "rule")
           for p in reference_problems(spec, ret) + rule_problems(spec, ret)]
    try:
        from masa.checks import check_dataset
    except Exception:
        return out
    try:
        found = check_dataset(Dataset(spec=spec, returns=[ret]), ret.period)
    except Exception as exc:  # a crashing engine is reported, never a silent pass
        return out + [Finding("error", f"the checks engine crashed: {type(exc).__name__}: {exc}", "", "", "crashed")]
    for f in found:
        partner = getattr(f, "partner", None)
        if partner and partner != ret.partner:
            continue
        out.append(Finding(str(getattr(f, "severity", "info")), str(getattr(f, "message", f)),
                           str(getattr(f, "location", "") or ""), str(getattr(f, "quote", "") or ""),
                           str(getattr(f, "code", "") or "")))
    return out
