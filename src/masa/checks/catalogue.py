"""Imports every module that registers checks, so the registry is complete."""

from . import (arithmetic, areas, attachments, compliance, declarative, duplicates, labels, partners,  # noqa: F401
               dataset, privacy, spelling, tables)
