"""`masa export`: the database's spec, returns and assurance as the folder `masa load` reads.

The database is the source of truth once loaded; this is the way back to files (for a
backup, a review, or moving to another installation). Every field comes from the pydantic
models' own dumps (``Spec``, ``Return``), so a field added to them later is exported with
no change here. Export then load is a round trip: the same folder loaded into an empty
database exports to the same bytes, and loaded onto its source changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from masa.returns import Return
from masa.spec.writer import spec_files
from masa.spec.yamlwrite import dump_yaml

from . import store


@dataclass
class ExportSummary:
    partnership: str
    files: list[Path] = field(default_factory=list)
    returns: int = 0
    values: int = 0
    assurance: list[str] = field(default_factory=list)  # assurance/… files written (reviews, audits, scrutiny, Section 11)
    loose: int = 0  # figures stored with no return (none are written: `masa load` reads figures in returns)


def return_document(ret: Return) -> dict:
    """A return as the plain data of its YAML file: defaults left out, a figure's period
    only where it differs from the return's, breakdowns in a fixed order."""
    values = [v.model_copy(update={"period": None if v.period == ret.period else v.period,
                                   "by": dict(sorted(v.by.items()))}) for v in ret.values]
    doc = ret.model_copy(update={"values": values}).model_dump(mode="json", exclude_defaults=True)
    head = {"partner": ret.partner, "period": ret.period, "template": ret.template, "status": ret.status}
    return {**head, **{k: v for k, v in doc.items() if k not in head}}


def return_path(ret: Return) -> Path:
    """returns/<period>/<template>/<partner>.yaml; a quarter's folder is e.g. 2024-25-q1."""
    return Path("returns") / ret.period.replace(" ", "-").lower() / ret.template / f"{ret.partner}.yaml"


def assurance_files(spec) -> dict[Path, str]:
    """The partnership's stored assurance as the ``assurance/`` files `masa load` reads: the
    learning-review register, case audits and scrutiny years, and the Section 11 assessments
    of its partners, one file per period (with the standard set, when one was loaded)."""
    from masa.assurance.book import book_files
    from masa.assurance.section11 import Cycle

    from .assurance.service import book
    from .section11 import models as s11m
    from .section11.service import standards, to_engine

    files = {Path("assurance") / name: text for name, text in book_files(book(spec.partnership.code)).items()}
    rows = (s11m.Assessment.objects.filter(partner__code__in=[p.code for p in spec.partners],
                                           period__code__in=spec.period_codes)
            .select_related("partner", "period").prefetch_related("answers__actions")
            .order_by("period__code", "partner__code"))
    by_period: dict[str, list] = {}
    for row in rows:  # a shared partner's assessment, with this partnership's moderation only
        a = to_engine(row)
        by_period.setdefault(row.period.code, []).append(a.model_copy(update={"answers": [
            x.model_copy(update={"moderation": [m for m in x.moderation if m.partnership == spec.partnership.code]})
            for x in a.answers]}))
    folder = Path("assurance") / "section11"
    for period, assessments in by_period.items():
        cycle = Cycle(period=period, assessments=assessments)
        files[folder / f"{period}.yaml"] = dump_yaml(cycle.model_dump(mode="json", exclude_defaults=True))
    if by_period and s11m.StandardSetVersion.objects.exists():
        files[folder / "standards.yaml"] = dump_yaml(standards().model_dump(mode="json", exclude_defaults=True))
    return files


def export_partnership(partnership: str, out: str | Path) -> ExportSummary:
    """Write a partnership's stored spec and every return (any status, with figures and
    their provenance) under ``out``, which must not exist or must be empty.

    Raises store.UnknownChoice for an unknown partnership, FileExistsError for a folder
    with files in it. Files are written only after everything is read."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out}: already exists and is not empty; choose a new folder")
    spec = store.spec_for(partnership)
    from .core.models import DataValue
    from .core.models import Return as Row

    partners = [p.code for p in spec.partners]
    rows = (Row.objects.filter(partner__code__in=partners, period__code__in=spec.period_codes,
                               template__code__in=[t.code for t in spec.templates])
            .select_related("partner", "period", "template").order_by("period__code", "template__code", "partner__code"))
    summary = ExportSummary(partnership=spec.partnership.code)
    files: dict[Path, str] = {Path("spec") / name: text for name, text in spec_files(spec).items()}
    for row in rows:
        ret = store.return_from_row(row)
        files[return_path(ret)] = dump_yaml(return_document(ret))
        summary.returns += 1
        summary.values += len(ret.values)
    files.update(assurance_files(spec))
    summary.assurance = sorted(str(p) for p in files if p.parts[0] == "assurance")
    summary.loose = DataValue.objects.filter(partner__code__in=partners, ret__isnull=True).count()
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        summary.files.append(path)
    (out / "returns").mkdir(parents=True, exist_ok=True)
    return summary
