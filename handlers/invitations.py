"""When a committee publishes a plan, the chats following its earlier plans are invited, once:
one message with a choice to follow the new plan (a button; a numbered line on Zalo).

Remembered per plan in the store, so a second publish of the same plan (a corrected file)
invites nobody twice.
"""

from __future__ import annotations

from handlers.button_data import Ref
from handlers.buttons import Subscribe
from handlers.conversation import Conversation
from handlers.scope import Committee
from handlers.types import Reply
from schedules.model import Plan


def memory_key(plan_id: str) -> str:
    return f"invited:{plan_id}"


def invitation(plan: Plan, committee: Committee) -> Reply:
    period = plan.period.span.text()
    return Reply(
        f"📢 {committee.name} vừa ban hành {plan.short_name}: {plan.title} ({period}).\n"
        "Theo kế hoạch này thì chi bộ được nhắc mọi hạn và chủ đề tháng của nó; "
        "các kế hoạch đang theo vẫn giữ nguyên."
    ).with_buttons((Subscribe(Ref(plan.id)).button(f"➕ Theo {plan.short_name}"),))


async def invite(conversation: Conversation, plan: Plan, committee: Committee) -> int:
    """Invite the chats that follow the committee's other plans and not this one, each once.
    Returns how many were queued (through the channels' outboxes)."""
    broadcast = conversation.broadcaster
    if broadcast is None:
        return 0
    catalog, store = conversation.catalog, conversation.store
    earlier = {p.id for p in catalog.plans.values() if p.id != plan.id and committee.owns(p)} | {
        pid for pid in _followed_ids(store) if pid != plan.id and committee.owns_id(pid)
    }
    key = memory_key(plan.id)
    done = set(store.runtime(key) or ())
    chats = [
        s
        for s in store.all()
        if s.active
        and plan.id not in s.plan_ids
        and earlier.intersection(s.plan_ids)
        and s.key not in done
    ]
    if not chats:
        return 0
    await store.set_runtime(key, sorted(done | {s.key for s in chats}))  # before: at most once
    return await broadcast(chats, invitation(plan, committee))


def _followed_ids(store) -> set[str]:
    return {pid for s in store.all() for pid in s.plan_ids}
