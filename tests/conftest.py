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
    """A test that runs `chibo` in-process sets up logging on the root logger: take its handler
    off again and put back the level, so no later test logs into a capture that has ended.
    pytest's own handlers come and go with each phase and are left to pytest — but their filters
    are put back: pytest's capture handler is one object for the whole session, and a redacting
    filter a test adds to it (caplog.handler.addFilter) made a later `chibo` failure at DEBUG log
    its traceback there instead of printing it."""
    root = logging.getLogger()
    before, level = [h for h in root.handlers if not _pytests(h)], root.level
    filters = [(h, h.filters[:]) for h in root.handlers]
    yield
    for handler in root.handlers[:]:
        if not _pytests(handler) and handler not in before:
            root.removeHandler(handler)
    for handler in before:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
    for handler, kept in filters:
        handler.filters[:] = kept


def _pytests(handler: logging.Handler) -> bool:
    return type(handler).__module__.startswith("_pytest")
