"""The OA's dearer routes end to end, on the real bot against the fake OA platform with a clock
the test moves across days: a ZBS template for a cell silent more than 7 days, a reminder that
waits for the cell's next message (or goes paid on its last useful day), and the OA's own group
chats, which no interaction window binds."""

from __future__ import annotations

from datetime import datetime

from bot.channels.zalo_oa.channel import ACK_LABEL, parse_event, template_data
from bot.channels.zalo_oa.window import Route, Window, route
from bot.clock import TZ
from bot.config import OATemplates
from handlers.state import Subscription
from handlers.types import PushFacts, Reply
from schedules.pushes import PushKind
from tests.bot.channels.test_zalo_oa import ADMIN, USER, labels, oa_bot
from tests.bot.fake_zalo_oa import TemplateSent

PLAN = "ky-loi-2022"  # a deadline on 24/8/2022, reminded 17/8, 21/8, 23/8 and 24/8 at 7:30
TITLE = "Gửi kế hoạch tổ chức sinh hoạt chuyên đề"
DEADLINE_TEMPLATE = "301234"
GROUP = "6001234567890123456"
ADMINS = frozenset({("zalo-oa", ADMIN)})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2022, 8, day, hour, minute, tzinfo=TZ)


async def subscribe_and_write(bot, fake, clock, when: datetime) -> None:
    """The cell subscribed long ago and last wrote to the OA at `when`."""
    await bot.store.save(
        Subscription("zalo-oa", USER, (PLAN,), created_at="2022-06-01T08:00:00+07:00")
    )
    clock.at = when
    await fake.say(USER, "xin chào")
    await fake.wait_sent(USER, 1)


async def tick(bot, clock, when: datetime):
    clock.at = when
    return await bot.scheduler.tick(when)


async def status(fake) -> str:
    fake._interacted(ADMIN)
    before = len(fake.to(ADMIN))
    await fake.say(ADMIN, "/tinhhinh")
    return (await fake.wait_sent(ADMIN, before + 1))[-1].text


async def test_a_cell_silent_eight_days_gets_the_reminder_as_the_approved_template(tmp_path):
    templates = OATemplates(deadline=DEADLINE_TEMPLATE)
    async with oa_bot(tmp_path, at(15, 7), budget=1000, templates=templates, admins=ADMINS) as (
        bot,
        fake,
        clock,
    ):
        fake.templates[DEADLINE_TEMPLATE] = ("tieu_de", "ngay", "ke_hoach")
        await subscribe_and_write(bot, fake, clock, at(15, 7))
        await tick(bot, clock, at(23, 7))  # the scheduler's first tick: it starts here
        report = await tick(bot, clock, at(23, 7, 30))  # "Còn 1 ngày": it cannot wait
        assert report.behind == []
        [sent] = fake.template_sends
        assert sent == TemplateSent(
            USER,
            DEADLINE_TEMPLATE,
            {
                "tieu_de": sent.data["tieu_de"],
                "ngay": "Thứ Tư, 24/8/2022",
                "ke_hoach": "Kỳ Lợi — “Tự soi, tự sửa”",
            },
        )
        assert sent.data["tieu_de"].startswith(TITLE)
        assert len(fake.to(USER)) == 1  # nothing through the consultation endpoint
        assert fake.cost == 200
        assert "1 tin mẫu" in await status(fake)


async def test_a_late_summary_by_template_names_the_soonest_and_counts_the_others(tmp_path):
    """A summary folding reminders of different items, to a silent cell: the template carries the
    soonest one's fields and says how many others it folds, never just drops them."""
    from datetime import date

    templates = OATemplates(deadline=DEADLINE_TEMPLATE)
    async with oa_bot(tmp_path, at(15, 7), budget=1000, templates=templates) as (bot, fake, clock):
        fake.templates[DEADLINE_TEMPLATE] = ("tieu_de", "ngay", "ke_hoach")
        await subscribe_and_write(bot, fake, clock, at(1, 10))  # silent since 8/8
        clock.at = at(23, 9)
        report = PushFacts(PushKind.DEADLINE, "Nộp báo cáo quý", date(2022, 8, 30), "Kỳ Lợi")
        soon = PushFacts(PushKind.DEADLINE, TITLE, date(2022, 8, 24), "Kỳ Lợi")
        written: list[str] = []

        async def on_sent() -> None:
            written.append("sent")

        summary = Reply("📋 Từ … có 3 nhắc việc …", folded=(report, soon, soon))
        outcome = await bot.channels["zalo-oa"].send(USER, summary, False, on_sent)
        assert outcome == "sent" and written == ["sent"]
        [sent] = fake.template_sends
        assert sent.data["tieu_de"] == f"{TITLE} (và 1 nhắc việc khác)"
        assert sent.data["ngay"] == "Thứ Tư, 24/8/2022" and fake.cost == 200


async def test_without_a_template_the_reminder_is_held_and_shown(tmp_path):
    async with oa_bot(tmp_path, at(15, 7), budget=1000, admins=ADMINS) as (bot, fake, clock):
        fake.templates[DEADLINE_TEMPLATE] = ("tieu_de", "ngay", "ke_hoach")
        await subscribe_and_write(bot, fake, clock, at(15, 7))
        await tick(bot, clock, at(23, 7))
        report = await tick(bot, clock, at(23, 7, 30))
        assert report.behind == [f"zalo-oa:{USER}"]
        assert fake.template_sends == [] and fake.cost == 0
        assert "1 người có tin nhắc đang bị giữ" in await status(fake)


async def test_a_template_the_platform_refuses_holds_the_reminder(tmp_path):
    templates = OATemplates(deadline="309999")  # not approved on the platform
    async with oa_bot(tmp_path, at(15, 7), budget=1000, templates=templates, admins=ADMINS) as (
        bot,
        fake,
        clock,
    ):
        await subscribe_and_write(bot, fake, clock, at(15, 7))
        await tick(bot, clock, at(23, 7))
        report = await tick(bot, clock, at(23, 7, 30))
        assert report.behind == [f"zalo-oa:{USER}"]
        assert fake.template_sends == [] and fake.cost == 0


async def test_a_reminder_that_can_wait_goes_free_when_the_cell_writes(tmp_path):
    async with oa_bot(tmp_path, at(14, 10), budget=1000, admins=ADMINS) as (bot, fake, clock):
        await subscribe_and_write(bot, fake, clock, at(14, 10))  # free until 16/8, paid to 21/8
        await tick(bot, clock, at(17, 7))
        report = await tick(bot, clock, at(17, 7, 30))  # "Còn 7 ngày": may wait until 23/8
        assert report.behind == [f"zalo-oa:{USER}"]
        assert len(fake.to(USER)) == 1 and fake.cost == 0
        assert "1 người có tin nhắc đang chờ" in await status(fake)
        report = await tick(bot, clock, at(18, 7, 30))
        assert report.behind == [f"zalo-oa:{USER}"] and len(fake.to(USER)) == 1

        clock.at = at(19, 9)
        await fake.say(USER, "có gì mới không")  # the cell writes: the window is open again
        await fake.wait_sent(USER, 2)
        report = await tick(bot, clock, at(19, 9, 1))
        assert report.behind == []
        reminder = fake.to(USER)[-1]
        assert TITLE in reminder.text and reminder.quota_type == "reply"
        assert ACK_LABEL in labels(reminder)
        assert fake.cost == 0
        assert "đang chờ" not in await status(fake)


async def test_a_waiting_reminder_goes_paid_on_its_last_useful_day(tmp_path):
    async with oa_bot(tmp_path, at(18, 10), budget=1000) as (bot, fake, clock):
        await subscribe_and_write(bot, fake, clock, at(18, 10))  # free until 20/8, paid to 25/8
        await tick(bot, clock, at(21, 7))
        report = await tick(bot, clock, at(21, 7, 30))  # "Còn 3 ngày": may wait until 23/8
        assert report.behind == [f"zalo-oa:{USER}"] and len(fake.to(USER)) == 1
        # an announcement meanwhile never waits: it goes by its own route (paid here)
        notice = Reply("Thông báo của Đảng ủy: họp giao ban thứ Hai.")
        assert await bot.channels["zalo-oa"].send(USER, notice) == "sent"
        assert fake.cost == 55
        for when in (at(22, 7, 30), at(23, 7, 29)):
            report = await tick(bot, clock, when)
            assert report.behind == [f"zalo-oa:{USER}"] and len(fake.to(USER)) == 2
        report = await tick(bot, clock, at(23, 7, 30))  # its last useful day
        assert report.behind == []
        sent = fake.to(USER)[2:]
        assert all(TITLE in m.text and m.quota_type == "purchase_quota" for m in sent)
        assert len(sent) == 2  # the waiting one, then "Còn 1 ngày", due now
        assert fake.cost == 55 + 110


async def test_a_waiting_reminder_never_waits_into_seven_days_of_silence(tmp_path):
    async with oa_bot(tmp_path, at(12, 10), budget=1000) as (bot, fake, clock):
        await subscribe_and_write(bot, fake, clock, at(12, 10))  # paid frame until 19/8 10:00
        await tick(bot, clock, at(17, 7))
        report = await tick(bot, clock, at(17, 7, 30))
        assert report.behind == [f"zalo-oa:{USER}"]
        report = await tick(bot, clock, at(19, 8, 59))  # still waiting, an hour before it closes
        assert report.behind == [f"zalo-oa:{USER}"] and len(fake.to(USER)) == 1
        report = await tick(bot, clock, at(19, 9, 1))
        assert report.behind == []
        assert fake.to(USER)[-1].quota_type == "purchase_quota" and fake.cost == 55


async def test_a_silent_cells_waiting_reminders_go_by_template_on_their_last_useful_day(tmp_path):
    templates = OATemplates(deadline=DEADLINE_TEMPLATE)
    async with oa_bot(tmp_path, at(8, 10), budget=1000, templates=templates) as (bot, fake, clock):
        fake.templates[DEADLINE_TEMPLATE] = ("tieu_de", "ngay", "ke_hoach")
        await subscribe_and_write(bot, fake, clock, at(8, 10))  # silent from 15/8 10:00
        await tick(bot, clock, at(17, 7))
        for when in (at(17, 7, 30), at(21, 7, 30), at(23, 7, 29)):  # waiting: it may, it is cheaper
            report = await tick(bot, clock, when)
            assert report.behind == [f"zalo-oa:{USER}"] and fake.template_sends == []
        report = await tick(bot, clock, at(23, 7, 30))
        assert report.behind == []
        # the waiting reminders (offered again folded, without their facts) by the first one's
        # facts, then "Còn 1 ngày" by its own
        assert all(
            t.data["tieu_de"].startswith(TITLE) and t.data["ngay"] == "Thứ Tư, 24/8/2022"
            for t in fake.template_sends
        )
        assert len(fake.template_sends) == 2 and fake.cost == 400
        assert len(fake.to(USER)) == 1  # nothing else could reach a silent cell


async def test_an_oa_group_is_a_chat_its_reminders_free_of_any_window(tmp_path):
    async with oa_bot(tmp_path, at(1, 8)) as (bot, fake, clock):
        fake.groups.add(GROUP)
        await fake.say_in_group(GROUP, USER, "/start")
        [menu] = await fake.wait_sent(GROUP, 1)
        assert menu.buttons == [] and "Chọn kế hoạch" in menu.text
        number = next(line.split(".")[0] for line in menu.text.splitlines() if "Kỳ Lợi" in line)
        await fake.say_in_group(GROUP, USER, number)
        done = (await fake.wait_sent(GROUP, 2))[-1]
        assert done.text.startswith("✅ Đã đăng ký Kỳ Lợi")
        sub = bot.store.get("zalo-oa", GROUP)
        assert sub is not None and sub.is_group and sub.plan_ids == (PLAN,)
        await fake.say_in_group(GROUP, USER, "hôm nay họp mấy giờ nhỉ")  # chatter: not to the OA
        # a chat's messages are answered in order: once /help's answer is in, the chatter before
        # it was handled, and it was answered by nothing
        await fake.say_in_group(GROUP, USER, "/help")
        help_ = (await fake.wait_sent(GROUP, 3))[-1]
        assert len(fake.to(GROUP)) == 3 and "/hanchot" in help_.text

        # Weeks later, nobody having written to the OA: the group still gets its reminders, free
        await tick(bot, clock, at(17, 7))
        report = await tick(bot, clock, at(17, 7, 30))
        assert report.behind == []
        reminder = fake.to(GROUP)[-1]
        assert TITLE in reminder.text and reminder.quota_type == "group"
        assert fake.cost == 0 and USER not in fake.users  # never wrote to the OA itself
        assert "4 tin nhóm" in bot.channels["zalo-oa"].windows.status_line()  # /help counted


def test_the_route_cheapest_first_and_how_long_a_reminder_waits():
    wrote, until = at(18, 10), at(23, 7, 30)
    window = Window(wrote)
    assert route(window, at(19, 10), 1000, False, until) is Route.FREE
    assert route(window, at(21, 7, 30), 1000, False, until) is Route.WAIT
    assert route(window, at(21, 7, 30), 1000, False, None) is Route.PAID
    assert route(window, until, 1000, False, until) is Route.PAID  # its last useful day
    assert route(window, at(23, 7, 30), 0, False, until) is Route.HOLD_BUDGET
    # never waits into the 7 days' silence while it could go paid
    assert route(Window(at(12, 10)), at(19, 8, 59), 1000, False, until) is Route.WAIT
    assert route(Window(at(12, 10)), at(19, 9), 1000, False, until) is Route.PAID
    # already silent: waiting is the only free way; then a template within the budget, or held
    silent = Window(at(1, 10))
    assert route(silent, at(17, 7, 30), 1000, True, until) is Route.WAIT
    assert route(silent, until, 1000, True, until) is Route.TEMPLATE
    assert route(silent, until, 199, True, until) is Route.HOLD_SILENT
    assert route(silent, until, 1000, False, until) is Route.HOLD_SILENT


def test_a_group_event_names_its_group_and_a_meeting_template_has_no_plan():
    payload = {
        "event_name": "user_send_group_text",
        "sender": {"id": USER},
        "recipient": {"group_id": GROUP},
        "message": {"text": "/start", "msg_id": "g1"},
    }
    event = parse_event(payload)
    assert event is not None and (event.chat_id, event.user_id, event.text) == (
        GROUP,
        USER,
        "/start",
    )
    assert parse_event(payload | {"recipient": {}}) is None  # a group event without its group
    meeting = PushFacts(PushKind.MEETING, "Sinh hoạt chi bộ định kỳ", at(3, 0).date(), "")
    assert template_data(meeting) == {
        "tieu_de": "Sinh hoạt chi bộ định kỳ",
        "ngay": "Thứ Tư, 3/8/2022",
    }
