"""`chibo run` with two Zalo tokens, as an operator starts it: a real process against the fake Zalo
Bot API serving both bots. Both answer; with a cap of 3 users the 4th user of the first bot is
told it is full and pointed to the second, and an admin is warned; a group message written as
Zalo writes it ("@Bot Trợ lý Chi bộ /dangky …") subscribes the group. Then the platform refuses
polls (HTML 429, JSON 403) and sends ("Quota exceeded"): the process keeps running, logs one line
per back-off, answers the next message, holds the refused sends and shows them in /tinhhinh."""

import signal

from tests.bot.fake_zalo import BOT_NAME, FakeZalo, hex_id
from tests.bot.processes import start_chibo, wait_until

BOT2_ID = "2233445566778899001"
TOKEN2 = f"{BOT2_ID}:Pq7-OTHERsecret_4w2ZyXwVuTsR"
ADMIN = hex_id(0xAD0, 16)
GROUP = hex_id(0x6A)


def user(n: int) -> str:
    return hex_id(0x700 + n, 16)


def texts_to(fake: FakeZalo, chat: str) -> list[str]:
    return [s.text for s in fake.sent if s.chat_id == chat]


async def test_two_tokens_caps_mentions_and_refusals_in_one_running_process(tmp_path):
    one = FakeZalo()
    await one.start()
    two = one.add_bot(TOKEN2)
    env = tmp_path / ".env"
    env.write_text(
        f"ZALO_BOT_TOKEN={one.token}, {TOKEN2}\nZALO_API_BASE_URL={one.base_url}\n"
        f"ZALO_BOT_NAME=,Bot Chi bộ Hai\nZALO_BOT_LINK=,https://zalo.me/s/chibo-hai\n"
        f"CHIBO_ZALO_USERS_PER_BOT=3\nCHIBO_ADMINS=zalo:{ADMIN}\n"
        f"CHIBO_DB={tmp_path / 'chibo.json'}\n",
        encoding="utf-8",
    )
    proc = await start_chibo("run", "--env", str(env), "--now", "2022-07-05T08:00")

    def running():
        assert proc.returncode is None, "chibo run ended"
        return True

    try:
        for n in range(1, 5):
            one.text(user(n), user(n), "/dangky tra-vinh-60-2022")
        two.text(user(9), user(9), "/dangky tra-vinh-60-2022")
        one.mention(GROUP, user(1), BOT_NAME, "/dangky tra-vinh-60-2022")
        await wait_until(
            lambda: (
                running()
                and texts_to(one, user(4))
                and texts_to(two, user(9))
                and texts_to(one, GROUP)
                and len(texts_to(one, ADMIN)) >= 2
            ),
            40,
        )
        assert texts_to(two, user(9))[0].startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
        assert texts_to(one, user(3))[0].startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
        [full] = texts_to(one, user(4))
        assert "đã phục vụ đủ 3 người" in full and "Bot Chi bộ Hai" in full
        assert "https://zalo.me/s/chibo-hai" in full
        assert texts_to(one, GROUP)[0].startswith("✅ Đã đăng ký Trà Vinh 60-KH/ĐUK")
        assert any("Zalo đã đủ 3 người dùng" in t for t in texts_to(one, ADMIN))

        # The platform refuses polls, then the month's quota: nothing stops the process
        one.poll_faults = ["html_429", "json_403", "html_429"]
        await wait_until(lambda: running() and not one.poll_faults, 30)
        one.text(user(2), user(2), "tháng này học gì")
        await wait_until(lambda: running() and len(texts_to(one, user(2))) >= 2, 30)
        assert texts_to(one, user(2))[1].startswith("📚 Tháng 7/2022 — Trà Vinh 60-KH/ĐUK")
        one.quota_exceeded = True
        one.text(user(1), user(1), "tháng này học gì")
        one.text(user(3), user(3), "tháng này học gì")
        await wait_until(lambda: running() and one.quota_refusals >= 1, 20)
        two.text(ADMIN, ADMIN, "/tinhhinh")  # the admin reaches the second bot too
        await wait_until(lambda: running() and texts_to(two, ADMIN), 20)
        status = texts_to(two, ADMIN)[0]
        assert "Zalo: 3/3 người dùng, 1/3 nhóm." in status
        assert "Nền tảng Zalo báo hết hạn mức tháng này" in status
        assert "Zalo Bot Chi bộ Hai: 2/3 người dùng, 0/3 nhóm." in status
        assert one.quota_refusals == 1  # held, not retried every few seconds
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        _, err = await proc.communicate()
        await one.stop()
    log = err.decode()
    assert proc.returncode == 0, log[-3000:]
    assert "Traceback" not in log
    backoffs = [line for line in log.splitlines() if "getUpdates failed" in line]
    assert len(backoffs) == 3, log[-3000:]
    assert "retrying in 1 s" in backoffs[0] and "retrying in 5 s" in backoffs[2]
    assert "nền tảng báo hết hạn mức tháng" in log
    assert one.token.partition(":")[2] not in log and TOKEN2.partition(":")[2] not in log
