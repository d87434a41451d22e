"""What the tests of schedules/ share beside the catalog (`cat`, tests/conftest.py)."""

import pytest

from bot.clock import TZ
from schedules.catalog import Catalog
from schedules.pushes import Planner


@pytest.fixture
def planner(cat: Catalog) -> Planner:
    """The Planner over the shipped plans, in Vietnam's time: what every chat's pushes come from."""
    return Planner(cat.plans, TZ)
