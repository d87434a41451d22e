"""The web server `chibo run` starts beside the webhooks: one aiohttp application built from a
route table. A channel that needs a path of its own on it (a platform's webhook) adds a Route to
`Bot.web_routes` before serving starts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    method: str  # "GET", "POST"
    path: str  # aiohttp's form: "/tinh-hinh/{plan}"
    handler: Handler


@dataclass
class RouteTable:
    routes: list[Route] = field(default_factory=list)

    def add(self, method: str, path: str, handler: Handler) -> None:
        self.routes.append(Route(method, path, handler))

    def application(self) -> web.Application:
        app = web.Application(client_max_size=6 * 1024 * 1024)
        for r in self.routes:
            app.router.add_route(r.method, r.path, r.handler)
        return app


async def start(table: RouteTable, listen: str, port: int) -> web.AppRunner | None:
    """Serve the table on listen:port; None (logged) when the port cannot be had: the page is
    out, the reminders go on."""
    runner = web.AppRunner(table.application(), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, listen, port).start()
    except OSError as e:
        log.error("Web page not started: %s:%d cannot be used (%s)", listen, port, e.strerror or e)
        await runner.cleanup()
        return None
    log.info("Web page on http://%s:%d", listen, port)
    return runner
