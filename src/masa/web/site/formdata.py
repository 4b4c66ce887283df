"""A stored return as the form data the return page posts, so the page, an upload, the
API and a merge all read figures and parts through the one form reader."""

from __future__ import annotations

from masa.spec.periods import shift_period
from masa.web import store

from . import carryforms, returnform


def last_year_values(row) -> list:
    """Stored figures of earlier periods for this partner (for last year's column)."""
    from masa.web.core.models import DataValue

    last = shift_period(row.period.code, -1)
    return [store._value(v) for v in DataValue.objects.filter(partner=row.partner, period__code=last)
            .select_related("indicator", "period")]


class FormView(dict):
    """A QueryDict-like view: the stored return's own fields plus uploaded figures."""

    def __init__(self, base: dict, figures: dict):
        super().__init__({k: v for k, v in base.items() if not k.startswith("fig|")})
        self.update(figures)

    def getlist(self, key):
        v = super().get(key, [])
        return v if isinstance(v, list) else [v]

    def get(self, key, default=None):
        v = super().get(key, default)
        return v[-1] if isinstance(v, list) and v else v


def request_post_from(ret, spec) -> dict:
    """The form fields that reproduce a stored return (used when an upload replaces figures)."""
    out: dict = {}
    counters: dict[str, int] = {}
    for s in ret.sections:
        n = counters[s.section] = counters.get(s.section, -1) + 1
        p = f"sec-{s.section}-{n}"
        out[f"{p}-text"], out[f"{p}-heading"], out[f"{p}-pri"] = s.text, s.heading, list(s.priorities)
    for n, h in enumerate(ret.highlights):
        out[f"hl-{n}-delivered"], out[f"hl-{n}-impact"] = h.delivered, h.impact
    for n, c in enumerate(ret.challenges):
        out[f"ch-{n}-text"], out[f"ch-{n}-pri"] = c.text, list(c.priorities)
    for n, c in enumerate(ret.next_year):
        out[f"ny-{n}-text"], out[f"ny-{n}-pri"] = c.text, list(c.priorities)
    for n, c in enumerate(ret.case_studies):
        out[f"cs-{n}-title"], out[f"cs-{n}-text"] = c.title, c.text
    for n, a in enumerate(ret.audits):
        out[f"au-{n}-title"], out[f"au-{n}-findings"] = a.title, "\n".join(a.findings)
        out[f"au-{n}-pri"] = list(a.priorities)
        for m, act in enumerate(a.actions):
            q = f"au-{n}-act-{m}"
            out[f"{q}-text"], out[f"{q}-owner"] = act.text, act.owner
            out[f"{q}-due"], out[f"{q}-status"] = act.due.isoformat() if act.due else "", act.status
    out["voice"] = ret.voice
    out.update(returnform.area_fields(ret))
    out.update(carryforms.post_fields(ret))
    return out
