"""Fixtures for the indicators tests."""

import pytest


@pytest.fixture(scope="session")
def standard():
    from masa.indicators import standard_definitions

    return standard_definitions()
