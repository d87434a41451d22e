"""/start when every plan has ended, short plan ids, and /huy of the last plan confirmed first."""

from datetime import datetime

from bot.clock import TZ
from handlers import buttons
from handlers.conversation import Conversation
from handlers.state import MemoryStore
from handlers.types import Incoming, Reply
from schedules import catalog

NOW = datetime(2022, 8, 20, 8, 0, tzinfo=TZ)


class Chat:
    def __init__(self):
        self.store = MemoryStore()
        self.conv = Conversation(catalog.load(), self.store)

    async def say(self, text="", callback=None, at=NOW) -> Reply:
        [reply] = await self.conv.handle(Incoming("t", "1", "u1", text=text, callback=callback), at)
        return reply

    def plans(self):
        sub = self.store.get("t", "1")
        return sub.plan_ids if sub else ()


def labels(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


async def test_start_after_every_plan_ended_says_so_and_shows_them_as_past():
    chat = Chat()
    reply = await chat.say("/start", at=datetime(2031, 3, 1, 8, 0, tzinfo=TZ))
    assert (
        "Hiện chưa có kế hoạch nào đang thực hiện: mọi kế hoạch tôi có đều đã kết thúc (muộn nhất "
        "tháng 12/2030)." in reply.text
    )
    # every plan of the catalog, whatever it holds, shown as past
    assert "🗄 Kim Bảng 35-KH/HU (đã kết thúc)" in labels(reply)
    assert len(labels(reply)) == len(chat.conv.catalog.plans)


async def test_start_while_a_plan_runs_offers_them_plainly():
    reply = await Chat().say("/start")
    assert reply.text.endswith("Chọn kế hoạch cấp trên đã ban hành cho chi bộ:")
    assert "Kim Bảng 35-KH/HU" in labels(reply)


async def test_an_unambiguous_short_id_subscribes():
    chat = Chat()
    reply = await chat.say("/dangky kim-bang")
    assert reply.text.startswith("✅ Đã đăng ký Kim Bảng 35-KH/HU cho chat này.")
    assert chat.plans() == ("kim-bang-35-2022",)
    await chat.say("/dangky tra-vinh Chi bộ 3")
    assert chat.plans() == ("kim-bang-35-2022", "tra-vinh-60-2022")
    assert chat.store.get("t", "1").cell_name == "Chi bộ 3"


async def test_an_ambiguous_short_id_lists_what_it_could_be():
    reply = await Chat().say("/dangky t")
    assert reply.text.startswith("“t” có thể là: thai-nguyen-49-2022, tra-vinh-60-2022.")
    assert (await Chat().say("/dangky xyz")).text.startswith("Không có kế hoạch “xyz”.")


async def test_leaving_the_last_plan_is_confirmed_first():
    chat = Chat()
    await chat.say("/dangky kim-bang-35-2022")
    await chat.say("/dangky tra-vinh")
    assert (await chat.say("/huy tra-vinh")).text == "Đã hủy. Chat này còn theo: kim-bang-35-2022."
    ask = await chat.say("/huy")
    assert ask.text.startswith(
        "Hủy Kim Bảng 35-KH/HU thì chat này không còn kế hoạch nào và tôi sẽ không nhắc gì nữa. "
        "Đồng chí chắc chắn muốn hủy?"
    )
    assert chat.plans() == ("kim-bang-35-2022",)  # nothing changed yet
    [data] = [b.data for row in ask.buttons for b in row]
    assert buttons.decode(data) == buttons.ConfirmUnsubscribe(buttons.Ref("kim-bang-35-2022"))
    done = await chat.say(callback=data)
    assert done.text.startswith("Đã hủy đăng ký. Tôi sẽ không nhắc nữa")
    assert chat.plans() == ()


async def test_cancelling_all_plans_by_the_old_button_is_confirmed_too():
    chat = Chat()
    await chat.say("/dangky kim-bang")
    ask = await chat.say(callback="unsub:*")
    assert "Đồng chí chắc chắn muốn hủy?" in ask.text and chat.plans() == ("kim-bang-35-2022",)
    await chat.say(callback=ask.buttons[0][0].data)
    assert chat.plans() == ()
