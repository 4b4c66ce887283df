"""The text layer the checker and the importer share, so both agree on what a figure is.

* :mod:`.numbers`: figures in prose (counts, percentages, money; years, levels, ranges and
  dates excluded), period markers, claimed changes ("up 25%", "a 17% reduction").
* :mod:`.changes`: whether a number is a value, a change or a target; "from 420 to 369".
* :mod:`.periods`: which period a phrase names, as the importer places a figure ("2023/24", "the
  previous year", not "in the last year").
* :mod:`.dates`: written dates and periods ("1 April 2023 to 31 March 2024", "Q2 (July to
  September)"), for the period checks.

Plain Python: no Django.
"""
