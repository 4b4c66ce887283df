"""The suppression marker and the one error type: disclosure control fails closed."""

from __future__ import annotations

SUPPRESSED = "c"
"""What a reader sees instead of a count that must not be published (DfE convention)."""


class DisclosureError(ValueError):
    """Input that cannot be protected safely; nothing is published when this is raised."""
