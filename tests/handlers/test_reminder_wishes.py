"""Wishes about reminders, in plain words, through the real Conversation: each change read back
for ✅ Lưu (nothing changed before it), then saved; what will be pushed, from the same Planner."""

from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from bot.clock import TZ
from handlers.conversation import Conversation
from handlers.state import MemoryStore, Subscription
from handlers.types import Incoming, UserRef
from schedules import catalog, meetings
from schedules.pushes import Pause

CAT = catalog.load()
CORPUS = Path(__file__).parents[1] / "data" / "questions_v2.yaml"
WISHES = [
    e for e in yaml.safe_load(CORPUS.read_text(encoding="utf-8")) if e["kind"] == "settings_wish"
]
SAVE = "set:save"


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def chat_of(entry: dict, **changes) -> Subscription:
    cell = entry["cell"]
    rule = meetings.parse_rule(cell["meeting"]) if cell.get("meeting") else None
    return Subscription(
        "test",
        "1",
        (entry["plan"],),
        cell_name=cell.get("name"),
        meeting_rule=rule,
        cell_dates=dict(cell.get("dates") or {}),
        is_group="group" in entry["style"],
        created_at="2022-01-01T00:00:00+07:00",
        **changes,
    )


async def ask(sub: Subscription, text: str, now: datetime, admin: bool = True, callback=None):
    store = MemoryStore()
    await store.save(sub)
    conv = Conversation(CAT, store, bot_admins={UserRef("test", "boss")})
    msg = Incoming(
        "test", "1", "u1", text=text, callback=callback, is_group=sub.is_group, is_group_admin=admin
    )
    return await conv.handle(msg, now), store, conv


def buttons(replies) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


def check_strings(entry: dict, text: str) -> None:
    for s in entry["must"]:
        assert s in text, (entry["q"], s, text)
    for group in entry.get("must_any") or ():
        assert any(s in text for s in group), (entry["q"], group, text)
    for s in entry["must_not"]:
        assert s not in text, (entry["q"], s, text)


def test_the_corpus_has_wishes_of_every_kind():
    assert len(WISHES) == 26
    assert {e["expects"] for e in WISHES} == {"confirm", "answer"}


@pytest.mark.parametrize("entry", WISHES, ids=[e["q"] for e in WISHES])
async def test_a_wish_from_the_blind_corpus(entry):
    sub = chat_of(entry)
    now = moment(entry["today"])
    replies, store, _ = await ask(sub, entry["q"], now)
    text = "\n".join(r.text for r in replies)
    check_strings(entry, text)
    after = store.get("test", "1")
    # Nothing changes before ✅ Lưu: the reminder settings are as they were.
    assert (after.reminder_time, after.lead_days, after.pause) == (
        sub.reminder_time,
        sub.lead_days,
        sub.pause,
    )
    if entry["expects"] != "confirm":
        assert SAVE not in buttons(replies)
        return
    if SAVE in buttons(replies):
        assert text.startswith("Xác nhận thay đổi:")
        return
    # Only a wish to turn reminders back on, in a chat where they are on, has nothing to confirm:
    # the same wish in a muted chat is read back for ✅ Lưu.
    assert "không có gì phải đổi" in text
    muted = chat_of(entry, pause=Pause(date(2022, 1, 1)))
    replies, _, _ = await ask(muted, entry["q"], now)
    assert SAVE in buttons(replies)
    check_strings(entry, "\n".join(r.text for r in replies))


async def test_in_a_group_only_those_who_may_change_settings_change_reminders():
    group = Subscription("test", "1", ("kim-bang-35-2022",), is_group=True)
    now = datetime(2022, 6, 2, 8, 0, tzinfo=TZ)
    for wish in (
        "đừng nhắc nữa",
        "nhắc lúc 6h",
        "nhắc trước 3 ngày",
        "từ mai nhắc nhóm lúc 8h nhé",
    ):
        replies, store, _ = await ask(group, wish, now, admin=False)
        assert replies[0].text.startswith("Xin lỗi, chỉ quản trị viên của nhóm")
        assert store.get("test", "1").pending is None
    replies, _, _ = await ask(group, "mấy ngày tới nhắc gì", now, admin=False)  # anyone may ask
    assert replies[0].text.startswith(("🔔 Tin nhắc", "Từ nay đến hết"))


async def test_a_wish_saved_changes_what_the_planner_pushes():
    from handlers.recipients import recipient_of
    from schedules.pushes import Planner

    sub = Subscription("test", "1", ("kim-bang-35-2022",), created_at="2022-06-01T00:00:00+07:00")
    now = datetime(2022, 6, 2, 8, 0, tzinfo=TZ)
    store = MemoryStore()
    await store.save(sub)
    conv = Conversation(CAT, store)
    for wish, field, value in (
        ("chuyển giờ nhắc sang 5 giờ rưỡi sáng", "reminder_time", "05:30"),
        ("báo trước 2 ngày thôi", "lead_days", (2,)),
    ):
        await conv.handle(Incoming("test", "1", "u1", text=wish), now)
        await conv.handle(Incoming("test", "1", "u1", callback=SAVE), now)
        assert getattr(store.get("test", "1"), field) == value
    end = datetime(2022, 12, 31, 23, 59, tzinfo=TZ)
    pushes = Planner(CAT.plans, TZ).between([recipient_of(store.get("test", "1"))], now, end)
    assert [(p.at.strftime("%d/%m %H:%M"), p.lead) for p in pushes] == [
        ("12/06 05:30", 2),
        ("12/12 05:30", 2),
    ]
    listing = await conv.handle(
        Incoming("test", "1", "u1", text="/lichnhac"), datetime(2022, 12, 8, 9, 0, tzinfo=TZ)
    )
    assert "• Thứ Hai, 12/12/2022: ⏰ Báo cáo kết quả" in listing[0].text
    assert "(gửi lúc 5:30)" in listing[0].text


def test_pause_and_snoozes_are_stored_and_old_data_without_them_loads():
    from schedules.pushes import Snooze

    of = datetime(2022, 6, 7, 7, 30, tzinfo=TZ)
    sub = Subscription(
        "test",
        "1",
        ("kim-bang-35-2022",),
        pause=Pause(date(2022, 6, 8), date(2022, 6, 14)),
        snoozes=(Snooze(of, datetime(2022, 6, 8, 7, 30, tzinfo=TZ)),),
    )
    assert Subscription.from_dict(sub.to_dict()) == sub
    old = {"platform": "test", "chat_id": "1", "plan_ids": ["kim-bang-35-2022"]}
    loaded = Subscription.from_dict(old)
    assert loaded.pause is None and loaded.snoozes == ()
    muted = Subscription.from_dict({**old, "pause": {"from": "2022-06-08", "until": None}})
    assert muted.pause == Pause(date(2022, 6, 8))


async def _saved(text: str, now: datetime, sub: Subscription | None = None) -> tuple[str, object]:
    """The read-back of a wish, and the chat as stored once ✅ Lưu is pressed."""
    sub = sub or Subscription("test", "1", ("tra-vinh-60-2022",))
    store = MemoryStore()
    await store.save(sub)
    conv = Conversation(CAT, store)
    replies = await conv.handle(Incoming("test", "1", "u1", text=text), now)
    assert SAVE in buttons(replies), (text, replies[0].text)
    await conv.handle(Incoming("test", "1", "u1", callback=SAVE), now)
    return replies[0].text, store.get("test", "1")


@pytest.mark.parametrize(
    ("wish", "hour"),
    [
        ("could you remind the group at 6:45 pm", "18:45"),  # English, with minutes and pm
        ("sau này nhắc chi bộ lúc 5 rưỡi chiều nhé", "17:30"),  # the object between verb and hour
        ("bot nhắc anh em vào 9 giờ tối được không", "21:00"),  # a polite question is a wish
        ("nhắc lúc 3 rưỡi chiều dc ko", "15:30"),  # a half hour without "giờ"
    ],
)
async def test_the_hour_wished_in_other_words_is_read_back_and_saved(wish, hour):
    text, after = await _saved(wish, datetime(2022, 6, 2, 10, 0, tzinfo=TZ))
    assert f"Giờ nhắc: {hour.lstrip('0')}" in text
    assert after.reminder_time == hour


@pytest.mark.parametrize(
    "text",
    [
        "bot đang nhắc lúc 7h30 phải không",  # checks the hour that is
        "nhắc tôi lúc 8h ngày 15/9 nộp báo cáo",  # a dated one-off, not the daily hour
        "mai nhắc gì lúc 7h30",  # what is reminded
    ],
)
async def test_what_is_not_an_hour_wish_changes_nothing(text):
    sub = Subscription("test", "1", ("tra-vinh-60-2022",))
    replies, store, _ = await ask(sub, text, datetime(2022, 6, 2, 10, 0, tzinfo=TZ))
    assert "Giờ nhắc:" not in replies[0].text or SAVE not in buttons(replies)
    assert store.get("test", "1").reminder_time == sub.reminder_time


async def test_several_lead_days_and_english_lead_days_are_read_back_each_with_its_unit():
    now = datetime(2022, 6, 2, 10, 0, tzinfo=TZ)
    text, after = await _saved("nhắc trc 14 ngày với 3 ngày nha", now)
    assert "Nhắc trước hạn: 14 ngày, 3 ngày." in text  # not "14, 3 ngày": the comma is a decimal
    assert after.lead_days == (14, 3)
    text, after = await _saved("please remind us 5 days before the deadline", now)
    assert "Nhắc trước hạn: 5 ngày." in text
    assert after.lead_days == (5,)


async def test_turning_everything_off_in_other_words_mutes_the_chat():
    text, after = await _saved("tắt hết nhắc nhở giùm", datetime(2022, 6, 2, 10, 0, tzinfo=TZ))
    assert text.startswith("Xác nhận thay đổi:\nTắt nhắc: từ Thứ Sáu, 3/6/2022")
    assert after.pause == Pause(date(2022, 6, 3), None)


@pytest.mark.parametrize(
    ("wish", "days"),
    [
        # "thôi" ends the clause ("only"); the next clause's "nhắc" is not "thôi nhắc" / "thôi nhận"
        ("Nhắc trước 2 ngày thôi, nhắc sớm quá mọi người lơ là", (2,)),
        ("báo trc 4 hôm thôi, nhận nhiều tin quá", (4,)),
        # a grumble after the count ("đừng nhắc …") is no pause: the count says lead days
        ("nhắc trước 2 ngày là được, đừng nhắc liên tục", (2,)),
    ],
)
async def test_a_lead_days_wish_with_a_grumble_is_lead_days_never_leaving_or_pausing(wish, days):
    sub = Subscription("test", "1", ("thai-nguyen-49-2022",))
    now = datetime(2022, 5, 5, 8, 0, tzinfo=TZ)
    text, after = await _saved(wish, now, sub)
    assert f"Nhắc trước hạn: {days[0]} ngày." in text
    assert after.lead_days == days and after.pause is None and after.plan_ids == sub.plan_ids


async def test_an_english_pause_for_a_week_is_read_back_as_a_pause():
    now = datetime(2022, 6, 1, 10, 0, tzinfo=TZ)
    text, after = await _saved("please pause the reminders for two weeks", now)
    assert "Tạm dừng nhắc từ" in text
    assert after.pause is not None and (after.pause.end - after.pause.start).days == 13


@pytest.mark.parametrize("wish", ["ngừng nhắc nhé", "ngung nhac giup minh", "bot ngừng nhắc đi"])
async def test_stop_reminding_mutes_and_never_offers_to_leave_a_plan(wish):
    # "ngừng nhắc" (stop reminding) is one letter from "ngừng nhận" (leave the plan): never near
    sub = Subscription("test", "1", ("tra-vinh-60-2022", "kim-bang-35-2022"))
    text, after = await _saved(wish, datetime(2022, 6, 2, 10, 0, tzinfo=TZ), sub)
    assert text.startswith("Xác nhận thay đổi:\nTắt nhắc: từ Thứ Sáu, 3/6/2022")
    assert after.pause == Pause(date(2022, 6, 3), None) and after.plan_ids == sub.plan_ids
