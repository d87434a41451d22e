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
    test's captured stderr: put back what was there, so no later test logs into a closed capture.
    The handlers' filters too: pytest's capture handler is one object for the whole session, and a
    redacting filter a test adds to it (caplog.handler.addFilter) made every later `chibo` failure
    at DEBUG log its traceback there instead of printing it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    filters = [(h, h.filters[:]) for h in handlers]
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for handler, kept in filters:
        handler.filters[:] = kept
