"""Write plain data as readable YAML: block style, multi-line text as literal blocks, keys
in the order given. ``masa init`` and ``masa export`` write with it, so the same content
always gives the same bytes."""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, text: str):
    if "\n" in text:
        # Asks for a literal block; PyYAML quotes instead where a block cannot hold the text
        # exactly (trailing spaces, tabs), so reading back always gives the same string.
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


_Dumper.add_representer(str, _str)


def dump_yaml(data, header: str = "") -> str:
    """YAML text for data, with an optional comment header (one '# ' line per line)."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    return lines + body
