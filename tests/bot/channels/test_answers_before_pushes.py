"""An answer does not wait behind a morning's fan-out: the outbox sends it before pushes that are
ready at the same time (each chat's own messages still in order). Simulated clock."""

import asyncio

from bot.channels.outbox import Limits, Outbox, RateLimiter
from handlers.types import Reply
from tests.bot.sim import SimTime


async def test_an_answer_goes_before_the_pushes_queued_ahead_of_it():
    sim = SimTime()
    sent: list[str] = []

    async def send(chat_id: str, reply: Reply) -> None:
        sent.append(reply.text)  # at once: a push is done long before the next slot opens

    async def nothing(*_args) -> None:
        return None

    async def sleep(seconds: float) -> None:
        await sim.sleep(seconds)
        for _ in range(10):  # as in real time: the push in flight is done before the next slot
            await asyncio.sleep(0)

    outbox = Outbox(send, RateLimiter(Limits(overall=(1, 0.1)), sim.now, sleep), nothing, nothing)

    async def journaled() -> None:
        return None

    pushes = [outbox.submit(f"p{i}", Reply(f"push {i}"), on_sent=journaled) for i in range(40)]
    pushes.append(outbox.submit("asker", Reply("the asker's push"), on_sent=journaled))
    while len(sent) < 3:  # the fan-out is under way, 10 a second, the rate the binding limit
        await asyncio.sleep(0)
    for _ in range(20):  # the last push done, the sender waits for the next slot
        await asyncio.sleep(0)
    before = len(sent)
    answers = [outbox.submit("asker", Reply("answer 1")), outbox.submit("asker", Reply("answer 2"))]
    assert await asyncio.gather(*answers) == ["sent", "sent"]
    assert await asyncio.gather(*pushes) == ["sent"] * 41
    # the asker's own push (queued before the answers, so first: a chat's order holds) in the
    # next free slot, each answer a second after (1 a second per chat); without the priority
    # they came after all 40 other pushes
    assert sent[before] == "the asker's push"
    assert sent.index("answer 1") <= before + 11
    assert sent.index("answer 2") <= sent.index("answer 1") + 11
    assert [t for t in sent if t.startswith("push")] == [f"push {i}" for i in range(40)]
    await outbox.close()
