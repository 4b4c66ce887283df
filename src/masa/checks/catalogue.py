"""Imports every module that registers checks, so the registry is complete."""

from . import (  # noqa: F401
               areas,
               arithmetic,
               attachments,
               carry,
               compliance,
               consistency,
               dataset,
               declarative,
               duplicates,
               labels,
               partners,
               periods,
               privacy,
               quarters,
               spelling,
               stated_change,
               sums,
               tables,
)
