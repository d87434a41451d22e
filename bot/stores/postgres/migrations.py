"""The PostgreSQL schema: migrations applied in order when a store opens, once per database even
when several processes start at once."""

from __future__ import annotations

import logging

import psycopg

from bot.stores.postgres.rows import one_row
from bot.stores.postgres.url import DatabaseUnavailable

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x636869626F  # "chibo": the advisory lock two processes starting at once share

# Schema migrations, applied in order at open; version n is MIGRATIONS[n - 1]. Never edit one that
# has shipped: append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE SEQUENCE chibo_rev;
    -- One row per chat. The columns are what queries need; `data` is the rest of
    -- Subscription.to_dict(), so a new field in Subscription needs no migration here.
    CREATE TABLE chibo_chats (
        platform   text NOT NULL,
        chat_id    text NOT NULL,
        active     boolean,
        is_group   boolean,
        plan_ids   text[] NOT NULL DEFAULT '{}',
        data       jsonb NOT NULL,
        rev        bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (platform, chat_id)
    );
    CREATE INDEX chibo_chats_plan_ids ON chibo_chats USING gin (plan_ids);
    -- One row per acknowledgement (Subscription.done: "plan|item" → {by, at, …}).
    CREATE TABLE chibo_acks (
        platform text NOT NULL,
        chat_id  text NOT NULL,
        ack_key  text NOT NULL,
        by_name  text,
        at       text,          -- as the bot stamped it (ISO 8601); `record` is the whole entry
        record   jsonb NOT NULL,
        PRIMARY KEY (platform, chat_id, ack_key),
        FOREIGN KEY (platform, chat_id) REFERENCES chibo_chats
            ON DELETE CASCADE ON UPDATE CASCADE
    );
    -- Small state the running bot keeps between restarts (JSON values by key).
    CREATE TABLE chibo_runtime (
        key        text PRIMARY KEY,
        value      jsonb NOT NULL,
        rev        bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
    );
    """,
    """
    -- The scheduler of each channel (bot/stores/postgres/scheduling.py): its watermark and chats behind …
    CREATE TABLE chibo_push_state (
        platform  text PRIMARY KEY,
        watermark timestamptz,
        behind    jsonb NOT NULL DEFAULT '{}'
    );
    -- … and the keys of pushes sent since its last completed tick.
    CREATE TABLE chibo_journal (
        platform text NOT NULL,
        push_key text NOT NULL,
        PRIMARY KEY (platform, push_key)
    );
    """,
    """
    -- Acknowledgements name their plan and item in columns of their own (Subscription.done keyed
    -- by ItemRef), not one "plan|item" key: plan ids never hold "|", item ids may.
    ALTER TABLE chibo_acks ADD COLUMN plan_id text, ADD COLUMN item_id text;
    UPDATE chibo_acks SET plan_id = split_part(ack_key, '|', 1),
                          item_id = substr(ack_key, strpos(ack_key, '|') + 1);
    ALTER TABLE chibo_acks DROP CONSTRAINT chibo_acks_pkey;
    ALTER TABLE chibo_acks DROP COLUMN ack_key;
    ALTER TABLE chibo_acks ALTER COLUMN plan_id SET NOT NULL, ALTER COLUMN item_id SET NOT NULL,
        ADD PRIMARY KEY (platform, chat_id, plan_id, item_id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


async def apply_migrations(conn: psycopg.AsyncConnection) -> None:
    async with conn.transaction():
        # Two processes starting at once: the second waits here, then finds nothing left to do.
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATION_LOCK])
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS chibo_schema_version ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur = await conn.execute("SELECT coalesce(max(version), 0) FROM chibo_schema_version")
        (version,) = await one_row(cur)
        if version > SCHEMA_VERSION:
            raise DatabaseUnavailable(
                f"Cơ sở dữ liệu PostgreSQL có lược đồ phiên bản {version}, mới hơn chương trình "
                f"này ({SCHEMA_VERSION}): hãy cập nhật chibo."
            )
        for n in range(version + 1, SCHEMA_VERSION + 1):
            await conn.execute(MIGRATIONS[n - 1])
            await conn.execute("INSERT INTO chibo_schema_version (version) VALUES (%s)", [n])
            log.info("PostgreSQL schema migrated to version %d", n)
