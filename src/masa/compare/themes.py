"""Theme coverage: which partners reported against which priorities and cross-cutting themes.

Counted from the priority tags partners put on the parts of their returns: narrative and
figures sections, audits, challenges, next-year priorities and the review of last year's.
Plain Python over a dataset already scoped to one partnership (masa.returns.scope), so a
partnership sees only parts about its own areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Return attributes holding tagged parts, and what a reader calls each.
TAGGED = (("sections", "section"), ("audits", "audit"), ("challenges", "challenge"),
          ("next_year", "next-year priority"), ("priority_reviews", "last year's priority"))


@dataclass(frozen=True)
class PartRef:
    """One tagged part, enough to link to it and name it."""

    partner: str
    period: str
    template: str
    kind: str  # section, audit, challenge, ...
    label: str  # the section title or part's first words


@dataclass
class Coverage:
    partners: list  # spec Partner, in spec order (those with any return in view)
    priorities: list  # spec Priority: priorities first, then themes
    cells: dict[tuple[str, str], list[PartRef]] = field(default_factory=dict)  # (partner, priority) -> parts

    def count(self, partner: str, priority: str) -> int:
        return len(self.cells.get((partner, priority), []))

    def uncovered(self, statutory_only: bool = True) -> list:
        """Priorities (kind priority) no statutory partner (or no partner at all) reported against."""
        who = [p for p in self.partners if p.statutory or not statutory_only]
        return [pr for pr in self.priorities if pr.kind == "priority"
                and not any(self.count(p.code, pr.code) for p in who)]


def coverage(dataset, period: str | None = None) -> Coverage:
    """The partner × priority matrix of ``dataset``'s returns (of ``period``, with its quarters,
    when given). Priorities retired before the period stay out; a tag no longer in the spec is
    ignored rather than guessed."""
    spec = dataset.spec
    year = period.split(" ")[0] if period else None
    priorities = sorted((p for p in spec.priorities if year is None or p.live_in(year)),
                        key=lambda p: p.kind != "priority")
    known = {p.code for p in priorities}
    cells: dict[tuple[str, str], list[PartRef]] = {}
    seen_partners: set[str] = set()
    for r in dataset.returns:
        if period and not (r.period == period or r.period.startswith(period + " ")):
            continue
        seen_partners.add(r.partner)
        titles = _section_titles(spec, r.template)
        for attr, kind in TAGGED:
            for part in getattr(r, attr):
                for tag in part.priorities:
                    if tag not in known:
                        continue
                    cells.setdefault((r.partner, tag), []).append(
                        PartRef(r.partner, r.period, r.template, kind, _label(part, attr, titles)))
    partners = [p for p in spec.partners if p.code in seen_partners]
    return Coverage(partners=partners, priorities=priorities, cells=cells)


def _section_titles(spec, template: str) -> dict[str, str]:
    try:
        return {s.code: s.title for s in spec.template(template).sections}
    except KeyError:
        return {}


def _label(part, attr: str, titles: dict[str, str]) -> str:
    if attr == "sections":
        title = titles.get(part.section, part.section)
        return f"{title}: {part.heading}" if part.heading else title
    if attr == "audits":
        return part.title
    text = part.text.strip().split("\n")[0]
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


__all__ = ["Coverage", "PartRef", "coverage"]
