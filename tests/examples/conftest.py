"""Fixtures for the example tests: the seeds' text, split by partner."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.examples.seedtools import sections_by_partner


@pytest.fixture(scope="session")
def seed_b_text(seed_b_path: Path) -> str:
    return seed_b_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_c_text(seed_c_path: Path) -> str:
    return seed_c_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_b_sections(seed_b_text, spec) -> dict[str, str]:
    return sections_by_partner(seed_b_text, spec)


@pytest.fixture(scope="session")
def seed_c_sections(seed_c_text, spec) -> dict[str, str]:
    return sections_by_partner(seed_c_text, spec)
