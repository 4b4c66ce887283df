"""Load an example partnership folder: ``spec/`` plus ``returns/**/*.yaml``.

Loading is all or nothing: every file is validated first, and any error stops the load
with a message naming the file, the line and the field.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from masa.spec.loader import SpecError, load_spec
from masa.spec.yamlsource import Location, SourceDict, SourceError, load_yaml, locate, validation_messages

from .model import Dataset, Return
from .validate import reference_problems, rule_problems


def load_return_file(path: Path) -> tuple[Return | None, list[tuple[Location, str]], object]:
    try:
        raw = load_yaml(path)
    except SourceError as exc:  # syntax, stray control character: a problem like any other
        return None, [(exc.location or Location(str(path)), exc.message)], None
    if not isinstance(raw, SourceDict):
        return None, [(Location(str(path), 1), "a return file must be a mapping")], raw
    try:
        ret = Return.model_validate(raw)
    except ValidationError as exc:
        return None, [(locate(raw, loc, str(path)), msg) for loc, msg in validation_messages(exc)], raw
    ret.source = str(path)
    return ret, [], raw


def load_dataset(folder: str | Path) -> Dataset:
    """Validate and load a partnership folder. Raises SpecError listing every problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SpecError([(Location(str(folder)), "not a folder: expected a partnership folder with spec/ and returns/")])
    if not (folder / "spec").is_dir():
        raise SpecError([(Location(str(folder)), "not a partnership folder: it needs a spec/ folder of YAML files "
                                                 "(and returns/ for the partners' returns)")])
    spec = load_spec(folder / "spec")
    problems: list[tuple[Location, str]] = []
    returns: list[Return] = []
    seen: dict[tuple, str] = {}
    for path in sorted((folder / "returns").rglob("*.yaml")):
        ret, errs, raw = load_return_file(path)
        problems += errs
        if ret is None:
            continue
        for p in reference_problems(spec, ret) + rule_problems(spec, ret):
            if p.severity == "error":
                problems.append((locate(raw, p.loc, str(path)), p.message))
        if ret.key() in seen:
            problems.append((Location(str(path), 1), f"a return for {ret.key()} is already in {seen[ret.key()]}"))
        seen[ret.key()] = str(path)
        returns.append(ret)
    if problems:
        raise SpecError(problems)
    return Dataset(spec=spec, returns=returns)
