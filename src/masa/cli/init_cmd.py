"""`masa init`: write a new partnership folder from the standard catalogue."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import console, fail


def init(
    name: str = typer.Argument(..., help='The partnership\'s name, e.g. "Northtown Safeguarding Children Partnership"'),
    areas: str = typer.Option(..., help='Local authorities it covers, comma-separated: "Kent,Medway"'),
    out: Path = typer.Option(..., help="The folder to write (must not exist, or be empty)"),
    year: str = typer.Option("", help="The current financial year, e.g. 2025-26 (default: the one containing today)"),
    code: str = typer.Option("", help="The partnership's code (default: its name in lower case with hyphens)"),
) -> None:
    """Write a working partnership folder: spec/ (areas with ONS codes, starter partners,
    standard priorities, indicators, templates and rules) and an empty returns/.

    Edit spec/partners.yaml to name your agencies, then `masa load DIR`."""
    from masa.spec.starter import StarterError, split_area_names, starter_spec
    from masa.spec.writer import spec_files

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        fail(f"--out {out}: already exists and is not empty; choose a new folder")
    try:
        spec = starter_spec(name, split_area_names(areas), year=year or None, code=code or None)
    except StarterError as exc:
        option = {"name": "NAME", "areas": "--areas", "year": "--year", "code": "--code"}.get(exc.field, exc.field)
        fail(f"{option}: {exc}")
    files = spec_files(spec)
    try:
        (out / "spec").mkdir(parents=True, exist_ok=True)
        (out / "returns").mkdir(exist_ok=True)
        for filename, text in files.items():
            (out / "spec" / filename).write_text(text, encoding="utf-8")
        (out / "returns" / "README.md").write_text(RETURNS_README, encoding="utf-8")
    except OSError as exc:
        fail(f"--out {out}: cannot write: {exc.strerror or exc}")
    areas_text = ", ".join(f"{a.name} ({a.ons_code})" for a in spec.areas)
    console.print(f"Wrote {out}: [bold]{spec.partnership.name}[/] (code {spec.partnership.code}), "
                  f"{areas_text}; {len(spec.partners)} starter partners, {len(spec.indicators)} indicators, "
                  f"current year {spec.periods.current}.", highlight=False, soft_wrap=True)
    console.print(f"Next: name your agencies in {out / 'spec' / 'partners.yaml'}, then "
                  f"[bold]masa load {out}[/] and [bold]masa serve[/].", highlight=False, soft_wrap=True)


RETURNS_README = """\
Partners' returns, one YAML file per partner per template (the example partnership
that comes with masa shows the format). Returns are usually typed or imported in the web
application; files here are loaded by `masa load` and written by `masa export`.
"""


def register(app: typer.Typer) -> None:
    app.command()(init)
