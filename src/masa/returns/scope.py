"""A partnership's view of returns that partners covering several areas write once.

A partner such as a police force serves several partnerships with one return per period.
Each part of it (section, audit, highlight, challenge, next-year priority, case study) says
which of the partner's areas it concerns (``areas``; empty: all of them), and each figure
carries its area (``by: {area: ...}``) or none (the partner as a whole). A partnership sees:

- only parts about one of its areas (an "all my areas" part when the partner covers one);
  the voice answer (``voice_areas``) likewise;
- only figures of its areas; a figure with no area (the partner as a whole) only where it is
  marked for its areas alone (``DataValue.areas``), or, unmarked, from a partner that covers
  nothing outside the partnership (a force-wide figure is not one partnership's figure);
- for a partnership of several areas, its own figure made from its areas' figures where the
  indicator adds up (aggregation ``sum``), and marked as not computable otherwise.

Plain Python, no Django: ``masa.web.store.dataset_for`` calls :func:`scope_dataset`, and so
every report, public page, API answer and open-data file reads the same view. The result is
still raw figures: the publishing boundary suppresses them as before.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .model import AreaPart, Dataset, DataValue, Provenance, Return
from .validate import AREA_PARTS

# Aggregations whose figures add up across areas as across quarters: a flow, or a stock at one date.
ADDITIVE = ("sum", "end")
NOT_COMPUTABLE = "not computable from the areas' figures"  # note on a partnership figure that cannot be made


def part_in_scope(part_areas: Collection[str], partner_areas: Collection[str], areas: Collection[str]) -> bool:
    """Does a part marked for ``part_areas`` (empty: all of ``partner_areas``) concern any of ``areas``?"""
    return bool(set(part_areas or partner_areas) & set(areas))


def figure_in_scope(value: DataValue, partner_areas: Collection[str], areas: Collection[str]) -> bool:
    """A figure of an area (``by: {area: ...}``) belongs to that area's partnerships. A figure
    with no area (the partner as a whole) belongs to a partnership covering every area it is
    marked for (``value.areas``), and when unmarked only to a partnership covering every one of the
    partner's areas: a force-wide figure is not one of its partnerships' figure."""
    area = value.by.get("area")
    if area is not None:
        return area in areas
    if value.areas:
        # Only a partnership covering every area it is marked for: a figure for three areas
        # published by each of their partnerships beside its per-area figures would let a
        # reader subtract the others' published figures from it and find a suppressed one.
        return set(value.areas) <= set(areas)
    return bool(partner_areas) and set(partner_areas) <= set(areas)


def scope_return(ret: Return, partner_areas: Collection[str], areas: Collection[str],
                 spec=None) -> Return | None:
    """The part of ``ret`` one partnership (covering ``areas``) sees, or None when the partner
    covers none of them. With ``spec`` (the partnership's), a partnership of several areas
    also gets its own figure made from its areas' figures (:func:`partnership_figures`)."""
    if not set(partner_areas) & set(areas):
        return None
    update: dict = {name: [p for p in getattr(ret, name) if part_in_scope(p.areas, partner_areas, areas)]
                    for name in AREA_PARTS}
    values = [v for v in ret.values if figure_in_scope(v, partner_areas, areas)]
    if spec is not None and len(set(areas)) > 1:
        values += partnership_figures(values, spec, ret.period)
    update["values"] = values
    update["attachments"] = [a for a in ret.attachments if a.area is None or a.area in areas]
    if not part_in_scope(ret.voice_areas, partner_areas, areas):
        update["voice"] = ""
    return ret.model_copy(update=update)


def partnership_figures(values: Iterable[DataValue], spec, default_period: str) -> list[DataValue]:
    """A figure with no area for each indicator × period × other breakdown that has only area
    figures: their sum where the indicator adds up (aggregation sum or end: counts, a year-end
    stock) and every area's figure is known, else a
    figure with no value marked :data:`NOT_COMPUTABLE`."""
    values = list(values)
    have = {(v.indicator, v.period or default_period, tuple(sorted(v.by.items()))) for v in values}
    groups: dict[tuple, list[DataValue]] = {}
    for v in values:
        if "area" not in v.by:
            continue
        rest = tuple(sorted((k, o) for k, o in v.by.items() if k != "area"))
        groups.setdefault((v.indicator, v.period or default_period, rest), []).append(v)
    out = []
    for (indicator, period, rest), group in groups.items():
        if (indicator, period, rest) in have:
            continue  # the partner stated it
        ind = spec.indicator(indicator)
        known = [v.value for v in group if v.value is not None]
        how = f"sum of {', '.join(sorted(v.by['area'] for v in group))}"
        additive = ind.year_from_quarters in ADDITIVE
        if additive and len(known) == len(group):
            total, note = sum(known), ""
        else:
            why = "an area's figure is suppressed or missing" if additive else f"{ind.unit} figures do not add up"
            total, note = None, f"{NOT_COMPUTABLE} ({why})"
        out.append(DataValue(indicator=indicator, period=period, by=dict(rest), value=total, note=note,
                             provenance=Provenance(kind="computed", source=how)))
    return out


def mark_for_partnership(ret: Return, spec) -> Return:
    """A return read from a document written for one partnership (its report, or a partner's
    contribution to it, as ``masa import`` reads): every unmarked part, the voice answer and
    every figure with no area are about that partnership's areas, so they are marked for them
    when the partner also covers others. Otherwise they would reach the neighbours' reports
    ("all my areas"), or, for a figure, no report at all."""
    mine = set(spec.partnership.areas)
    covered = set(spec.partner(ret.partner).areas) if ret.partner in {p.code for p in spec.partners} else mine
    if covered <= mine:
        return ret
    areas = sorted(covered & mine) or sorted(mine)
    update: dict = {name: [p if p.areas else p.model_copy(update={"areas": areas}) for p in getattr(ret, name)]
                    for name in AREA_PARTS}
    update["values"] = [v if v.areas or "area" in v.by else v.model_copy(update={"areas": areas})
                        for v in ret.values]
    if ret.voice and not ret.voice_areas:
        update["voice_areas"] = areas
    return ret.model_copy(update=update)


def scope_dataset(dataset: Dataset, areas: Collection[str] | None = None) -> Dataset:
    """The dataset as its partnership sees it (``areas``: default the spec's partnership's)."""
    spec = dataset.spec
    areas = list(spec.partnership.areas) if areas is None else list(areas)
    partner_areas = {p.code: list(p.areas) for p in spec.partners}
    out = []
    for r in dataset.returns:
        scoped = scope_return(r, partner_areas.get(r.partner, []), areas, spec)
        if scoped is not None:
            out.append(scoped)
    return Dataset(spec=spec, returns=out)


__all__ = ["NOT_COMPUTABLE", "AreaPart", "figure_in_scope", "mark_for_partnership", "part_in_scope",
           "partnership_figures",
           "scope_dataset", "scope_return"]
