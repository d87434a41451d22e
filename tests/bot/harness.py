"""Running the assembled bot in a test: every channel started and receiving, closed at the end."""

from __future__ import annotations

import asyncio
import contextlib

from bot.app import Bot


@contextlib.asynccontextmanager
async def serving(bot: Bot, receive: bool = True):
    """Start every channel (getMe, webhook set-up) and, with `receive`, its receiving loop."""
    tasks = []
    try:
        for channel in bot.channels.values():
            await channel.start()
            bot.ready.add(channel.platform)
            if receive:
                tasks.append(asyncio.create_task(channel.receive()))
        yield bot
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for task in tasks:
            if task.done() and not task.cancelled() and task.exception():
                raise task.exception()
        await bot.close()
