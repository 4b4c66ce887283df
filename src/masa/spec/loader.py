"""Load a partnership spec from a folder of YAML files, with errors that name file and line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .models import Spec, integrity_problems
from .yamlsource import Location, SourceDict, SourceError, load_yaml, locate, validation_messages


class SpecError(SourceError):
    """One or more problems in a spec; ``problems`` lists each with its location."""

    def __init__(self, problems: list[tuple[Location, str]]):
        self.problems = problems
        lines = [f"{loc}: {msg}" for loc, msg in problems]
        super().__init__("\n".join(lines))


def _merge(folder: Path) -> tuple[SourceDict, dict[str, SourceDict]]:
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not files:
        raise SpecError([(Location(str(folder)), "no .yaml files in the spec folder")])
    merged = SourceDict()
    merged.key_lines = {}
    owner: dict[str, SourceDict] = {}
    for f in files:
        data = load_yaml(f)
        if data is None:
            continue
        if not isinstance(data, SourceDict):
            raise SpecError([(Location(str(f), 1), "a spec file must be a mapping of sections")])
        for key, value in data.items():
            if key in merged:
                raise SpecError([(Location(str(f), data.key_lines[key], key),
                                  f"section {key!r} is already defined in {owner[key].file}")])
            merged[key] = value
            merged.key_lines[key] = data.key_lines[key]
            owner[key] = data
    return merged, owner


def _where(raw: SourceDict, owner: dict[str, SourceDict], loc: tuple) -> Location:
    if loc and loc[0] in owner:
        return locate(owner[loc[0]], loc)
    return locate(raw, loc)


def load_spec(path: str | Path) -> Spec:
    """Load and validate a spec folder (or a single YAML file); every problem is a SpecError."""
    try:
        return _load_spec(Path(path))
    except SpecError:
        raise
    except SourceError as exc:
        raise SpecError([(exc.location or Location(str(path)), exc.message)]) from None


def _load_spec(path: Path) -> Spec:
    if path.is_dir():
        raw, owner = _merge(path)
    else:
        raw = load_yaml(path)
        owner = {}
        if not isinstance(raw, SourceDict):
            raise SpecError([(Location(str(path), 1), "a spec must be a mapping")])
    try:
        spec = Spec.model_validate(raw)
    except ValidationError as exc:
        raise SpecError([(_where(raw, owner, loc), msg) for loc, msg in validation_messages(exc)]) from None
    problems = [(_where(raw, owner, loc), msg) for loc, msg in integrity_problems(spec)]
    if problems:
        raise SpecError(problems)
    return spec
