"""Shared helpers for the indicators tests: the tiny hand-made extracts in data/."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
LUTON_FOLDER = Path(__file__).resolve().parents[2] / "examples" / "luton-2024-25"
# the Luton example's areas by ONS code, as ``area_map`` reads them from its spec
LUTON_AREAS = {"E06000032": "luton", "E06000055": "bedford", "E06000056": "central-bedfordshire"}


def luton_definitions():
    """The standard definitions with their area breakdowns made from the Luton example's areas."""
    from masa.indicators import standard_definitions, with_areas

    return with_areas(standard_definitions(), LUTON_AREAS)
TABLES = ["referrals", "safeguarding_referrals", "incidents", "training", "missing_episodes",
          "cp_conferences", "yj_disposals", "encompass"]


def tiny_extracts() -> dict[str, Path]:
    return {t: DATA / f"{t}.csv" for t in TABLES}


def unsuppressed(definitions):
    """The same definitions with disclosure threshold 0, so hand-computed logic shows through."""
    return [d.model_copy(update={"threshold": 0}) for d in definitions]


def by_key(values, indicator=None) -> dict:
    """(indicator, sorted by-items) -> value, or 'c' when suppressed."""
    return {(v.indicator, tuple(sorted(v.by.items()))): ("c" if v.note == "c" else v.value)
            for v in values if indicator is None or v.indicator == indicator}
