"""Button data: one encode and one decode per kind, within the strictest channel's budget."""

import pytest

from handlers import button_data
from handlers import buttons as b
from handlers.conversation import COMMAND_HELP, COMMANDS

LONG = "mot-ke-hoach-co-ten-rat-dai-cua-dang-uy-khoi-cac-co-quan-tinh-2022"

PRESSES = [
    b.Ask("topics"),
    b.Ask("deadlines"),
    b.ChoosePlan(),
    b.OpenSettings(),
    b.Subscribe(b.Ref("tra-vinh-60-2022")),
    b.Unsubscribe(b.Ref("kim-bang-35-2022")),
    b.Unsubscribe(None),
    b.SaveChange(),
    b.CancelChange(),
    b.PresetValue("7 3 1 0"),
    b.ChangeSetting(b.Ref("event:hoi-nghi-chuyen-de")),
    b.MarkDone(b.Ref("kim-bang-35-2022"), b.Ref("bao-cao-quy@2022-07-01")),
]


@pytest.mark.parametrize("press", PRESSES, ids=lambda p: p.encode())
def test_every_press_decodes_to_itself(press):
    assert b.decode(press.encode()) == press


def test_the_wire_format_of_buttons_already_in_chats_still_decodes():
    assert b.decode("sub:ky-loi-2022") == b.Subscribe(b.Ref("ky-loi-2022"))
    assert b.decode("unsub:*") == b.Unsubscribe(None)
    assert b.decode("set:v=19:00") == b.PresetValue("19:00")
    assert b.decode("set:meeting") == b.ChangeSetting(b.Ref("meeting"))
    assert b.decode("done:kim-bang-35-2022:bao-cao-dot-1") == b.MarkDone(
        b.Ref("kim-bang-35-2022"), b.Ref("bao-cao-dot-1")
    )
    assert b.decode("zz:unknown") is None and b.decode("q:nothing") is None


def test_long_identifiers_become_digests_never_truncated():
    item = f"{LONG}@2022-07-01"
    press = b.MarkDone(b.Ref(LONG), b.Ref(item))
    data = press.encode()
    assert len(data.encode()) <= button_data.MAX_DATA_BYTES
    decoded = b.decode(data)
    assert decoded.plan.pick(["other", LONG]) == LONG
    assert decoded.item.pick([item[:-1], item]) == item  # a near id is not mistaken for it
    setting = b.ChangeSetting(b.Ref(f"event:{LONG}-va-hon-nua")).encode()
    assert len(setting.encode()) <= button_data.MAX_DATA_BYTES
    assert b.decode(setting).setting.matches(f"event:{LONG}-va-hon-nua")
    assert len(b.Subscribe(b.Ref("ngắn")).encode().encode()) <= button_data.MAX_DATA_BYTES


def test_every_command_is_in_the_menu_and_the_short_list_is_unchanged():
    assert {"tinhhinh", "thongbao", "trogiup", "help", "caidat", "dangky"} <= COMMANDS.keys()
    assert COMMAND_HELP == (
        "Lệnh: /thangnay tháng này học gì · /hanchot hạn sắp tới · /kehoach các kế hoạch · "
        "/dangky đăng ký · /huy hủy · /caidat cài đặt · /lichnhac tin nhắc 7 ngày tới."
    )
