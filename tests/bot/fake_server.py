"""What the fake platforms share: an HTTP server on 127.0.0.1 on a free port (or the one given),
that a test can take down and bring back on the same port, as a platform that cannot be reached
for a while."""

from __future__ import annotations

from aiohttp import web


class FakeServer:
    def __init__(self) -> None:
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    async def serve(self, app: web.Application, port: int = 0) -> str:
        """Serve `app`; its base URL (also kept as `url`)."""
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self._site = site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def go_down(self) -> None:
        """Unreachable: nothing listens on the port and open connections are dropped, so a
        client's next request is refused before it is written (a connect error)."""
        assert self._runner is not None and self._site is not None
        await self._site.stop()
        for handler in self._runner.server.connections if self._runner.server else ():
            if handler.transport is not None:  # every connection, idle or mid-request
                handler.transport.close()

    async def come_back(self) -> None:
        """Listening again on the same port."""
        assert self._runner is not None
        port = int(self.url.rsplit(":", 1)[1])
        self._site = web.TCPSite(self._runner, "127.0.0.1", port, reuse_address=True)
        await self._site.start()

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
