import pytest

from tests import factories


@pytest.fixture
def cast(db):
    return factories.Cast()


@pytest.fixture
def borders(db):
    return factories.Cast("scottish-borders")
