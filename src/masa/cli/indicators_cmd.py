"""``masa indicators compute|explain|list|profiles|profile-check`` and ``masa synth``: thin calls
into masa.indicators."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import console, fail

indicators_app = typer.Typer(help="Compute indicators from record-level extracts, on your own machine.",
                             no_args_is_help=True)


def _definitions(spec: Path | None):
    from masa.indicators import DefinitionError, load_definitions, standard_definitions

    try:
        return load_definitions(spec) if spec else standard_definitions()
    except DefinitionError as exc:
        fail(str(exc))


PARTNERSHIP_HELP = ("Partnership folder (or its spec/): area breakdowns map its areas' ONS codes to their "
                    "area codes")


def _areas(partnership: Path | None) -> dict[str, str]:
    """ONS code -> area code from a partnership's spec; {} without one."""
    if partnership is None:
        return {}
    from masa.indicators import area_map
    from masa.spec import SpecError, load_spec

    folder = partnership / "spec" if (partnership / "spec").is_dir() else partnership
    try:
        spec = load_spec(folder)
    except SpecError as exc:
        fail(f"--partnership {partnership}: {exc}")
    areas = area_map(spec)
    if not areas:
        fail(f"--partnership {partnership}: none of the partnership's areas has an ONS code; "
             "add each area's ons_code (for example E06000032) to its spec")
    return areas


def _extracts(pairs: list[str]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for pair in pairs:
        name, sep, file = pair.partition("=")
        if not sep or not name.strip() or not file.strip():
            fail(f"--extract {pair!r}: write it as NAME=FILE, e.g. referrals=referrals.csv")
        out[name.strip()] = Path(file.strip())
    return out


def _profiles(items: list[str], definitions) -> dict:
    """--profile NAME or NAME:TABLE (NAME may be a profile YAML file) -> table -> profile."""
    from masa.indicators.extracts import table_schemas
    from masa.indicators.profiles import ProfileError, get_profile

    out: dict = {}
    tables = {d.source.table for d in definitions}
    for item in items:
        name, sep, table = item.rpartition(":")
        if not sep or "/" in table or "." in table:
            name, table = item, ""
        try:
            profile = get_profile(name.strip())
        except ProfileError as exc:
            fail(f"--profile {item!r}: {exc}")
        table = table.strip() or profile.extract
        if table not in tables:
            fail(f"--profile {item!r}: no definition reads a table {table!r}; tables used: {', '.join(sorted(tables))}")
        if table in out:
            fail(f"--profile {item!r}: table {table!r} already has profile {out[table].name}; give one per extract")
        missing = sorted(set(table_schemas([d for d in definitions if d.source.table == table])[table].columns)
                         - set(profile.columns))
        if missing:
            fail(f"--profile {item!r}: profile {profile.name} does not map column(s) {', '.join(missing)} "
                 f"of table {table!r}")
        out[table] = profile
    return out


@indicators_app.command("compute")
def compute_cmd(
    extract: list[str] = typer.Option(..., "--extract", "-e", help="TABLE=FILE (CSV, XLSX or Parquet); repeat"),
    period: str = typer.Option(..., help="Financial year (2024-25) or quarter (2024-25 Q3)"),
    out: Path = typer.Option(..., help="Where to write the data values (JSON)"),
    spec: Path | None = typer.Option(None, help="Definition file or folder (default: the standard set)"),
    only: list[str] = typer.Option([], help="Compute only these definition ids; repeat"),
    lenient: bool = typer.Option(False, help="Quarantine bad rows (counted in provenance) instead of stopping"),
    key_file: Path | None = typer.Option(None, help="Secret key file: person ids are replaced by a keyed hash"),
    partnership: Path | None = typer.Option(None, help=PARTNERSHIP_HELP),
    profile: list[str] = typer.Option([], "--profile", "-p",
                                      help="Source profile for an agency system's export: NAME (for its own "
                                           "extract) or NAME:TABLE; repeat. See `masa indicators profiles`"),
) -> None:
    """Compute indicators; only disclosure-controlled aggregates are written, and nothing on error."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from masa.disclosure import DisclosureError
    from masa.indicators import DefinitionError, ExtractError, compute, with_areas

    from .common import typed_period

    definitions = with_areas(_definitions(spec), _areas(partnership))
    if only:
        unknown = sorted(set(only) - {d.id for d in definitions})
        if unknown:
            fail(f"unknown definition id(s): {', '.join(unknown)}; known: {', '.join(d.id for d in definitions)}")
        definitions = [d for d in definitions if d.id in only]
    extracts = _extracts(extract)
    profiles = _profiles(profile, definitions)
    for table, prof in profiles.items():
        if table not in extracts:
            fail(f"--profile {prof.name}: no --extract {table}=FILE to read with it")
    wanted = {d.source.table for d in definitions}
    definitions = [d for d in definitions if d.source.table in extracts] if not only else definitions
    if not definitions:
        fail(f"no definition reads the given extracts ({', '.join(extracts)}); tables used: {', '.join(sorted(wanted))}")
    key = None
    if key_file:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            fail(f"{key_file}: cannot read the key file ({exc.strerror})")
        if len(key) < 16:
            fail(f"{key_file}: the key is too short; use at least 16 bytes of secret")
    code = typed_period(period)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("starting", total=len(definitions))

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        try:
            result = compute(definitions, extracts, code, lenient=lenient, pseudonymise_key=key, progress=progress,
                             profiles=profiles)
            result.write(out)
        except ExtractError as exc:
            fail("the extracts have problems; nothing was written:\n" + str(exc))
        except DefinitionError as exc:
            fail(str(exc))
        except DisclosureError as exc:
            fail(f"disclosure control refused the results; nothing was written: {exc}")
        except ValueError as exc:
            fail(str(exc))
        except OSError as exc:
            fail(f"{out}: cannot write ({exc.strerror})")
    suppressed = sum(1 for v in result.values if v.suppressed)
    console.print(f"{len(result.values)} values from {len(definitions)} definitions for {result.period} "
                  f"written to {out} ({suppressed} suppressed as 'c', {result.quarantined} rows quarantined, "
                  f"{result.seconds:.1f} s)", highlight=False)


@indicators_app.command("explain")
def explain_cmd(
    id: str = typer.Argument(..., help="Definition id"),
    spec: Path | None = typer.Option(None, help="Definition file or folder (default: the standard set)"),
    period: str = typer.Option("2024-25", help="Period for the SQL shown"),
    partnership: Path | None = typer.Option(None, help=PARTNERSHIP_HELP),
) -> None:
    """Say in plain English what a definition computes, and show its SQL."""
    from masa.indicators import explain, with_areas

    definitions = {d.id: d for d in with_areas(_definitions(spec), _areas(partnership))}
    if id not in definitions:
        fail(f"unknown definition {id!r}; known: {', '.join(definitions)}")
    try:
        console.print(explain(definitions[id], period), highlight=False, markup=False, soft_wrap=True)
    except ValueError as exc:
        fail(str(exc))


@indicators_app.command("list")
def list_cmd(spec: Path | None = typer.Option(None, help="Definition file or folder (default: the standard set)")) -> None:
    """List the definitions: id@version, table, indicator and title."""
    from rich.table import Column, Table

    # ids are what people copy into `explain` and `compute`: never wrap them; the title wraps instead
    table = Table(Column("definition", no_wrap=True), Column("table", no_wrap=True),
                  Column("indicator", no_wrap=True), Column("title", ratio=1))
    for d in _definitions(spec):
        table.add_row(d.ref, d.source.table, d.indicator, d.title)
    console.print(table)


@indicators_app.command("profiles")
def profiles_cmd() -> None:
    """List the source profiles masa ships: which system's export feeds which extract."""
    from rich.table import Column, Table

    from masa.indicators.profiles import ProfileError, shipped_profiles

    try:
        shipped = shipped_profiles()
    except ProfileError as exc:
        fail(str(exc))
    table = Table(Column("profile", no_wrap=True), Column("system"), Column("extract", no_wrap=True),
                  Column("title", ratio=1))
    for p in shipped.values():
        table.add_row(p.name, p.system, p.extract, p.title)
    console.print(table)


@indicators_app.command("profile-check")
def profile_check_cmd(
    file: Path = typer.Argument(..., help="The system's export (CSV, XLSX or Parquet)"),
    profile: str = typer.Option(..., "--profile", "-p", help="Profile name (see `masa indicators profiles`) or YAML file"),
    spec: Path | None = typer.Option(None, help="Definition file or folder (default: the standard set)"),
) -> None:
    """Say what in FILE maps onto masa's extract, what is dropped and what cannot be used,
    before any figure is computed. Exit 0 when it is ready, 2 when not."""
    from rich.table import Table

    from masa.indicators import ExtractError
    from masa.indicators.extracts import table_schemas
    from masa.indicators.profiles import ProfileError, check_file, get_profile

    try:
        prof = get_profile(profile)
    except ProfileError as exc:
        fail(f"--profile {profile!r}: {exc}")
    defs = [d for d in _definitions(spec) if d.source.table == prof.extract]
    if not defs:
        fail(f"profile {prof.name}: no definition reads table {prof.extract!r}")
    schema = table_schemas(defs)[prof.extract]
    try:
        report = check_file(file, prof, schema)
    except ExtractError as exc:
        fail(str(exc))
    m = report.match
    table = Table("column in the file", "becomes", "how", title=f"{report.file} read with profile {prof.name}")
    for target, col in m.mapped.items():
        cm = prof.columns[target]
        how = (f"{len(cm.codes)} codes" if cm.codes else
               f"dates {', '.join(cm.date_formats)}" if cm.date_formats else "renamed")
        table.add_row(col, f"{prof.extract}.{target}", how)
    for col in m.ambiguous:
        table.add_row(col, "?", "ambiguous: see below")
    for col in m.free_text:
        table.add_row(col, "dropped", "free text")
    for col in m.unneeded:
        table.add_row(col, "dropped", "no definition reads it")
    for col, near in m.unlisted.items():
        if col in m.flagged:
            table.add_row(col, "?", "unmapped: see below")
            continue
        table.add_row(col, "dropped", "not in the profile" + (f" (closest expected name: {near!r})" if near else ""))
    console.print(table)
    lines = [*m.problems, *(str(i) for i in report.issues)]
    if lines:
        fail(f"{report.file} cannot be used with profile {prof.name} yet:\n" + "\n".join(lines))
    console.print(f"ready: {report.rows} rows map onto masa's {prof.extract!r} extract "
                  f"({len(m.mapped)} columns kept, {len(m.free_text) + len(m.unneeded) + len(m.unlisted)} dropped)",
                  highlight=False)


def synth_cmd(
    out: Path = typer.Option(..., help="Folder for the extracts (with --profile: the CSV file to write)"),
    rows: int = typer.Option(9900, min=20, help="Rows in the referrals extract; the others in proportion"),
    seed: int = typer.Option(1, help="Random seed: the same seed gives the same files"),
    format: str = typer.Option("csv", help="csv or parquet"),
    partnership: Path | None = typer.Option(
        None, help="Partnership folder (or its spec/): records fall in its areas (default: Luton's three)"),
    profile: str | None = typer.Option(None, help="Write one sample export in this source profile's shape (CSV)"),
    scale: bool = typer.Option(False, "--scale", help="Write three partnership folders sharing partners, with "
                                                      "yearly and quarterly returns (for scale tests), not extracts"),
    partners: int = typer.Option(40, help="With --scale: partners in all, shared and each area's own (4 to 40)"),
    years: int = typer.Option(5, help="With --scale: financial years, ending 2024-25 (1 to 20)"),
) -> None:
    """Write synthetic, seeded extracts (no real people) for trying out and testing indicators.

    With --scale: three synthetic partnership folders (no real people or places) sharing
    partners, each year with its yearly returns and four quarterly ones, that masa load and
    masa demo --example read (load the first folder first: it holds the shared partners' returns)."""
    if scale:
        _synth_scale(out, seed, partners, years, profile, partnership)
        return
    from masa.indicators.synth import GENERATORS, write_extracts

    if profile:
        if format != "csv":
            fail(f"--format {format!r}: a --profile sample is a CSV export, as the system writes it")
        from masa.indicators.extracts import table_schemas
        from masa.indicators.profiles import ProfileError, get_profile, write_sample

        try:
            prof = get_profile(profile)
            defs = [d for d in _definitions(None) if d.source.table == prof.extract]
            n = max(20, int(rows / GENERATORS["referrals"][1] * GENERATORS.get(prof.extract, (None, 1.0))[1]))
            path = write_sample(prof, table_schemas(defs)[prof.extract], out, rows=n, seed=seed,
                                areas=list(_areas(partnership)) or None)
        except ProfileError as exc:
            fail(f"--profile {profile!r}: {exc}")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror or exc}")
        console.print(f"{prof.name}: {path} ({n} synthetic rows in {prof.system}'s shape)", highlight=False)
        return
    if format not in ("csv", "parquet"):
        fail(f"--format {format!r}: use csv or parquet")
    areas = list(_areas(partnership)) or None
    try:
        paths = write_extracts(out, rows=rows, seed=seed, fmt=format, areas=areas)
    except OSError as exc:
        fail(f"cannot write the extracts to {out}: {exc.strerror or exc}")
    for name, path in paths.items():
        console.print(f"{name}: {path}", highlight=False)


def _synth_scale(out: Path, seed: int, partners: int, years: int, profile: str | None,
                 partnership: Path | None) -> None:
    from masa.returns.synth_scale import generate

    if profile or partnership:
        fail(f"--scale writes whole partnership folders; it cannot be combined with "
             f"{'--profile' if profile else '--partnership'}")
    if out.exists() and not out.is_dir():
        fail(f"--out {out}: a file is there; --scale writes a folder of partnership folders")
    try:
        summary = generate(out, seed=seed, partners=partners, years=years)
    except ValueError as exc:
        fail(f"--scale: {exc}")
    except OSError as exc:
        fail(f"cannot write the partnership folders to {out}: {exc.strerror or exc}")
    console.print(f"{len(summary.partnerships)} partnerships, {summary.partners} partners, years "
                  f"{summary.years[0]} to {summary.years[-1]} with quarters: {summary.returns} returns, "
                  f"{summary.values} figures (seed {seed}, synthetic)", highlight=False)
    for folder in summary.folders:
        console.print(f"  {folder}", highlight=False)
    examples = " ".join(f"--example {f}" for f in summary.folders)
    console.print(f"Load them in this order (the first holds the shared partners' returns): masa demo {examples} "
                  f"--report {summary.partnerships[0]}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the main app."""
    app.add_typer(indicators_app, name="indicators")
    app.command("synth")(synth_cmd)
