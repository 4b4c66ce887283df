"""Shared helpers for the import engine's tests: the seeds imported once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def imported_b(seed_b_path, spec):
    from masa.ingest import import_document

    return import_document(seed_b_path, spec, "2024-25")


@pytest.fixture(scope="session")
def imported_c(seed_c_path, spec):
    from masa.ingest import import_document

    return import_document(seed_c_path, spec, "2024-25")
