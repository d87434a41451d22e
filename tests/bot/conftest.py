import pytest

from tests.bot.fake_telegram import FakeTelegram


@pytest.fixture(autouse=True)
def _zalo_polls_spaced_briefly(request, monkeypatch):
    """Zalo answers a poll with one update, so the bot spaces polls that return at once by
    MIN_POLL_GAP of real time (never a hot loop): a second per message a test says. In-process
    tests space them by a twentieth of that, still never a hot loop; a test about the spacing
    itself is marked `real_poll_gap`. A `chibo run` subprocess keeps the real gap."""
    if request.node.get_closest_marker("real_poll_gap") is None:
        monkeypatch.setattr("bot.channels.zalo.channel.MIN_POLL_GAP", 0.05)


@pytest.fixture
async def fake():
    """The fake Bot API server on 127.0.0.1, for the real PTB Application to talk to."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(params=["telegram", "zalo"])
async def driver(request):
    """A user on either channel (tests/bot/drivers.py), with that channel's fake server: the
    test body runs once per channel."""
    from tests.bot.drivers import TelegramDriver, ZaloDriver
    from tests.bot.fake_zalo import FakeZalo

    fake = FakeTelegram() if request.param == "telegram" else FakeZalo()
    await fake.start()
    yield TelegramDriver(fake) if request.param == "telegram" else ZaloDriver(fake)
    await fake.stop()


@pytest.fixture(scope="session")
def pg_server():
    """One real PostgreSQL server for the whole session (started from the machine's binaries in
    a temporary directory, stopped at the end even on failure); skips where none is installed."""
    from tests.bot.pg_server import INSTALL_HINT, PgServer, Unavailable, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip(INSTALL_HINT)
    server = PgServer(bindir)
    try:
        server.start()
    except Unavailable as e:
        server.stop()
        pytest.skip(f"could not start PostgreSQL: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server, request) -> str:
    """A fresh, empty database on the session's server, as a postgresql:// URL. A test that needs
    PostgreSQL asks for `pg_url`; copying template0 takes a few tens of milliseconds."""
    import itertools

    import psycopg

    counter = pg_server.__dict__.setdefault("_dbs", itertools.count(1))
    name = f"t{next(counter)}"
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    return pg_server.url(name)
