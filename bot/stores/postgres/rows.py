"""Chats as PostgreSQL rows: one row per chat (the columns queries need, the rest of
Subscription.to_dict() as jsonb) and one per acknowledgement, always through
to_dict()/from_dict(), so a new field in Subscription needs no migration."""

from __future__ import annotations

import json
from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb, set_json_loads

from handlers.marks import stamp
from handlers.state import Subscription

# One statement, so the chat and its acknowledgements come from one snapshot.
SELECT_CHATS = """
    SELECT c.platform, c.chat_id, c.data, c.rev,
           COALESCE((SELECT jsonb_agg(a.record || jsonb_build_object('plan', a.plan_id,
                                                                      'item', a.item_id))
                     FROM chibo_acks a
                     WHERE a.platform = c.platform AND a.chat_id = c.chat_id), '[]'::jsonb)
    FROM chibo_chats c
"""
_UPSERT_CHAT = """
    INSERT INTO chibo_chats (platform, chat_id, active, is_group, plan_ids, data, rev)
    VALUES (%s, %s, %s, %s, %s::text[], %s, nextval('chibo_rev'))
    ON CONFLICT (platform, chat_id) DO UPDATE SET
        active = EXCLUDED.active, is_group = EXCLUDED.is_group, plan_ids = EXCLUDED.plan_ids,
        data = EXCLUDED.data, rev = nextval('chibo_rev'), updated_at = now()
    RETURNING rev
"""
_UPSERT_ACK = """
    INSERT INTO chibo_acks (platform, chat_id, plan_id, item_id, by_name, at, record)
    VALUES (%s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (platform, chat_id, plan_id, item_id) DO UPDATE SET
        by_name = EXCLUDED.by_name, at = EXCLUDED.at, record = EXCLUDED.record
    WHERE chibo_acks.record IS DISTINCT FROM EXCLUDED.record
"""
_COLUMNS = ("platform", "chat_id", "done")  # kept outside `data`


def _loads(data: bytes | str) -> Any:
    """jsonb as Python values, by orjson, which decodes a large deployment's chats at start-up
    several times faster than the json module (docs/benchmarks.md). What orjson refuses and json
    reads (an integer beyond 64 bits) is read by json."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


async def configure(conn: psycopg.AsyncConnection[Any]) -> None:
    set_json_loads(_loads, conn)


async def one_row(cur: psycopg.AsyncCursor[Any]) -> tuple[Any, ...]:
    """The row of a statement that always returns one (RETURNING, an aggregate, nextval)."""
    row = await cur.fetchone()
    if row is None:
        raise psycopg.ProgrammingError("the statement returned no row")
    values: tuple[Any, ...] = row
    return values


def sub_from_row(
    platform: str, chat_id: str, data: dict[str, Any], done: list[dict[str, Any]]
) -> Subscription:
    # `data` was decoded for this call alone: filled in place, not copied (100,000 at start-up)
    data["platform"], data["chat_id"], data["done"] = platform, chat_id, done
    return Subscription.from_dict(data)


def chat_params(sub: Subscription) -> list[Any]:
    data = sub.to_dict()
    rest = {k: v for k, v in data.items() if k not in _COLUMNS}
    row = [
        sub.platform,
        sub.chat_id,
        rest.get("active"),
        rest.get("is_group"),
        [str(p) for p in rest.get("plan_ids") or []],
        Jsonb(rest),
    ]
    return row


def ack_params(sub: Subscription) -> list[tuple[Any, ...]]:
    return [
        (sub.platform, sub.chat_id, *mark.item, mark.by, stamp(mark.at), Jsonb(mark.to_dict()))
        for mark in sub.done.values()
    ]


async def write_chat(cur: psycopg.AsyncCursor[Any], sub: Subscription) -> int:
    await cur.execute(_UPSERT_CHAT, chat_params(sub))
    (rev,) = await one_row(cur)
    kept = list(sub.done)
    await cur.execute(
        "DELETE FROM chibo_acks WHERE platform = %s AND chat_id = %s AND (plan_id, item_id) "
        "NOT IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
        [sub.platform, sub.chat_id, [k.plan_id for k in kept], [k.item_id for k in kept]],
    )
    acks = ack_params(sub)
    if acks:
        await cur.executemany(_UPSERT_ACK, acks)
    return int(rev)


async def copy_chats(cur: psycopg.AsyncCursor[Any], subs: list[Subscription]) -> None:
    """Into tables just emptied: every chat and acknowledgement by COPY, from the same row
    builders as `write_chat`, each chat with a revision of its own reserved from the sequence."""
    if not subs:
        return
    await cur.execute(
        "SELECT setval('chibo_rev', nextval('chibo_rev') + %s) - %s", [len(subs) - 1, len(subs) - 1]
    )
    (first,) = await one_row(cur)
    acks: list[tuple[Any, ...]] = []
    async with cur.copy(
        "COPY chibo_chats (platform, chat_id, active, is_group, plan_ids, data, rev) FROM STDIN"
    ) as cp:
        for rev, sub in enumerate(subs, first):
            await cp.write_row([*chat_params(sub), rev])
            acks += ack_params(sub)
    if acks:
        async with cur.copy(
            "COPY chibo_acks (platform, chat_id, plan_id, item_id, by_name, at, record) FROM STDIN"
        ) as cp:
            for ack in acks:
                await cp.write_row(ack)
