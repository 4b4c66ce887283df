"""The ``masa`` command line: thin commands that call the engines.

Each engine's commands live in their own module with a ``register(app)`` function, so the
command list below is the whole map of the CLI.
"""

from __future__ import annotations

import sys

import typer

from . import check_cmd, data_cmd, export_cmd, import_cmd, indicators_cmd, init_cmd, report_cmd, web_cmd, worker_cmd
from .groups import report_app

app = typer.Typer(
    name="masa",
    help="Multi-agency safeguarding arrangements: returns, checks, indicators and the yearly report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(report_app, name="report")
for module in (data_cmd, init_cmd, export_cmd, report_cmd, check_cmd, indicators_cmd, import_cmd, web_cmd, worker_cmd):
    module.register(app)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
