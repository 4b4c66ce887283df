"""Disclosure control: small-number suppression (primary and secondary), DfE practice.

Counts 1-5 are published as "c"; further cells are suppressed until no "c" can be worked
out exactly from the published totals. Used at every boundary where figures are published.
"""

from __future__ import annotations

from .errors import SUPPRESSED, DisclosureError
from .percentages import percent
from .suppression import Protected, protect
from .recovery import exposed_cells, recoverable_cells
from .table import protect_table

__all__ = [
    "SUPPRESSED",
    "exposed_cells",
    "DisclosureError",
    "Protected",
    "percent",
    "protect",
    "protect_table",
    "recoverable_cells",
]
