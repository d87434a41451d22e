"""The plans folder (CHIBO_PLANS_DIR): loaded beside the shipped plans, picked up by a running bot
at its next tick, a broken file logged once and skipped; committees.yaml reloaded the same way."""

from __future__ import annotations

import logging
import os
from datetime import datetime

import pytest

from bot.app import assemble
from bot.channels.outbox import RateLimiter
from bot.clock import TZ, Clock
from bot.config import ConfigError, load
from bot.plans import committees
from handlers.state import Subscription
from handlers.types import UserRef
from schedules import catalog
from schedules.catalog import PLANS_DIR
from tests.bot.drivers import TelegramDriver
from tests.bot.harness import serving
from tests.bot.sim import SimTime

NEW_ID = "kim-bang-36-2023"


def new_plan_text() -> str:
    text = (PLANS_DIR / "kim-bang-35-2022.yaml").read_text(encoding="utf-8")
    return text.replace("id: kim-bang-35-2022", f"id: {NEW_ID}").replace(
        "short_name: Kim Bảng 35-KH/HU", "short_name: Kim Bảng 36-KH/HU"
    )


def bump(path) -> None:
    """A later modification time, as an editor saving a minute later would leave."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 60_000_000_000))


def test_the_folder_is_loaded_beside_the_shipped_plans_and_reloaded_on_change(tmp_path):
    folder = tmp_path / "plans"
    cat = catalog.load(extra=[folder])  # not created yet: the shipped plans only
    shipped = set(cat.plans)
    assert not cat.changed()
    folder.mkdir()
    (folder / f"{NEW_ID}.yaml").write_text(new_plan_text(), encoding="utf-8")
    before = cat.plans
    assert cat.refresh() is True and set(cat.plans) == shipped | {NEW_ID}
    assert cat.plans is not before  # whoever indexed the old dict sees it must rebuild
    assert cat.refresh() is False  # nothing changed: nothing read

    (folder / "hong.yaml").write_text("id: [oops\n", encoding="utf-8")
    (folder / "committees.yaml").write_text("x: {}\n", encoding="utf-8")  # not a plan
    assert cat.refresh()
    assert set(cat.plans) == shipped | {NEW_ID}  # a broken file never takes the others down
    assert [p.file for p in cat.problems] == [str(folder / "hong.yaml")]

    (folder / f"{NEW_ID}.yaml").unlink()
    assert cat.refresh() and set(cat.plans) == shipped


def test_a_published_plan_cannot_take_a_shipped_plans_id(tmp_path):
    (tmp_path / "x.yaml").write_text(
        new_plan_text().replace(f"id: {NEW_ID}", "id: ky-loi-2022"), encoding="utf-8"
    )
    cat = catalog.load(extra=[tmp_path])
    assert cat.origins["ky-loi-2022"] == PLANS_DIR / "ky-loi-2022.yaml"
    assert "trùng id kế hoạch “ky-loi-2022”" in str(cat.problems[0])


@pytest.fixture
def telegram(fake):
    return TelegramDriver(fake)


async def test_a_running_bot_picks_up_a_new_plan_at_its_next_tick(telegram, tmp_path, caplog):
    folder = tmp_path / "plans"
    sim = SimTime()
    bot = assemble(
        telegram.config(tmp_path / "db.json", plans_dir=folder),
        catalog.load(),
        Clock(datetime(2022, 12, 6, 12, 0, tzinfo=TZ)),
        lambda _p: RateLimiter(now=sim.now, sleep=sim.sleep),
        tick_every=None,
    )
    caplog.set_level(logging.INFO)
    async with serving(bot, receive=False):
        # a cell already follows the plan its committee is about to publish
        await bot.store.save(Subscription("telegram", "42", (NEW_ID,), "Chi bộ Thôn Đông"))
        await bot.tick(datetime(2022, 12, 6, 12, 0, tzinfo=TZ))  # the watermark
        await bot.tick(datetime(2022, 12, 6, 13, 0, tzinfo=TZ))
        assert telegram.sent == []

        folder.mkdir(exist_ok=True)
        (folder / "hong.yaml").write_text("id: [oops\n", encoding="utf-8")
        (folder / f"{NEW_ID}.yaml").write_text(new_plan_text(), encoding="utf-8")
        await bot.tick(datetime(2022, 12, 7, 7, 30, tzinfo=TZ))  # 7 days before 14/12
        pushed = await telegram.wait_sent(1)
        assert "Kim Bảng 36-KH/HU" in pushed[0].text and "còn 7 ngày" in pushed[0].text
        assert bot.conversation.catalog.get(NEW_ID) is not None
        skipped = [r for r in caplog.records if "Plan file skipped" in r.getMessage()]
        assert len(skipped) == 1 and "hong.yaml" in skipped[0].getMessage()

        bump(folder / f"{NEW_ID}.yaml")  # another change: the broken file is not logged again
        await bot.tick(datetime(2022, 12, 7, 8, 0, tzinfo=TZ))
        assert len([r for r in caplog.records if "Plan file skipped" in r.getMessage()]) == 1
        assert len(telegram.sent) == 1


async def test_committees_yaml_is_reloaded_and_a_broken_edit_keeps_the_last_good(
    telegram, tmp_path, caplog
):
    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "committees.yaml"
    path.write_text("a:\n  name: Huyện ủy A\n  admins: [telegram:7]\n  plans: [ky-loi-2022]\n")
    bot = assemble(
        telegram.config(tmp_path / "db.json", plans_dir=folder, committees_file=path),
        catalog.load(),
        Clock(datetime(2022, 12, 6, 12, 0, tzinfo=TZ)),
        tick_every=None,
    )
    async with serving(bot, receive=False):
        seven, eight = UserRef("telegram", "7"), UserRef("telegram", "8")
        assert bot.conversation.scope_of(seven).name == "Huyện ủy A"
        assert bot.conversation.scope_of(eight) is None
        path.write_text("a:\n  name: Huyện ủy A\n  admins: [telegram:8]\n  plans: [ky-loi-2022]\n")
        bump(path)
        bot.refresh_plans()
        assert bot.conversation.scope_of(seven) is None
        assert bot.conversation.scope_of(eight).name == "Huyện ủy A"
        path.write_text("a:\n  admins: [telegram:abc]\n")
        bump(path)
        bot.refresh_plans()
        assert "the last good one stays" in caplog.text
        assert bot.conversation.scope_of(eight).name == "Huyện ủy A"


def test_committees_file_mistakes_are_one_line_naming_the_committee(tmp_path, monkeypatch):
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "CHIBO_COMMITTEES"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "plans"
    folder.mkdir()
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_PLANS_DIR={folder}\nCHIBO_DB={tmp_path / 'db.json'}\n")
    (folder / "committees.yaml").write_text("huyen-a:\n  admins: [telegram:12]\n")
    with pytest.raises(ConfigError, match="cấp ủy “huyen-a”: cần “plans”"):
        load(env, need_token=False)
    (folder / "committees.yaml").write_text("huyen-a:\n  admins: [zalo:xy-1]\n  plans: [x]\n")
    with pytest.raises(ConfigError, match="cấp ủy “huyen-a”: mỗi người viết dạng"):
        load(env, need_token=False)
    (folder / "committees.yaml").write_text(
        "huyen-a:\n  name: Huyện ủy A\n  admins: [telegram:12, 'zalo:8a3f']\n  plans: [a-*]\n"
        "  issuers: [Ban Thường vụ Huyện ủy A]\n"
    )
    config = load(env, need_token=False)
    assert config.plans_dir == folder and config.committees_file == folder / "committees.yaml"
    (committee,) = committees.load(config.committees_file).committees
    assert committee.admins == {UserRef("telegram", "12"), UserRef("zalo", "8a3f")}
    assert committee.owns_id("a-2023") and not committee.owns_id("b-2023")
