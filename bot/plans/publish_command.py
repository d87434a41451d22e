"""`chibo plans publish FILE --as PLATFORM:USER`: what ✅ Ban hành does in chat, from the command
line (for Zalo's admins, whose chat carries no files): the same PlanLibrary.publish, with the
same checks — the plan valid, within that user's scope (CHIBO_ADMINS, committees.yaml), not
another committee's id — into CHIBO_PLANS_DIR, where a running bot picks it up within a minute.

No channel runs here, so the committee's cells are not invited: that happens only when the plan
is published in chat."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot import config as config_mod
from bot.failures import BadInput
from bot.plans.committees import load as load_committees
from bot.plans.library import PlanLibrary, PublishRefused
from handlers.conversation import Conversation
from handlers.state import MemoryStore
from handlers.types import UserRef
from schedules import catalog

USAGE = "chibo plans publish TỆP.yaml --as NỀN-TẢNG:MÃ-NGƯỜI-DÙNG (ví dụ --as telegram:111111)"


def run(files: list[str], as_user: str | None, env: str) -> int:
    if len(files) != 1:
        raise BadInput(f"Cần đúng một tệp: {USAGE}")
    platform, _, user_id = (as_user or "").partition(":")
    if not platform or not user_id:
        raise BadInput(f"Cần nói ban hành thay ai: {USAGE}")
    path = Path(files[0])
    if not path.is_file():
        raise BadInput(f"Không thấy tệp “{path}”.")
    config = config_mod.load(Path(env), need_token=False)
    if config.plans_dir is None:
        print(
            "Chưa đặt CHIBO_PLANS_DIR (thư mục kế hoạch ban hành thêm) trong .env.", file=sys.stderr
        )
        return 2
    cat = catalog.load(extra=[config.plans_dir])
    admins = {UserRef(p, u) for p, u in config.admins}
    conversation = Conversation(
        cat, MemoryStore(), admins, committees=load_committees(config.committees_file)
    )
    library = PlanLibrary(cat, conversation, config.plans_dir, config.committees_file)
    try:
        done = asyncio.run(
            library.publish(
                UserRef(platform, user_id), path.read_text(encoding="utf-8"), name=str(path)
            )
        )
    except PublishRefused as e:  # the file or the user given is what is wrong: bad input
        print(f"Chưa ban hành: {e}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        raise BadInput(f"Tệp “{path.name}” không phải văn bản UTF-8.") from None
    verb = "Đã cập nhật" if done.replaced else "Đã ban hành"
    print(
        f"{verb} {done.plan.short_name} ({done.plan.id}) vào {done.path}. Bot đang chạy nạp kế "
        "hoạch trong vòng một phút. Lời mời các chi bộ theo dõi chỉ gửi khi ban hành trong chat."
    )
    return 0
