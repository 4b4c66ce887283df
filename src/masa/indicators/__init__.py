"""Indicators computed from record-level extracts on the partner's own machine.

Definitions (YAML) compile to portable SQL run by DuckDB; the results pass disclosure
control and come out as ``masa.returns.DataValue`` with computed provenance. Only
aggregates leave; on any error nothing does.
"""

from .compile import compile_sql
from .compute import ComputeResult, compute, write_atomic
from .definition import (
                         Definition,
                         DefinitionError,
                         area_map,
                         load_definitions,
                         standard_definitions,
                         with_areas,
)
from .explain import explain
from .extracts import ExtractError, Issue, pseudonym

__all__ = [
                         "ComputeResult",
                         "Definition",
                         "DefinitionError",
                         "ExtractError",
                         "Issue",
                         "area_map",
                         "compile_sql",
                         "compute",
                         "explain",
                         "load_definitions",
                         "pseudonym",
                         "standard_definitions",
                         "with_areas",
                         "write_atomic",
]
