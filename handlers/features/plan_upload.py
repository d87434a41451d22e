"""A plan published from chat: an admin sends the plan document; the bot answers with the
draft's summary (what the importer found, what is still missing) and the draft as a .yaml file;
the admin finishes it and sends the .yaml back; once it passes the plan check and is theirs to
publish, ✅ Ban hành publishes it (the publisher, injected from bot/: PlanLibrary.publication).

The checked draft waits in the store's runtime values (`upload:<platform>:<chat>`, one per chat)
with a short token the buttons carry, so a press after a restart, or on another process of a
PostgreSQL store, still finds it; a press on an older draft is told so.
"""

from __future__ import annotations

from handlers import upload_text as words
from handlers.buttons import Publish
from handlers.feature import Feature, Permission, Turn
from handlers.features.admin import scope
from handlers.types import Attachment, ReceivedFile, Reply
from schedules import catalog as catalog_mod
from schedules import plan_import
from schedules.plan_import import accents

feature = Feature("plan_upload")

FINISHED = (".yaml", ".yml")  # a draft sent back, finished

NOT_ADMIN = Reply(
    "Tôi chỉ đọc tin nhắn chữ. Nhận tệp kế hoạch chỉ dành cho cán bộ cấp trên quản trị bot; "
    "gõ /help để xem các lệnh."
)
IN_GROUP = Reply(
    "Xin gửi tệp kế hoạch trong chat riêng với bot (bấm vào tên bot → Nhắn tin), không gửi "
    "trong nhóm: bản nháp và nút ban hành chỉ dành cho đồng chí."
)
STALE = Reply(
    "Nút này thuộc một bản nháp cũ (đã ban hành, đã bỏ, hoặc đồng chí đã gửi tệp khác sau đó). "
    "Gửi lại tệp .yaml để kiểm tra và ban hành."
)


def _key(turn: Turn) -> str:
    return turn.chat_key("upload")


@feature.command(
    "nhapkehoach",
    description="Nhập và ban hành kế hoạch từ tệp (cán bộ cấp trên)",
    permission=Permission.BOT_ADMIN,
)
async def how_to(turn: Turn) -> list[Reply]:
    if turn.msg.platform in turn.conversation.without_files:
        return [Reply(f"{words.NO_FILES_HERE}\n{words.elsewhere(turn.msg.user)}")]
    return [
        Reply(
            f"Gửi tệp kế hoạch vào chat riêng này ({words.ACCEPTED}). Tôi đọc và gửi lại bản "
            "nháp .yaml cùng những chỗ còn thiếu; đồng chí hoàn thiện rồi gửi lại tệp .yaml, "
            "tôi kiểm tra và hỏi trước khi ban hành."
        )
    ]


@feature.file(permission=Permission.BOT_ADMIN, refusal=NOT_ADMIN)
async def received(turn: Turn) -> list[Reply]:
    f = turn.msg.file
    if turn.msg.is_group:
        return [IN_GROUP]
    if f is None or f.text is None:
        return [Reply(words.unreadable(f or ReceivedFile("", 0), turn.msg.user))]
    if not f.text.strip():
        return [Reply(f"Tệp “{f.filename}” trống: không có chữ nào để đọc.")]
    if f.suffix == ".xlsx":  # a spreadsheet is a committee group's list of cells, not a plan
        return [
            Reply(
                f"Tệp “{f.filename}” là bảng tính: bảng tính chỉ dùng để gửi danh sách chi bộ trong "
                f"nhóm của cấp ủy. Kế hoạch xin gửi dạng {words.ACCEPTED}."
            )
        ]
    if f.suffix in FINISHED:
        return [await _checked(turn, f.filename, f.text)]
    # A scan without marks gets them back, field by field, from the plans the bot holds.
    draft = plan_import.build(f.text, f.filename, accents.of_plans(turn.catalog.sorted()))
    yaml_text = draft.to_yaml()
    summary = Reply(
        words.draft_summary(f.filename, draft),
        attachment=Attachment(
            f"{draft.data['id']}.yaml",
            yaml_text.encode("utf-8"),
            "text/yaml",
            instead="Bản nháp quá dài để gửi thành tin nhắn.",
        ),
    )
    if draft.todo:
        return [summary]
    return [summary, await _checked(turn, f"{draft.data['id']}.yaml", yaml_text)]


async def _checked(turn: Turn, filename: str, text: str) -> Reply:
    """A finished draft: its problems, or its summary with ✅ Ban hành / ✖️ Thôi (the draft kept
    for the press)."""
    plan, problems = catalog_mod.load_text(text, filename)
    if plan is None:
        return Reply(words.problems_text(filename, problems))
    mine = scope(turn)
    if not mine.owns(plan):
        return Reply(
            f"Kế hoạch “{plan.id}” ({plan.issuer}) không thuộc phạm vi của {mine.name}: cấp ủy "
            "chỉ ban hành kế hoạch của mình (mã kế hoạch hoặc cơ quan ban hành đã đăng ký)."
        )
    token = turn.token(text)
    await turn.store.set_runtime(
        _key(turn), {"token": token, "plan": plan.id, "yaml": text, "at": turn.now.isoformat()}
    )
    owners = [c.name for c in mine.committees if c.owns(plan)]
    counts = plan_import.Draft(plan.model_dump()).counts()
    return Reply(words.plan_summary(plan, counts, owners[0] if owners else "")).with_buttons(
        (Publish(token, True).button("✅ Ban hành"), Publish(token, False).button("✖️ Thôi"))
    )


@feature.button(Publish, permission=Permission.BOT_ADMIN)
async def pressed(turn: Turn) -> list[Reply]:
    key = _key(turn)
    pending = turn.store.runtime(key)
    if not isinstance(pending, dict) or pending.get("token") != turn.press.draft:
        return [STALE]
    await turn.store.set_runtime(key, None)  # before publishing: a second press finds nothing
    if not turn.press.go:
        return [Reply(f"Đã bỏ bản nháp “{pending['plan']}”; chưa ban hành gì.")]
    publisher = turn.conversation.publisher
    if publisher is None:
        return [
            Reply(
                "Bot chưa có thư mục để lưu kế hoạch ban hành: xin báo người vận hành đặt CHIBO_PLANS_DIR trong tệp .env."
            )
        ]
    done = await publisher(turn.msg.user, pending["yaml"])
    if done.problems:
        lines = [f"⚠️ Chưa ban hành “{pending['plan']}”: bản kế hoạch chưa hợp lệ."]
        lines += [f"• {words.problem_line(p)}" for p in done.problems[: words.MOST_ITEMS]]
        return [Reply("\n".join(lines))]
    if done.refused:
        return [Reply(f"⚠️ Chưa ban hành “{pending['plan']}”: {done.refused}")]
    plan = turn.catalog.get(done.plan_id)
    name = plan.short_name if plan else done.plan_id
    verb = "Đã cập nhật" if done.replaced else "Đã ban hành"
    invited = (
        f"Đã gửi lời mời theo dõi tới {done.invited} chat đang theo kế hoạch trước của cấp ủy."
        if done.invited
        else "Không có chat nào cần mời (chưa có chi bộ theo kế hoạch trước, hoặc đã mời rồi)."
    )
    return [
        Reply(
            f"📢 {verb} {name} ({done.plan_id}). Bot đã nạp kế hoạch: các chi bộ hỏi và đăng ký "
            f"được ngay (/dangky {done.plan_id}).\n{invited}"
        )
    ]
