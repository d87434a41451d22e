import pytest

from tests.bot.fake_telegram import FakeTelegram


@pytest.fixture
async def fake():
    """The fake Bot API server on 127.0.0.1, for the real PTB Application to talk to."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
