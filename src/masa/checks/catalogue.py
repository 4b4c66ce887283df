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
               sums,
               privacy,
               quarters,
               spelling,
               stated_change,
               tables,
)
