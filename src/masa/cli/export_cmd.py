"""`masa export`: the database's spec, returns and assurance back to a partnership folder."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import console, fail


def export(
    partnership: str = typer.Option(..., help="The stored partnership's code"),
    out: Path = typer.Option(..., help="The folder to write (must not exist, or be empty)"),
) -> None:
    """Write the stored spec, every return (all statuses, with figures and provenance) and the
    assurance work (reviews, case audits, scrutiny, Section 11) as the folder `masa load` reads:
    spec/*.yaml, returns/<period>/<template>/<partner>.yaml and assurance/."""
    from masa.web.store import migrate

    migrate()
    from masa.web.exporting import export_partnership
    from masa.web.store import UnknownChoice

    try:
        summary = export_partnership(partnership, out)
    except UnknownChoice as exc:
        fail(f"--partnership: {exc}")
    except FileExistsError as exc:
        fail(f"--out {exc}")
    except OSError as exc:
        fail(f"--out {out}: cannot write: {exc.strerror or exc}")
    console.print(f"{summary.partnership}: wrote {len(summary.files)} files to {out} "
                  f"({summary.returns} returns, {summary.values} figures"
                  + (f", {len(summary.assurance)} assurance files" if summary.assurance else "") + ").", highlight=False, soft_wrap=True)
    if summary.loose:
        console.print(f"[yellow]not exported:[/] {summary.loose} figures stored with no return "
                      "(`masa load` reads figures only inside returns).", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command()(export)
