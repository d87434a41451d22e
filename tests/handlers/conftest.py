import pytest

from schedules.catalog import Catalog
from tests.handlers.conversing import Chat


@pytest.fixture
def chat(cat: Catalog) -> Chat:
    """A chat with the bot: the real Conversation on the shipped catalog, a MemoryStore, 20/8/2022
    8:00 unless the test says otherwise (tests/handlers/conversing.py)."""
    return Chat(cat)
