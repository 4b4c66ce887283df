"""Storage commands: load a partnership folder, and the end-to-end demo."""

from __future__ import annotations

from pathlib import Path

import typer

from masa.spec import SourceError

from .common import console, fail


def _print_problems(exc: SourceError) -> None:
    problems = getattr(exc, "problems", None) or [(exc.location, exc.message)]
    for loc, msg in problems:
        console.print(f"[red]error[/] {loc}: {msg}", highlight=False, soft_wrap=True)


def load(folder: Path = typer.Argument(..., help="A partnership folder with spec/ and returns/")) -> None:
    """Validate a partnership folder and store it in the database, all or nothing.

    A return changed in the database since it was loaded (edited, submitted, approved,
    published, queried) is kept as it is and listed; the file never overwrites it."""
    from masa.web.auditlog.cli import invocation
    from masa.web.store import load_folder

    try:
        summary = load_folder(folder, who=invocation())
    except SourceError as exc:
        _print_problems(exc)
        fail(f"{folder}: nothing was loaded ({len(getattr(exc, 'problems', [1]))} problem(s) above)")
    for line in summary.kept:
        console.print(f"[yellow]kept:[/] {line}", highlight=False, soft_wrap=True)
    kept = f" {len(summary.kept)} kept as they are in the database (listed above);" if summary.kept else ""
    if not summary.changed:
        console.print(f"{summary.partnership}: nothing changed;{kept} the rest already up to date."
                      if kept else f"{summary.partnership}: already up to date; nothing changed.", highlight=False)
        return
    console.print(f"{summary.partnership}: spec {'updated' if summary.spec_changed else 'unchanged'}; "
                  f"{len(summary.created)} returns created, {len(summary.updated)} updated, "
                  f"{len(summary.unchanged)} unchanged;{kept} {summary.values} figures.", highlight=False)


def demo(
    example: Path = typer.Option(Path("examples/luton-2024-25"), help="The example partnership folder"),
    out: Path = typer.Option(Path("build/report"), help="Where to write the report files"),
    period: str = typer.Option("", help="Report period (default: the spec's current period)"),
) -> None:
    """Load the example into the database, run the checks, build the report in every format."""
    from masa.checks import check_dataset
    from masa.report import build_report
    from masa.web.store import dataset_for, load_folder

    try:
        summary = load_folder(example)
    except SourceError as exc:
        _print_problems(exc)
        fail(f"{example}: the example did not load")
    dataset = dataset_for(summary.partnership, period or _current(summary.partnership))
    spec = dataset.spec
    period = period or spec.periods.current
    console.print(f"[bold]{spec.partnership.name}[/] {period}: {len(dataset.returns)} returns from "
                  f"{len({r.partner for r in dataset.returns})} partners, "
                  f"{sum(len(r.values) for r in dataset.returns)} figures loaded.")
    findings = check_dataset(dataset, period)
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    console.print("Checks: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no findings"))
    formats = ["html", "pdf", "docx", "csv", "xlsx"]
    public = build_report(dataset, period, formats, out)
    internal = build_report(dataset, period, ["html"], out / "internal", internal=True, findings=findings)
    console.print("[bold]Report files[/] (published: counts of 1-5 shown as c):")
    for fmt, path in public.items():
        console.print(f"  {fmt:5} {path.resolve()}", highlight=False, soft_wrap=True)
    console.print("[bold]Internal build[/] (unsuppressed, NOT FOR PUBLICATION, with the quality appendix):")
    for fmt, path in internal.items():
        console.print(f"  {fmt:5} {path.resolve()}", highlight=False, soft_wrap=True)
    console.print(f"Findings: run `masa report check --partnership {spec.partnership.code} --period {period}`.")


def _current(partnership: str) -> str:
    from masa.web.store import spec_for

    return spec_for(partnership).periods.current


values_app = typer.Typer(help="Figures computed elsewhere (masa indicators compute) into a partner's return.",
                         no_args_is_help=True)


@values_app.command("load")
def values_load(
    file: Path = typer.Argument(..., help="values.json written by masa indicators compute"),
    partnership: str = typer.Option(..., help="The partnership whose stored spec applies"),
    partner: str = typer.Option(..., help="The partner the figures belong to"),
    template: str = typer.Option("appendix-b", help="The return template the figures join"),
) -> None:
    """Add computed figures to the partner's draft (or queried) return for their year."""
    from masa.web.store import migrate

    migrate()  # Django is ready from here: the modules below import models
    from masa.web.auditlog.cli import invocation
    from masa.web.store import UnknownChoice
    from masa.web.values import NotEditable, load_values

    try:
        done = load_values(partnership, partner, file, template, who=invocation())
    except (UnknownChoice, NotEditable) as exc:
        fail(str(exc))
    except SourceError as exc:
        _print_problems(exc)
        fail(f"{file}: nothing was loaded")
    console.print(f"{done.added} figures loaded into the {done.partner} {done.period} {done.template} return "
                  f"({done.status}); {done.replaced} earlier figures replaced.", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(load)
    app.command()(demo)
    app.add_typer(values_app, name="values")
