"""Imports every module that registers checks, so the registry is complete."""

from . import (  # noqa: F401
               areas,
               arithmetic,
               attachments,
               carry,
               compliance,
               consistency,
               coverage,
               dataset,
               declarative,
               duplicates,
               grammar_pos,  # extends language.grammar (imports it first)
               labels,
               language,
               names,
               partareas,
               partners,
               periods,
               privacy,
               quarters,
               spelling,
               stated_change,
               suppressed,
               structure,
               sums,
               tables,
)
