"""YAML loading that remembers where every value came from.

Errors in hand-written metadata are only useful if they name the file, the line and the
field, so the loader returns dicts and lists that carry their source line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class SourceDict(dict):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]
    file: str = ""


class SourceList(list):
    """A sequence that knows the line of itself and of each item (1-based)."""

    line: int = 0
    item_lines: list[int]
    file: str = ""


@dataclass(frozen=True)
class Location:
    file: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        out = self.file
        if self.line:
            out += f":{self.line}"
        if self.field:
            out += f" ({self.field})"
        return out


class SourceError(ValueError):
    """A problem in an input file, with where it is."""

    def __init__(self, message: str, location: Location | None = None):
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> SourceDict:
    loader.flatten_mapping(node)
    out = SourceDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    out.file = loader.name
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise SourceError(
                f"duplicate key {key!r}", Location(loader.name, key_node.start_mark.line + 1, str(key))
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> SourceList:
    out = SourceList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    out.file = loader.name
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: pydantic parses them, so a bad date is reported like any other field.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: str | Path) -> Any:
    """Parse a YAML file into SourceDict/SourceList values; syntax errors name the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError("file not found", Location(str(path))) from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", Location(str(path))) from None
    return load_yaml_text(text, str(path))


# PyYAML refuses these with a character offset into "<unicode string>"; we name the line.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
_C0_NAMES = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO",
             "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS",
             "RS", "US"]


def _character_problem(text: str, name: str) -> SourceError | None:
    """A control character (NUL, BEL, ...) is usually a paste accident: say where it is."""
    found = _NON_PRINTABLE.search(text)
    if found is None:
        return None
    pos = found.start()
    char = ord(found.group())
    label = f"U+{char:04X}" + (f" ({_C0_NAMES[char]})" if char < 32 else " (DEL)" if char == 0x7F else "")
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return SourceError(f"control character {label} at column {column}; remove it", Location(name, line))


def load_yaml_text(text: str, name: str) -> Any:
    problem = _character_problem(text, name)
    if problem is not None:
        raise problem
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except SourceError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise SourceError(
            f"YAML syntax: {exc.problem}", Location(name, mark.line + 1 if mark else None)
        ) from None
    except yaml.YAMLError as exc:  # anything PyYAML reports without a mark
        raise SourceError(f"YAML: {exc}", Location(name)) from None
    finally:
        loader.dispose()


def locate(data: Any, loc: tuple, default_file: str = "") -> Location:
    """Find the source line for a pydantic error location inside loaded YAML."""
    node = data
    line = getattr(data, "line", None)
    file = getattr(data, "file", "") or default_file
    for part in loc:
        if isinstance(node, SourceDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, SourceList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        file = getattr(node, "file", "") or file
    field = ".".join(str(p) for p in loc) if loc else None
    return Location(file, line, field)


def validation_messages(exc) -> list[tuple[tuple, str]]:
    """(location path, plain message) for each error of a pydantic ValidationError."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown field {loc[-1]!r}"
        elif err["type"] == "missing":
            msg = f"missing field {loc[-1]!r}"
        out.append((loc, msg))
    return out
