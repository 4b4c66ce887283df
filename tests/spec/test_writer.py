"""Writing a spec and returns as YAML reads back to the same models (the files `masa init`
and `masa export` write)."""

from __future__ import annotations

import yaml

from masa.returns import Return, load_dataset
from masa.spec import load_spec
from masa.spec.writer import write_spec
from masa.spec.yamlwrite import dump_yaml


def test_the_example_spec_written_and_read_back_is_the_same(example_dir, tmp_path):
    spec = load_spec(example_dir / "spec")
    write_spec(spec, tmp_path / "spec")
    assert load_spec(tmp_path / "spec") == spec
    assert sorted(p.name for p in (tmp_path / "spec").iterdir()) == sorted(
        p.name for p in (example_dir / "spec").glob("*.yaml"))


def test_every_example_return_written_and_read_back_is_the_same(example_dir):
    from masa.web.exporting import return_document

    for ret in load_dataset(example_dir).returns:
        again = Return.model_validate(yaml.safe_load(dump_yaml(return_document(ret))))
        assert again.model_dump() == ret.model_dump(), ret.key()


def test_text_with_lines_and_trailing_spaces_survives():
    for text in ["one\ntwo\n", "ends with space \nnext", "  leading\n\ttab\n\n", "a: b # not a comment", "2024-25"]:
        assert yaml.safe_load(dump_yaml({"t": text}))["t"] == text
