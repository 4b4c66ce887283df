"""Write a spec as a folder of YAML files that :func:`masa.spec.load_spec` reads back.

The layout is the example's (partnership.yaml, partners.yaml, indicators.yaml, ...).
Every field comes from the pydantic model's own dump, so a field added to the spec models
later is written (and read back) with no change here; a top-level section this module
does not know goes to a file of its own name.
"""

from __future__ import annotations

from pathlib import Path

from .models import Spec
from .yamlwrite import dump_yaml

# file -> (sections, header)
LAYOUT = {
    "partnership.yaml": (("partnership", "areas", "periods"), "The partnership, its areas (local authorities) and its periods."),
    "partners.yaml": (("partners",), ("The partners that send returns. Replace the starter names with your agencies'\n"
                                      "own, and add aliases: the other names each goes by in documents.")),
    "priorities.yaml": (("priorities",), "Partnership priorities and cross-cutting themes."),
    "indicators.yaml": (("breakdowns", "indicators"), "Breakdowns (disaggregations) and indicators. Figures in returns refer to these codes."),
    "templates.yaml": (("templates",), "Return templates: the sections a partner fills in."),
    "rules.yaml": (("rules",), 'Validation rules: left op right. "error" blocks approval; "query" asks.'),
    "vocabulary.yaml": (("vocabulary",), "Words the spelling check accepts: acronyms, agency and system names."),
}


def spec_files(spec: Spec) -> dict[str, str]:
    """File name -> YAML text for a spec. Fields left at their defaults are not written."""
    doc = spec.model_dump(mode="json", exclude_defaults=True)
    out: dict[str, str] = {}
    placed: set[str] = set()
    for filename, (sections, header) in LAYOUT.items():
        part = {k: doc[k] for k in sections if k in doc}
        placed.update(sections)
        if part:
            out[filename] = dump_yaml(part, header)
    for key in doc:
        if key not in placed:
            out[f"{key}.yaml"] = dump_yaml({key: doc[key]})
    return out


def write_spec(spec: Spec, folder: str | Path) -> list[Path]:
    """Write the spec's files into folder (created if missing); returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in spec_files(spec).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
