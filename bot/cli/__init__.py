"""`chibo` (= `python -m bot`): the operator's and developer's command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from bot import clock, failures
from bot import clock as clock_mod
from bot.clock import Clock
from handlers import answers
from handlers.router import route
from schedules import catalog, vi_dates
from schedules.plan_calendar import Cell

log = logging.getLogger("chibo")


def _moment(text: str | None) -> datetime:
    if text is None:
        return clock.now()
    try:
        return clock.parse_moment(text)
    except ValueError:
        raise failures.BadInput(
            f"Lỗi: thời điểm “{text}” không hợp lệ (viết YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)."
        ) from None


def cmd_plans(args: argparse.Namespace) -> int:
    if args.action == "import":
        from bot.plans import (
            import_command as plan_import,  # the document readers load only for this command
        )

        return plan_import.run(args.files, args.output, args.compare)
    if args.action == "publish":
        from bot.plans import publish_command as plan_publish

        return plan_publish.run(args.files, args.as_user, args.env)
    if args.action == "check":
        if not args.files:
            print("Cần ít nhất một tệp: chibo plans check TỆP.yaml …", file=sys.stderr)
            return 2
        cat = catalog.load([Path(f) for f in args.files])
        for problem in cat.problems:
            print(problem)
        for plan in cat.sorted():
            print(f"✓ {plan.id}: hợp lệ")
        if not cat.plans and not cat.problems:  # an empty folder: nothing was checked
            raise failures.BadInput(
                f"Không có tệp kế hoạch (*.yaml) nào trong {', '.join(args.files)}."
            )
        return 1 if cat.problems else 0
    cat = catalog.load()
    for plan in cat.sorted():
        number = plan.number or "(không số)"
        print(f"{plan.id:22} {number:12} {plan.period.span.text():22} {plan.issuer}")
    for problem in cat.problems:
        print(f"⚠️ {problem}", file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from handlers.features.subscribing import find_plans

    cat = catalog.load()
    found = find_plans(cat, args.plan)  # the short id /dangky takes ("kim-bang") too
    if len(found) != 1:
        what = "Có nhiều kế hoạch khớp" if found else "Không có kế hoạch"
        ids = [p.id for p in found] or sorted(cat.plans)
        print(f"{what} “{args.plan}”. Các kế hoạch: {', '.join(ids)}.")
        return 2
    plan = found[0]
    now = _moment(args.today)
    text = " ".join(args.text)
    reply = answers.answer(route(text, now), [plan], Cell(args.cell), now.date())
    print(reply.text)
    return 0


def cmd_parse_date(args: argparse.Namespace) -> int:
    result = vi_dates.parse(" ".join(args.text), _moment(args.today))
    if isinstance(result, vi_dates.When):
        print(result.iso())
        return 0
    print(f"Không hiểu mốc thời gian: {result.message}.")
    return 1


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from bot.channels import console as console_mod
    from bot.channels.console import Console
    from bot.plans.library import PlanLibrary
    from bot.stores.tinydb.store import TinyStore
    from handlers import push_messages as render
    from handlers.conversation import Conversation
    from handlers.scope import Committee, Committees
    from handlers.state import MemoryStore
    from handlers.types import Reply, UserRef
    from schedules import vi_format
    from schedules.pushes import Planner

    clock = Clock(_moment(args.today) if args.today else None)
    store = TinyStore(Path(args.db), clock.now()) if args.db else MemoryStore()
    # The demo's user is the admin of a committee owning every plan ("*"), publishing into a
    # throwaway plans folder (/tep); a committee, not a global admin, so /thanhvien still plays
    # an ordinary member of the group.
    with tempfile.TemporaryDirectory(prefix="chibo-demo-plans-") as folder:
        plans_dir = Path(folder)
        cat = catalog.load(extra=[plans_dir])
        demo = Committee(
            "chay-thu", "Cấp ủy chạy thử", frozenset({UserRef("console", console_mod.USER)}), ("*",)
        )
        conversation = Conversation(cat, store, committees=Committees((demo,)))
        conversation.set_publisher(PlanLibrary(cat, conversation, plans_dir).publication)
        planner = Planner(cat.plans, clock_mod.TZ)

        async def pushes_on_the_way(
            before: datetime, target: datetime
        ) -> list[tuple[str, str, Reply]]:
            nonlocal planner
            if planner.plans is not cat.plans:  # a plan was published meanwhile
                planner = Planner(cat.plans, clock_mod.TZ)
            subs = [s for s in store.all() if s.active and s.plan_ids]
            return [
                (
                    sub.chat_id,
                    f"⏰ {vi_format.moment(push.at)} → "
                    f"{'nhóm chi bộ' if sub.is_group else 'chat riêng'}:",
                    reply,
                )
                for push, sub, reply in render.rendered(planner, subs, before, target)
            ]

        console = Console(conversation, clock, on_advance=pushes_on_the_way, kenh=args.kenh)
        asyncio.run(console.run(sys.stdin))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import signal

    from bot import config as config_mod
    from bot.app import assemble
    from bot.stores.backend import open_backend
    from bot.stores.tinydb.lock import AlreadyRunning, InstanceLock

    config = config_mod.load(Path(args.env), now_override=args.now)
    config_mod.setup_logging(config)
    lock = None
    if config.db_url is None:  # one process per TinyDB file; PostgreSQL elects instead
        try:
            lock = InstanceLock(config.db_path).acquire()
        except AlreadyRunning as e:
            print(f"Không khởi động: {e}", file=sys.stderr)
            return 3
    clock = Clock(config.start_at)
    if clock.simulated:
        log.warning(
            "Rehearsal mode: the clock starts at %s and runs from there", clock.now().isoformat()
        )
    cat = catalog.load(extra=[config.plans_dir] if config.plans_dir else None)

    async def serve() -> None:
        # a damaged file is kept aside and logged, not fatal; an unreachable database is
        # DatabaseUnavailable: one Vietnamese line, exit 2
        backend = await open_backend(config.db_url or config.db_path, clock.now())
        bot = assemble(config, cat, clock, backend=backend)
        log.info(
            "Starting: %d plans, %d chats on %s, channels: %s",
            len(cat.plans),
            len(bot.store.all()),
            "PostgreSQL" if config.db_url else "TinyDB",
            ", ".join(f"{name} ({c.mode})" for name, c in bot.channels.items()),
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await bot.serve(config, stop)
        finally:
            await bot.close()

    try:
        asyncio.run(serve())
    finally:
        if lock is not None:
            lock.release()
    log.info("Stopped")
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    """What would be pushed in a window: for one plan (a cell with default settings), or for every
    chat in the database."""
    from handlers import push_messages as render
    from handlers.state import Subscription
    from schedules.meetings import parse_rule
    from schedules.pushes import Planner

    start, end = _moment(getattr(args, "from")), _moment(args.to)
    if end <= start:
        raise failures.BadInput(f"Lỗi: --to ({args.to}) phải sau --from ({getattr(args, 'from')}).")
    cat = catalog.load()
    if args.plan:
        if cat.get(args.plan) is None:
            print(f"Không có kế hoạch “{args.plan}”. Các kế hoạch: {', '.join(sorted(cat.plans))}.")
            return 2
        rule = parse_rule(args.meeting) if args.meeting else None
        if args.meeting and rule is None:
            print(f"Không hiểu lịch họp “{args.meeting}” (ví dụ: ngày 3 hằng tháng).")
            return 2
        subs = [Subscription("cli", "0", (args.plan,), args.cell, rule)]
    else:
        from bot import config as config_mod
        from bot.stores.backend import snapshot

        config = config_mod.load(Path(args.env), need_token=False)
        stored = snapshot(config.db_url or config.db_path, start)
        subs = [s for s in stored if s.active and s.plan_ids]
    found = render.rendered(Planner(cat.plans, clock.TZ), subs, start, end)
    for push, _, reply in found:
        where = "" if args.plan else f" → {push.recipient}"
        print(f"⏰ {push.at:%Y-%m-%d %H:%M}{where} [{push.key}]")
        print(reply.text + ("\n[✅ Đã hoàn thành]" if reply.buttons else ""))
        print()
    print(f"Tổng cộng {len(found)} tin nhắc từ {start:%Y-%m-%d %H:%M} đến {end:%Y-%m-%d %H:%M}.")
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from bot.stores.copy import cmd_db as copy

    return copy(args)


def cmd_status(args: argparse.Namespace) -> int:
    """One plan's status from CHIBO_DB: the summary /tinhhinh shows, and the table as a file."""
    from bot import config as config_mod
    from bot.stores.backend import snapshot
    from handlers import status, status_table

    config = config_mod.load(Path(args.env), need_token=False)
    now = _moment(args.today)
    cat = catalog.load(extra=[config.plans_dir] if config.plans_dir else None)
    plan = cat.get(args.plan)
    if plan is None:
        print(f"Không có kế hoạch “{args.plan}”. Các kế hoạch: {', '.join(sorted(cat.plans))}.")
        return 2
    stored = snapshot(config.db_url or config.db_path, now)
    found = status.plan_status(plan, stored)
    print(status.detail_text(found, now.date(), window_days=45))
    if config.zalo_bots:  # each Zalo bot against its caps, as /tinhhinh shows them
        from bot.channels.zalo.status import status_lines
        from bot.stores.backend import reading

        bots = config.zalo_bots
        print(
            "\n".join(
                reading(config.db_url or config.db_path, now, lambda s: status_lines(bots, s, now))
            )
        )
    table = status_table.rows(found)
    for path, write in ((args.csv, status_table.csv_bytes), (args.xlsx, None)):
        if not path:
            continue
        try:
            data = write(table) if write else status_table.xlsx_bytes(table, plan.id, now)
        except ImportError:
            raise failures.BadInput(
                "Lỗi: ghi tệp .xlsx cần openpyxl: .venv/bin/pip install -e '.[export]' "
                "(hoặc dùng --csv)."
            ) from None
        Path(path).write_bytes(data)
        print(f"📥 Đã ghi {path}: {len(table)} dòng.")
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    from bot.web import link_command

    return link_command.run(args.as_user, args.env)


def cmd_oa(args: argparse.Namespace) -> int:
    """`chibo oa login`: the Zalo OA's first token pair (bot/channels/zalo_oa/login.py)."""
    from bot import config as config_mod
    from bot.channels.zalo_oa.login import login
    from bot.stores.tinydb.lock import AlreadyRunning, InstanceLock

    config = config_mod.load(Path(args.env), need_token=False)
    lock = None
    if config.db_url is None:  # the running bot owns the TinyDB file: it is stopped first
        try:
            lock = InstanceLock(config.db_path).acquire()
        except AlreadyRunning:
            print(
                "Bot đang chạy trên tệp dữ liệu này: dừng bot rồi chạy lại lệnh.", file=sys.stderr
            )
            return 3
    try:
        return login(config, args.redirect_uri, clock.now())
    finally:
        if lock is not None:
            lock.release()


class _Parser(argparse.ArgumentParser):
    """A wrong command line is bad input like any other: one Vietnamese line, exit 2."""

    def error(self, message: str) -> NoReturn:
        raise failures.BadInput(
            f"Lỗi dòng lệnh “{self.prog}”: {failures.argparse_vi(message)} "
            f"(xem: {self.prog} --help)."
        )


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chibo", description="Trợ lý Chi bộ")
    sub = p.add_subparsers(dest="command", required=True)

    plans = sub.add_parser("plans", help="liệt kê hoặc kiểm tra tệp kế hoạch")
    plans.add_argument(
        "action", nargs="?", choices=["list", "check", "import", "publish"], default="list"
    )
    plans.add_argument("files", nargs="*")
    plans.add_argument(
        "-o", "--output", help="import: tệp bản nháp .yaml (mặc định: in ra màn hình)"
    )
    plans.add_argument("--compare", metavar="PLAN_ID", help="import: so với kế hoạch có sẵn")
    plans.add_argument(
        "--as",
        dest="as_user",
        metavar="NỀN-TẢNG:MÃ",
        help="publish: ban hành thay cán bộ này (như CHIBO_ADMINS, committees.yaml)",
    )
    plans.add_argument("--env", default=".env", help="publish: tệp cấu hình")
    plans.set_defaults(func=cmd_plans)

    ask = sub.add_parser("ask", help="hỏi như một chi bộ đã đăng ký")
    ask.add_argument("--plan", required=True)
    ask.add_argument("--cell")
    ask.add_argument("--today")
    ask.add_argument("text", nargs="+")
    ask.set_defaults(func=cmd_ask)

    pd = sub.add_parser("parse-date", help="hiểu một mốc thời gian tiếng Việt")
    pd.add_argument("--today")
    pd.add_argument("text", nargs="+")
    pd.set_defaults(func=cmd_parse_date)
    demo = sub.add_parser("demo", help="chạy thử trong cửa sổ dòng lệnh, không cần token")
    demo.add_argument("--today", help="thời điểm bắt đầu, ví dụ 2022-07-05T08:00")
    demo.add_argument("--db", help="tệp dữ liệu (mặc định: chỉ trong bộ nhớ)")
    demo.add_argument(
        "--kenh",
        choices=["telegram", "zalo"],
        default="telegram",
        help="hiện tin như trên kênh này (zalo: lựa chọn đánh số, chia tin dưới 2.000 ký tự)",
    )
    demo.set_defaults(func=cmd_demo)

    run = sub.add_parser("run", help="chạy bot trên Telegram và/hoặc Zalo (đọc cấu hình từ .env)")
    run.add_argument("--env", default=".env")
    run.add_argument(
        "--now", help="diễn tập: đồng hồ bắt đầu từ thời điểm này, ví dụ 2022-07-05T08:00"
    )
    run.set_defaults(func=cmd_run)

    due = sub.add_parser("due", help="các tin nhắc sẽ gửi trong một khoảng thời gian")
    due.add_argument("--from", required=True, help="ví dụ 2022-07-01")
    due.add_argument("--to", required=True, help="ví dụ 2022-08-01T08:00")
    due.add_argument(
        "--plan", help="xem cho một chi bộ theo kế hoạch này (mặc định: mọi chat trong CHIBO_DB)"
    )
    due.add_argument("--cell", help="tên chi bộ, ví dụ “Chi bộ Tân Phúc Thành 3”")
    due.add_argument("--meeting", help="lịch họp, ví dụ “ngày 3 hằng tháng”")
    due.add_argument("--env", default=".env")
    due.set_defaults(func=cmd_due)

    db = sub.add_parser("db", help="chép dữ liệu giữa tệp TinyDB và PostgreSQL")
    copy = db.add_subparsers(dest="action", required=True).add_parser(
        "copy", help="chép mọi chat và lượt đánh dấu hoàn thành sang nơi khác"
    )
    copy.add_argument("--from", required=True, help="data/chibo.json hoặc postgresql://…")
    copy.add_argument("--to", required=True, help="postgresql://… hoặc một tệp .json")
    copy.add_argument("--force", action="store_true", help="thay toàn bộ dữ liệu đang có ở đích")
    db.set_defaults(func=cmd_db)

    oa = sub.add_parser("oa", help="Zalo Official Account")
    oa_login = oa.add_subparsers(dest="action", required=True).add_parser(
        "login", help="lấy cặp mã truy cập đầu tiên của OA (mở đường dẫn, dán mã)"
    )
    oa_login.add_argument(
        "--redirect-uri", required=True, help="địa chỉ callback đã khai trong ứng dụng Zalo"
    )
    oa_login.add_argument("--env", default=".env")
    oa.set_defaults(func=cmd_oa)

    st = sub.add_parser("status", help="tình hình một kế hoạch; xuất bảng .xlsx hoặc .csv")
    st.add_argument("--plan", required=True)
    st.add_argument("--xlsx", help="ghi bảng ra tệp Excel")
    st.add_argument("--csv", help="ghi bảng ra tệp CSV")
    st.add_argument("--today", help="mặc định: bây giờ")
    st.add_argument("--env", default=".env")
    st.set_defaults(func=cmd_status)

    web = sub.add_parser("web", help="trang web của cấp ủy: liên kết đăng nhập")
    link = web.add_subparsers(dest="action", required=True).add_parser(
        "link", help="in một liên kết đăng nhập dùng một lần (10 phút)"
    )
    link.add_argument("--as", dest="as_user", help="telegram:111111 hoặc zalo:…")
    link.add_argument("--env", default=".env")
    web.set_defaults(func=cmd_web)
    return p


def _reader_left() -> int:
    """The program reading our output closed it (`| head`): what it wanted it has, which is no
    error of ours. Python's advice: point stdout at devnull, so the flush at exit cannot fail
    again (https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    failures.install_thread_hook()
    command = "?"
    try:
        args = build_parser().parse_args(argv)
        command = args.command
        failures.register_secrets(Path(getattr(args, "env", ".env")))
        code: int = args.func(args)
        sys.stdout.flush()  # a reader that left early (`chibo due | head`) shows here
        return code
    except BrokenPipeError:
        return _reader_left()
    except (Exception, KeyboardInterrupt) as e:  # SystemExit passes: it already says its line
        return failures.report(command, e)
