"""`chibo` (= `python -m bot`): the operator's and developer's command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot import clock
from handlers import answers
from handlers.router import route
from schedules import catalog, vi_dates
from schedules.calendar import Cell


def _moment(text: str | None) -> datetime:
    if text is None:
        return clock.now()
    try:
        return clock.parse_moment(text)
    except ValueError:
        raise SystemExit(
            f"Lỗi: thời điểm “{text}” không hợp lệ (viết YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)."
        ) from None


def cmd_plans(args: argparse.Namespace) -> int:
    if args.action == "check":
        if not args.files:
            print("Cần ít nhất một tệp: chibo plans check TỆP.yaml …", file=sys.stderr)
            return 2
        cat = catalog.load([Path(f) for f in args.files])
        for problem in cat.problems:
            print(problem)
        for plan in cat.sorted():
            print(f"✓ {plan.id}: hợp lệ")
        return 1 if cat.problems else 0
    cat = catalog.load()
    for plan in cat.sorted():
        number = plan.number or "(không số)"
        print(f"{plan.id:22} {number:12} {plan.period.span.text():22} {plan.issuer}")
    for problem in cat.problems:
        print(f"⚠️ {problem}", file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    cat = catalog.load()
    plan = cat.get(args.plan)
    if plan is None:
        print(f"Không có kế hoạch “{args.plan}”. Các kế hoạch: {', '.join(sorted(cat.plans))}.")
        return 2
    now = _moment(args.today)
    text = " ".join(args.text)
    reply = answers.answer(route(text, now), [plan], Cell(args.cell), now.date(), text)
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
    """Until the console chat exists: ask questions of one plan, one line at a time."""
    cat = catalog.load()
    plan = cat.get(args.plan)
    if plan is None:
        print(f"Không có kế hoạch “{args.plan}”.")
        return 2
    now = _moment(args.today)
    print(
        f"Trợ lý Chi bộ — {plan.short_name}, hôm nay {now:%d/%m/%Y}. Gõ câu hỏi, Ctrl-D để thoát."
    )
    for line in sys.stdin:
        if line.strip():
            print(answers.answer(route(line, now), [plan], Cell(args.cell), now.date(), line).text)
            print()
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chibo", description="Trợ lý Chi bộ")
    sub = p.add_subparsers(dest="command", required=True)

    plans = sub.add_parser("plans", help="liệt kê hoặc kiểm tra tệp kế hoạch")
    plans.add_argument("action", nargs="?", choices=["list", "check"], default="list")
    plans.add_argument("files", nargs="*")
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
    demo.add_argument("--plan", default="tra-vinh-60-2022")
    demo.add_argument("--cell")
    demo.add_argument("--today")
    demo.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    return args.func(args)
