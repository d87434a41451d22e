import logging
import os
from pathlib import Path

import pytest

from schedules import catalog

SEEDS = Path(
    os.environ.get("CHIBO_SEEDS", Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds")
)


@pytest.fixture(scope="session")
def cat():
    loaded = catalog.load()
    assert loaded.problems == []
    return loaded


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS} (set CHIBO_SEEDS)")
    return SEEDS


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """A test that runs `chibo` sets up logging on the root logger, with a handler bound to that
    test's captured stderr: put back what was there, so no later test logs into a closed capture."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
