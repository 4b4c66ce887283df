"""Storage commands: load a partnership folder, and the end-to-end demo."""

from __future__ import annotations

from pathlib import Path

import typer

from masa.spec import SourceError

from .common import console, fail


def _print_problems(exc: SourceError) -> None:
    problems = getattr(exc, "problems", None) or [(exc.location, exc.message)]
    for loc, msg in problems:
        where = f" {loc}" if loc else ""  # a problem with the whole load has no file location
        console.print(f"[red]error[/]{where}: {msg}", highlight=False, soft_wrap=True)


def load(folder: Path = typer.Argument(..., help="A partnership folder with spec/ and returns/")) -> None:
    """Validate a partnership folder and store it in the database, all or nothing.

    A return changed in the database since it was loaded (edited, submitted, approved,
    published, queried) is kept as it is and listed; the file never overwrites it. The same
    holds for the spec, part by part: a partner, indicator, period... changed in the web
    since the last load is kept, and the file's other changes apply."""
    from masa.web.auditlog.cli import invocation
    from masa.web.store import load_folder

    try:
        summary = load_folder(folder, who=invocation())
    except SourceError as exc:
        _print_problems(exc)
        fail(f"{folder}: nothing was loaded ({len(getattr(exc, 'problems', [1]))} problem(s) above)")
    for line in summary.spec_kept:
        console.print(f"[yellow]kept:[/] {line}", highlight=False, soft_wrap=True)
    for line in summary.kept:
        console.print(f"[yellow]kept:[/] {line}", highlight=False, soft_wrap=True)
    for line in summary.held:
        console.print(f"[yellow]not approved:[/] {line}", highlight=False, soft_wrap=True)
    n_kept = len(summary.kept) + len(summary.spec_kept)
    kept = f" {n_kept} kept as they are in the database (listed above);" if n_kept else ""
    if not summary.changed:
        console.print(f"{summary.partnership}: nothing changed;{kept} the rest already up to date."
                      if kept else f"{summary.partnership}: already up to date; nothing changed.", highlight=False)
    else:
        console.print(f"{summary.partnership}: spec {'updated' if summary.spec_changed else 'unchanged'}; "
                      f"{len(summary.created)} returns created, {len(summary.updated)} updated, "
                      f"{len(summary.unchanged)} unchanged;{kept} {summary.values} figures.", highlight=False)
    if summary.assurance:  # items already stored are the database's: the file never overwrites them
        console.print(f"{summary.partnership}: assurance: {len(summary.assurance)} added"
                      + (f", {len(summary.assurance_kept)} already stored, kept as they are"
                         if summary.assurance_kept else ""), highlight=False)


def demo(
    example: list[Path] = typer.Option([Path("examples/luton-2024-25")],
                                       help="An example partnership folder; repeat it to load several into one database"),
    report: list[str] = typer.Option([], help="A partnership whose reports to build (repeatable; default: the "
                                              "first example's). The first one's go into OUT, the others' "
                                              "into OUT/CODE."),
    out: Path = typer.Option(Path("build/report"), help="Where to write the draft/ and internal/ folders"),
    period: str = typer.Option("", help="Report period (default: the spec's current period)"),
) -> None:
    """Load the examples, run the checks, and build the DRAFT and internal reports for review.

    Several examples load into one database (the Pan-Bedfordshire ones: Luton, Bedford Borough
    and Central Bedfordshire share seven partners, each writing one return), and each
    partnership's report reads only the parts and figures about its own areas. The example's
    returns are submitted, not approved, and carry deliberate defects, so nothing the demo
    writes is publishable: every file goes into a draft/ or internal/ folder."""
    from masa.web.auditlog.cli import invocation
    from masa.web.store import load_folder

    loaded = []
    for folder in example:
        try:
            loaded.append(load_folder(folder, who=invocation()).partnership)
        except SourceError as exc:
            _print_problems(exc)
            fail(f"{folder}: the example did not load")
    if len(loaded) > 1:
        console.print(f"Loaded {len(loaded)} partnerships into one database: {', '.join(loaded)}. A partner "
                      "serving several of them has one return per period; each report below shows only the "
                      "parts and figures about its partnership's areas.", highlight=False, soft_wrap=True)
    codes = report or loaded[:1]
    unknown = [c for c in codes if c not in loaded]
    if unknown:
        fail(f"--report {unknown[0]}: not one of the loaded partnerships ({', '.join(loaded)})")
    # Only the hand-made examples list their planted defects; `masa synth --scale` folders do not.
    defects = [str(f / "DEFECTS.md") for f in example if (f / "DEFECTS.md").is_file()]
    note = f" (the example's returns carry deliberate defects: see {', '.join(defects)})" if defects else ""
    built = [_demo_report(code, period, out if n == 0 else out / code, note) for n, code in enumerate(codes)]
    code, period = built[0]
    from masa.web.demo import DEMO_PASSWORD

    if len(built) > 1:
        others = ", ".join(f"{c} ({out / c / 'draft'})" for c, _ in built[1:])
        console.print(f"Compare the reports of {code} and {others}: the same returns of the shared partners, "
                      "each with its own area's parts only.", highlight=False, soft_wrap=True)
    console.print(f"Next: run [bold]masa serve --demo[/], sign in as bu@example.org (password {DEMO_PASSWORD}), "
                  "query or approve each return and publish; then "
                  f"[bold]masa report build --partnership {code} --period {period}[/] builds the public report "
                  "from the approved returns.", highlight=False, soft_wrap=True)


def _demo_report(code: str, period: str, out: Path, defects_note: str = "") -> tuple[str, str]:
    """Check one loaded partnership's returns and build its DRAFT and internal reports into ``out``."""
    from masa.checks import check_dataset
    from masa.checks.finding import CheckRun
    from masa.checks.render import to_html
    from masa.report import FORMATS, ReportError, build_report
    from masa.web.store import dataset_for

    dataset = dataset_for(code, period or _current(code))
    spec = dataset.spec
    period = period or spec.periods.current
    console.print(f"[bold]{spec.partnership.name}[/] {period}: {len(dataset.returns)} returns from "
                  f"{len({r.partner for r in dataset.returns})} partners, "
                  f"{sum(len(r.values) for r in dataset.returns)} figures loaded.")
    statuses: dict[str, int] = {}
    for r in dataset.returns:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    console.print("Returns: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())), highlight=False)
    from masa.web.assurance.service import book

    assurance = book(code)  # the learning-review register, case audits and scrutiny stored for it
    findings = check_dataset(dataset, period, assurance=assurance)
    run = CheckRun(findings=findings, files=[r.source or "/".join(r.key()) for r in dataset.returns
                                             if r.period == period])
    counts = run.counts()
    draft_dir, internal_dir = out / "draft", out / "internal"
    try:
        draft_dir.mkdir(parents=True, exist_ok=True)
        findings_file = draft_dir / "findings.html"
        findings_file.write_text(to_html(run, f"Returns check: {spec.partnership.name} {period}"), encoding="utf-8")
        from masa.web.section11.reporting import section11_data

        s11 = section11_data(code, period)
        drafts = build_report(dataset, period, list(FORMATS), draft_dir, draft=True, findings=findings,
                              assurance=assurance, section11=s11)
        internal = build_report(dataset, period, ["html"], internal_dir, internal=True, findings=findings,
                                assurance=assurance, section11=s11)
    except (ReportError, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}")
    # An earlier masa demo wrote a "published" report beside these folders (output_name's
    # public file names); it held the defects, so it goes.
    for fmt in FORMATS:
        stale = out / f"{code}-{period}-report.{fmt}"
        if stale.is_file():
            stale.unlink()
            console.print(f"Removed {stale}: an earlier demo's report built from unapproved returns.",
                          highlight=False, soft_wrap=True)
    style = "bold red" if counts["error"] else "bold"
    console.print(f"[{style}]Checks: {counts['error']} errors, {counts['query']} queries, {counts['info']} info"
                  f"{', ' + str(counts['crashed']) + ' crashed checks' if counts['crashed'] else ''}[/]"
                  f"{defects_note}.", highlight=False, soft_wrap=True)
    console.print(f"  findings {findings_file.resolve()}", highlight=False, soft_wrap=True)
    console.print("[bold red]DRAFT – NOT FOR PUBLICATION[/] (every return, not yet approved, small counts as c):")
    for fmt, path in drafts.items():
        console.print(f"  {fmt:8} {path.resolve()}", highlight=False, soft_wrap=True)
    console.print("[bold red]INTERNAL – NOT FOR PUBLICATION[/] (unsuppressed, with the findings as an appendix):")
    for fmt, path in internal.items():
        console.print(f"  {fmt:8} {path.resolve()}", highlight=False, soft_wrap=True)
    _demo_young_people(dataset, period, draft_dir)
    approved = statuses.get("approved", 0) + statuses.get("published", 0)
    console.print(f"No public report was built for {code}: {approved} of {len(dataset.returns)} returns are approved"
                  + (f", and the checks found {counts['error']} errors." if counts["error"] else "."))
    return code, period


def _demo_young_people(dataset, period: str, out: Path) -> None:
    """The young people's version of the same returns, as a DRAFT beside the draft report."""
    from masa.report.young_people import YoungPeopleError, build_draft, readability, write_draft

    try:
        draft = build_draft(dataset, period)
        written = write_draft(draft, out)
    except YoungPeopleError as exc:
        console.print(f"No young people's version: {exc}", highlight=False, soft_wrap=True)
        return
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}")
    score = readability(draft.sections)
    console.print(f"[bold red]DRAFT[/] young people's version (Flesch–Kincaid grade {score.grade}, target 7 or "
                  "lower; edit, approve and publish it in the web at /bu/young-people/):", highlight=False)
    for fmt, path in written.items():
        console.print(f"  {fmt:8} {path.resolve()}", highlight=False, soft_wrap=True)


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
