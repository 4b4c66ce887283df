"""Imports every module that registers checks, so the registry is complete."""

from . import (  # noqa: F401
               areas,
               arithmetic,
               attachments,
               carry,
               compliance,
               dataset,
               declarative,
               duplicates,
               labels,
               names,
               partners,
               privacy,
               quarters,
               language,
               spelling,
               stated_change,
               structure,
               tables,
)
