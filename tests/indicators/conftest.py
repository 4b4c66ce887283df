"""Fixtures for the indicators tests."""

import pytest


@pytest.fixture(scope="session")
def standard():
    from tests.indicators.indicators_helpers import luton_definitions

    return luton_definitions()
