"""``masa import FILE``: turn an existing Word, PDF, markdown or text contribution into
draft returns, or with ``--dry-run`` just show what would be imported."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import console, fail


def import_file(
    file: Path = typer.Argument(..., help="A .docx, .pdf, .md or .txt file holding partners' contributions."),
    partnership: str = typer.Option(..., "--partnership", help="Partnership code, e.g. luton."),
    period: str = typer.Option(..., "--period", help="Financial year the returns are for, e.g. 2024-25."),
    spec_dir: Path | None = typer.Option(None, "--spec", help="Spec folder; default: the stored spec."),
    template: str | None = typer.Option(None, "--template", help="Override detection: appendix-b, appendix-c."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be imported; store nothing."),
    max_mb: float = typer.Option(20.0, "--max-mb", help="Refuse files larger than this many megabytes."),
) -> None:
    """Import a document as draft returns (one per partner section found).

    Like the web import, it writes drafts only: a partner whose return is already submitted,
    approved or published is refused and listed, and that return is left as it is."""
    from masa.ingest import IngestError, import_document
    from masa.spec import SpecError

    from .common import typed_period

    period = typed_period(period)
    spec = _spec(partnership, spec_dir, SpecError)
    try:
        result = import_document(file, spec, period, max_bytes=int(max_mb * 1024 * 1024), template=template)
    except IngestError as exc:
        fail(str(exc))
    print_summary(result)
    if dry_run:
        console.print("[bold]dry run:[/] nothing stored")
        return
    if not result.returns:
        fail(f"{file.name}: no known partner found; nothing stored")
    from masa.web.store import migrate

    migrate()
    from masa.web.auditlog.cli import invocation
    from masa.web.store import save_drafts

    try:
        ids, refused = save_drafts(spec, result.returns, who=invocation())
    except SpecError as exc:
        fail(f"{file.name}: nothing stored:\n{exc}")
    for ret, status in refused:
        console.print(f"[yellow]refused:[/] {ret.partner} {ret.period} {ret.template} is {status} in the database; "
                      "an import only writes drafts and never overwrites submitted work", highlight=False,
                      soft_wrap=True)
    if not ids:
        fail(f"{file.name}: nothing stored: every return it holds is no longer a draft")
    console.print(f"stored {len(ids)} draft returns for {period}"
                  + (f"; {len(refused)} refused (listed above)" if refused else ""), highlight=False)


def _spec(partnership: str, spec_dir: Path | None, SpecError):
    if spec_dir is not None:
        from masa.spec import load_spec

        try:
            spec = load_spec(spec_dir)
        except SpecError as exc:
            fail(f"cannot load the spec {spec_dir}:\n{exc}")
        except OSError as exc:
            fail(f"cannot read the spec {spec_dir}: {exc.strerror or exc}")
        if spec.partnership.code != partnership:
            fail(f"{spec_dir} is the spec of {spec.partnership.code!r}, not {partnership!r}")
        return spec
    try:
        from masa.web.store import UnknownChoice, migrate, spec_for
    except ImportError as exc:
        fail(f"the database layer is not available ({exc}); give --spec DIR")
    migrate()
    try:
        return spec_for(partnership)
    except UnknownChoice as exc:
        fail(str(exc))


def print_summary(result) -> None:
    """A Rich summary of the import report: partners, merges, figures, what needs a person."""
    from rich.table import Table

    rep = result.report
    console.print(f"[bold]{Path(rep.file).name}[/] ({rep.reader}) → {rep.template} for {rep.period}",
                  highlight=False)
    if rep.title:
        console.print(f"title: {rep.title}", highlight=False, soft_wrap=True)
    for w in rep.warnings:
        console.print(f"[yellow]warning:[/] {w}", highlight=False)
    t = Table(title="Partners found")
    for col in ("partner", "pieces", "sections", "values", "audits", "highlights", "challenges", "next",
                "files", "cases", "as written"):
        t.add_column(col)
    by_code = {(r.partner, r.template): r for r in result.returns}
    for p in rep.partners:
        r = by_code[(p.code, p.template)]
        t.add_row(p.code, str(p.pieces), str(len(r.sections)), str(len(r.values)), str(len(r.audits)),
                  str(len(r.highlights)), str(len(r.challenges)), str(len(r.next_year)), str(len(r.attachments)),
                  str(len(r.case_studies)), p.written)
    console.print(t)
    console.print(f"{rep.sections_before_merge} partner headings merged into {len(rep.partners)} sections; "
                  f"{rep.running_headers_removed} running headers removed; {len(rep.tables)} tables; "
                  f"{len(rep.figures)} figures stored, {len(rep.corroborated)} repeated, "
                  f"{len(rep.changes_and_targets)} changes or targets noted", highlight=False)
    for partner, first, kept, n in rep.duplicate_runs:
        console.print(f"[yellow]duplicate:[/] {partner}: {n} block(s) from {first} repeat {kept}; kept once",
                      highlight=False)
    for u in rep.unknown_names:
        console.print(f"[yellow]unknown partner:[/] {u.name!r} at {u.loc} ({u.blocks} blocks not imported): "
                      f"{u.offer}", highlight=False)
    for a in (a for r in result.returns for a in r.attachments if a.status != "present"):
        console.print(f"[yellow]attachment {a.status}:[/] {a.label}", highlight=False)
    if rep.unassigned:
        console.print(f"[yellow]{len(rep.unassigned)} figures need a person to place them:[/]")
        for c in rep.unassigned:
            console.print(f"  {c.loc}  {c.partner or '?'}  {c.written}: {c.reason}", highlight=False, soft_wrap=True)
    for n in rep.unrecognised:
        console.print(f"[yellow]not recognised:[/] {n.loc}: {n.message}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``masa import`` to the main app."""
    app.command("import")(import_file)
