"""``masa check FILE...`` (any report document) and ``masa report check`` (stored returns)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .common import console, err_console, fail
from .groups import report_app


class Format(str, Enum):
    text = "text"
    json = "json"
    html = "html"


def _emit(run, fmt: Format, out: Path | None, title: str) -> None:
    from masa.checks.render import to_html, to_json, to_rich

    if fmt is Format.text and out is None:
        to_rich(run, console)
        return
    if fmt is Format.text:
        from rich.console import Console

        with out.open("w", encoding="utf-8") as fh:
            to_rich(run, Console(file=fh, width=160))
        return
    body = to_json(run) if fmt is Format.json else to_html(run, title)
    if out is None:
        typer.echo(body)
    else:
        try:
            out.write_text(body, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")


def _spec(spec_dir: Path | None, no_spec: bool):
    """The spec to narrow the check to: only one the user names. Without --spec no partnership
    is assumed in advance; the check reads the report's own from its title and headings."""
    from masa.spec import SpecError, load_spec

    if no_spec or spec_dir is None:
        return None
    try:
        return load_spec(spec_dir)
    except SpecError as exc:
        fail(f"spec {spec_dir}: {str(exc).splitlines()[0]}")


def check(
    files: Annotated[list[Path], typer.Argument(help="Report documents: .txt, .md, .docx or .pdf, checked together as one report.")],
    spec_dir: Annotated[Path | None, typer.Option("--spec", help="Partnership spec folder (names, areas, vocabulary). Without it the partnership is read from the report's title and headings.")] = None,
    no_spec: Annotated[bool, typer.Option("--no-spec", help="Use no spec (the default; kept for old scripts).")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="text (table), json (list of findings) or html (review page).")] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the terminal.")] = None,
) -> None:
    """Check report documents for arithmetic, wording, privacy and WT2023 gaps. Exit 1 on errors, 2 on unreadable files."""
    from masa.checks import check_documents

    from masa.reference import ReferenceDataError

    spec = _spec(spec_dir, no_spec)
    try:
        run = check_documents(files, spec)
    except ReferenceDataError as exc:  # the shipped national lists, edited and broken
        fail(f"masa's reference data: {exc}")
    if spec is not None and run.assumed:
        from masa.checks.assumption import from_spec

        run.assumed = from_spec(spec, str(spec_dir)).line()
    for e in run.errors:
        err_console.print(f"[bold red]error:[/] {e.file}: {e.reason}", highlight=False, soft_wrap=True)
    _emit(run, fmt, out, "Report check: " + ", ".join(Path(f).name for f in files))
    if run.errors:
        raise typer.Exit(2)
    if run.has_errors:
        raise typer.Exit(1)


def report_check(
    partnership: Annotated[str, typer.Option("--partnership", help="Stored partnership code, e.g. luton.")] = "",
    period: Annotated[str, typer.Option("--period", help="Period, e.g. 2024-25.")] = "",
    from_folder: Annotated[Path | None, typer.Option("--from-folder", help="Check an example folder (spec/ + returns/) without a database.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text, json or html.")] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file instead of the terminal.")] = None,
) -> None:
    """Check a partnership's stored returns for a period. Exit 1 when any finding is an error."""
    from masa.checks import CheckRun, check_dataset
    from masa.checks.compliance import assess
    from masa.checks.dataset import dataset_ctx

    if from_folder is not None:
        from masa.returns import load_dataset
        from masa.spec import SpecError

        try:
            dataset = load_dataset(from_folder)
        except SpecError as exc:
            fail(f"{from_folder}: {str(exc).splitlines()[0]}")
        from masa.returns.scope import scope_dataset

        dataset = scope_dataset(dataset)  # the folder's partnership's view, as from the database
    else:
        if not partnership or not period:
            fail("give --partnership and --period (or --from-folder PATH)")
        try:
            from masa.web import setup
            from masa.web.store import UnknownChoice, dataset_for
        except ImportError as exc:
            fail(f"the database store is not available ({exc}); use --from-folder PATH")
        setup(migrate=True)  # a new database gets its tables, then says what is (not) stored
        try:
            dataset = dataset_for(partnership, period)
        except UnknownChoice as exc:
            fail(str(exc))
    period = period or dataset.spec.periods.current
    if period not in dataset.spec.period_codes:
        fail(f"unknown period {period!r}; valid: {', '.join(dataset.spec.periods.financial_years)}")
    findings = check_dataset(dataset, period)
    run = CheckRun(findings=findings, files=[r.source or "/".join(r.key()) for r in dataset.returns if r.period == period],
                   compliance=assess(dataset_ctx(dataset, period)))
    _emit(run, fmt, out, f"Returns check: {dataset.spec.partnership.name} {period}")
    if run.has_errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.command("check")(check)
    report_app.command("check")(report_check)
