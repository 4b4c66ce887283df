"""The registry: unique codes, documented checks, and a crashing check is never a pass."""

from __future__ import annotations

from masa.checks import (
    REGISTRY,
    Check,
    catalogue,  # noqa: F401
    check_texts,
)
from masa.checks.declarative import load_entries
from masa.checks.registry import register


def test_codes_unique_and_documented():
    assert len(REGISTRY) >= 30
    for code, c in REGISTRY.items():
        assert code == c.code
        assert c.title.strip() and c.rationale.strip(), code
        assert c.severity in ("error", "query", "info"), code
        assert c.scope in ("figure", "narrative", "return", "report", "across-years"), code
    codes = [c.code for c in load_entries()]
    assert len(codes) == len(set(codes))


def test_registering_a_second_check_under_a_taken_code_fails():
    taken = next(iter(REGISTRY.values()))
    try:
        register(Check(taken.code, "x", "error", "narrative", "x", lambda ctx, c: []))
    except ValueError as exc:
        assert taken.code in str(exc)
    else:
        raise AssertionError("a duplicate code was accepted")


def test_a_crashing_check_is_reported_as_crashed_not_passed():
    def boom(ctx, c):
        raise RuntimeError("deliberate failure")
        yield  # pragma: no cover

    register(Check("test.crashes", "Always crashes", "error", "narrative", "tests the crash path", boom))
    try:
        run = check_texts([("a.txt", "Some text.")], None, codes=["test.crashes", "text.placeholder"])
    finally:
        del REGISTRY["test.crashes"]
    crashed = [f for f in run.findings if f.code == "test.crashes"]
    assert len(crashed) == 1 and crashed[0].severity == "crashed"
    assert "deliberate failure" in crashed[0].message
    assert run.has_errors  # a crash blocks approval like an error


def test_the_docs_table_of_checks_is_generated_from_the_registry():
    from masa.checks import doctable

    assert doctable.is_current(), "docs/checks.md's table of checks is stale: run scripts/write_checks_table.py"
    for code in REGISTRY:
        assert f"| `{code}` |" in doctable.table()


def test_a_new_check_makes_the_docs_table_stale():
    from masa.checks import doctable

    register(Check("test.undocumented", "Not in the docs yet", "query", "narrative", "tests staleness",
                   lambda ctx, c: []))
    try:
        assert not doctable.is_current()
    finally:
        del REGISTRY["test.undocumented"]
