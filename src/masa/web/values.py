"""Load computed figures (the output of ``masa indicators compute``) into a partner's return.

The figures join the partner's return for that year, which must be a draft or queried:
a submitted return is frozen until the business unit sends it back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from masa.returns import DataValue, Return
from masa.spec import Location, SpecError, parse_period
from masa.spec.yamlsource import validation_messages

from . import setup
from .store import UnknownChoice, return_from_row, save_returns, spec_for


class NotEditable(SpecError):
    """The return is submitted, approved or published: figures wait until it is sent back."""


class ValuesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str
    values: list[DataValue]


@dataclass
class LoadedValues:
    partner: str
    period: str
    template: str
    status: str
    added: int
    replaced: int


def read_values_file(path: str | Path) -> ValuesFile:
    """Parse and validate a values file; errors name the file and the line or field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([(Location(str(path)), "file not found")]) from None
    except UnicodeDecodeError:
        raise SpecError([(Location(str(path)), "not UTF-8 text: expected the JSON written by masa indicators compute")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError([(Location(str(path), exc.lineno), f"not valid JSON: {exc.msg} (column {exc.colno})")]) from None
    try:
        return ValuesFile.model_validate(data)
    except ValidationError as exc:
        raise SpecError([(Location(str(path), None, ".".join(map(str, loc))), msg)
                         for loc, msg in validation_messages(exc)]) from None


def load_values(partnership: str, partner: str, path: str | Path, template: str = "appendix-b",
                who=None) -> LoadedValues:
    """Merge the file's figures into the partner's return for the year, in one transaction.

    ``who`` is the command-line ``Invocation`` the audit log names."""
    setup()
    spec = spec_for(partnership)
    if partner not in {p.code for p in spec.partners}:
        raise UnknownChoice("partner", partner, [p.code for p in spec.partners])
    if template not in {t.code for t in spec.templates}:
        raise UnknownChoice("template", template, [t.code for t in spec.templates])
    vf = read_values_file(path)
    try:
        year = parse_period(vf.period).year
    except ValueError as exc:
        raise SpecError([(Location(str(path), None, "period"), str(exc))]) from None
    if year not in spec.period_codes:
        raise UnknownChoice("period", year, list(spec.periods.financial_years))
    from django.db import transaction
    from django.db.models import F

    from .accounts.access import EDITABLE  # imported here: its models need Django set up first
    from .core.models import Return as ReturnRow

    with transaction.atomic():  # read, check and write under the row's lock: no lost web save
        row = (ReturnRow.objects.select_for_update()
               .filter(partner__code=partner, period__code=year, template__code=template).first())
        if row is not None and row.status not in EDITABLE:
            why = (f"the {partner} return for {year} ({template}) is {row.status}: figures can only be loaded "
                   "into a draft or a queried return; nothing was loaded")
            raise NotEditable([(Location(str(path)), why)])
        current = return_from_row(row) if row else Return(partner=partner, period=year, template=template)
        incoming = {v.key(partner, vf.period): v.model_copy(update={"period": v.period or vf.period})
                    for v in vf.values}
        kept = [v for v in current.values if v.key(partner, year) not in incoming]
        merged = current.model_copy(update={"values": kept + list(incoming.values())})
        merged.source = str(path)
        save_returns(spec, [merged], who=who)
        if row is not None:  # a form opened before this load must not overwrite it unseen
            ReturnRow.objects.filter(pk=row.pk).update(lock_version=F("lock_version") + 1)
    return LoadedValues(partner, year, template, merged.status, added=len(incoming),
                        replaced=len(current.values) - len(kept))
