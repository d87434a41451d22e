"""/web: a one-time link to the committee's web page (bot admins, in a private chat), sent with
link previews off so a chat app's preview cannot spend it. /lich: the chat's private calendar
feed address (a file too where the channel carries files); “/lich moi” revokes the old address.

The addresses are made in bot/web/ (Conversation.web); without a web page both say so.
"""

from __future__ import annotations

from handlers.feature import Feature, Permission, Turn
from handlers.types import Attachment, Reply

feature = Feature("web")

NO_PAGE = Reply("Trang web của bot đang tắt (CHIBO_WEB_PORT=off); xin hỏi người quản trị máy chủ.")
RENEW = ("moi", "mới", "doi", "đổi")


@feature.command(
    "web",
    description="Liên kết đăng nhập trang tình hình (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def web_link(turn: Turn) -> list[Reply]:
    links = turn.conversation.web
    if links is None:
        return [NO_PAGE]
    if turn.msg.is_group:
        return [Reply("Liên kết đăng nhập chỉ gửi trong chat riêng với bot: nhắn /web cho bot.")]
    name = turn.msg.user_name or f"{turn.msg.platform}:{turn.msg.user_id}"
    url = await links.login(turn.msg.user, name, turn.now)
    return [
        Reply(
            f"🔑 Liên kết đăng nhập trang tình hình (dùng một lần, trong 10 phút):\n{url}\n"
            "Mở liên kết rồi bấm “Đăng nhập”. Đừng chuyển liên kết này cho người khác.",
            preview=False,
        )
    ]


@feature.command(
    "lich",
    description="Lịch của chi bộ cho điện thoại, Google Calendar",
    permission=Permission.SUBSCRIBER,
)
async def calendar(turn: Turn) -> list[Reply]:
    links = turn.conversation.web
    if links is None:
        return [NO_PAGE]
    sub = turn.sub
    if sub is None or not sub.plan_ids:
        return [Reply("Chat này chưa theo kế hoạch nào nên chưa có lịch. Gõ /start để đăng ký.")]
    renew = turn.args.strip().lower() in RENEW
    url = await links.calendar(sub.platform, sub.chat_id, renew=renew)
    text = (
        ("🔄 Đã đổi địa chỉ lịch: địa chỉ cũ thôi dùng được.\n" if renew else "")
        + f"📅 Lịch của chi bộ (ngày họp, các hạn kèm lời nhắc, chuyên đề từng tháng):\n{url}\n"
        "Thêm vào Google Calendar: “Thêm lịch” → “Từ URL”; iPhone: Cài đặt → Lịch → Tài khoản → "
        "Thêm lịch đã đăng ký. Địa chỉ này là bí mật; lộ ra thì gõ “/lich moi” để đổi."
    )
    attachment = None
    if turn.msg.platform not in turn.conversation.without_files:
        data = await links.calendar_file(sub, turn.now)
        attachment = Attachment("lich-chi-bo.ics", data, "text/calendar")
    return [Reply(text, preview=False, attachment=attachment)]
