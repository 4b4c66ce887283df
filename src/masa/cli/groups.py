"""Command groups shared by several engine modules (``masa report build`` and ``masa report check``)."""

import typer

report_app = typer.Typer(help="Build and check a partnership's yearly report from stored returns.", no_args_is_help=True)
