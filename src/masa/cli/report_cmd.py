"""``masa report build``: the yearly report from stored returns (or an example folder)."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn, Optional

import typer

from .common import console, err_console, fail
from .groups import report_app


def build(
    partnership: Optional[str] = typer.Option(None, "--partnership", help="Partnership code, e.g. luton."),
    period: str = typer.Option(..., "--period", help="Financial year, e.g. 2024-25."),
    format: str = typer.Option("html,pdf,docx,csv,xlsx", "--format", "-f",
                               help="Comma-separated: html, pdf, docx, csv, xlsx."),
    out: Path = typer.Option(Path("."), "--out", "-o", help="Folder to write the files to."),
    internal: bool = typer.Option(False, "--internal",
                                  help="Every return, unsuppressed figures, marked NOT FOR PUBLICATION. Never publish."),
    draft: bool = typer.Option(False, "--draft",
                               help="Every return (draft, submitted, queried...), marked DRAFT – NOT FOR "
                                    "PUBLICATION on every page, for review. Without it only approved and "
                                    "published returns are used."),
    from_folder: Optional[Path] = typer.Option(None, "--from-folder",
                                               help="Build from an example folder (spec/ and returns/), no database."),
) -> None:
    """Build the yearly report (Appendices B and C) in each format.

    A public build reads approved and published returns only; --draft and --internal read all."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from masa.report import FORMATS, ReportError, build_report, check_formats
    from masa.spec import SpecError

    from .common import typed_period

    try:
        formats = check_formats(format.split(","))
    except ValueError as exc:
        fail(str(exc))
    period = typed_period(period)
    dataset = _dataset(partnership, period, from_folder, SpecError, public=not (draft or internal))
    steps = ["model", *formats]
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("building", total=len(steps))
        done: list[str] = []

        def progress(step: str) -> None:
            if done:
                bar.advance(task)
            done.append(step)
            bar.update(task, description=f"{step}" if step == "model" else f"writing {step}")

        existed = out.exists()
        try:
            s11 = None
            if not from_folder:  # the database's Section 11 assessments (a folder build has none)
                from masa.web.section11.reporting import section11_data

                s11 = section11_data(dataset.spec.partnership.code, period)
            paths = build_report(dataset, period, formats, out, internal=internal, draft=draft,
                                 progress=progress, section11=s11)
        except (ReportError, ValueError) as exc:
            if not existed and out.is_dir() and not any(out.iterdir()):
                out.rmdir()  # a refused build leaves no empty folder that looks like a report
            fail(str(exc))
        except OSError as exc:
            fail(f"cannot write to {out}: {exc.strerror or exc}")
        bar.advance(task)
    if internal:
        console.print("[bold red]INTERNAL – NOT FOR PUBLICATION – unsuppressed figures[/]")
    elif draft:
        console.print("[bold red]DRAFT – NOT FOR PUBLICATION[/]: built from every return, approved or not")
    else:
        _say_what_is_missing(dataset, period)
    for fmt in FORMATS:
        if fmt in paths:
            console.print(f"{fmt:5} {paths[fmt]}", highlight=False, soft_wrap=True)


def _say_what_is_missing(dataset, period: str) -> None:
    """After a public build, name the returns it left out (not yet approved)."""
    from masa.returns import PUBLIC_STATUSES

    waiting = [f"{r.partner} {r.template} ({r.status})" for r in dataset.returns_for(period)
               if r.status not in PUBLIC_STATUSES]
    if waiting:
        console.print(f"Partial: {len(waiting)} return(s) not yet approved are left out and named at the top "
                      f"of the report: {', '.join(waiting)}", highlight=False, soft_wrap=True)


def _dataset(partnership, period, from_folder, SpecError, public: bool = True):
    if from_folder is not None:
        from masa.returns import load_dataset

        try:
            ds = load_dataset(from_folder)
        except SpecError as exc:
            _fail_with_problems(exc)
        if partnership and partnership != ds.spec.partnership.code:
            fail(f"{from_folder} holds partnership {ds.spec.partnership.code!r}, not {partnership!r}")
        from masa.returns.scope import scope_dataset

        return _earned_approvals_only(scope_dataset(ds))  # the folder's partnership's view, as from the database
    if not partnership:
        fail("give --partnership (with a database) or --from-folder PATH")
    try:
        from masa.returns import PUBLIC_STATUSES
        from masa.web import setup
        from masa.web.store import UnknownChoice, dataset_for
    except ImportError as exc:
        fail(f"the database layer is not available ({exc}); use --from-folder PATH")
    setup(migrate=True)  # a new database gets its tables, then says what is (not) stored
    try:
        # A public build: no earlier year's figure from a return that is not approved either.
        return dataset_for(partnership, period, history=PUBLIC_STATUSES if public else None)
    except UnknownChoice as exc:
        fail(str(exc))


def _earned_approvals_only(ds):
    """A file's "approved" or "published" stands only if the checks find no error in that
    return, as at approval in the web; otherwise it is read as submitted, and said so."""
    from masa.web.workflow.checks_seam import companions_in, unearned_approval

    returns = []
    for r in ds.returns:
        why = unearned_approval(ds.spec, r, companions_in(ds.returns, r))
        if why:
            err_console.print(f"[yellow]not approved:[/] {r.partner} {r.period} {r.template}: {why}; "
                              "read as submitted", highlight=False, soft_wrap=True)
            r = r.model_copy(update={"status": "submitted"})
        returns.append(r)
    return ds.model_copy(update={"returns": returns})


def _fail_with_problems(exc) -> NoReturn:
    """One line per problem, each naming its file and line (as ``masa report check``), exit 2."""
    lines = [f"{loc}: {msg}" if loc else msg for loc, msg in getattr(exc, "problems", None) or [(None, str(exc))]]
    for line in lines[:-1]:
        err_console.print(f"[bold red]error:[/] {line}", highlight=False, soft_wrap=True)
    fail(lines[-1])


def register(app: typer.Typer) -> None:
    """Add ``masa report build`` to the report group."""
    report_app.command("build")(build)
