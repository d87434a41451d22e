"""The plans a running bot serves: the shipped ones and the plans folder (CHIBO_PLANS_DIR), with
the committees that manage them — reloaded without a restart, published into.

`refresh()` is the one place a change on disk reaches the bot: a few stat calls, and when a plan
file or committees.yaml changed, a reload. The catalog object stays the same (the conversation
and every scheduler hold it); its `plans` becomes a new dict, which tells the schedulers to
rebuild their indexes. A broken file logs one line and is skipped; a broken committees.yaml keeps
the last good one.

`publish()` is what the upload flow calls once an admin confirms a draft: check the plan, check
it is theirs, write it into the folder, reload, invite the cells.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.files import atomic_write
from bot.plans import committees as committees_mod
from handlers.conversation import Conversation
from handlers.invitations import invite
from handlers.types import Publication, UserRef
from schedules import catalog as catalog_mod
from schedules.catalog import Catalog, Problem
from schedules.model import Plan

log = logging.getLogger(__name__)


class PublishRefused(Exception):
    """Why a plan was not published, in Vietnamese, for the admin who tried."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Published:
    plan: Plan
    path: Path
    replaced: bool  # an earlier version of the same plan was in the folder
    invited: int  # chats invited to follow it


class PlanLibrary:
    def __init__(
        self,
        catalog: Catalog,
        conversation: Conversation,
        plans_dir: Path | None = None,
        committees_file: Path | None = None,
    ) -> None:
        self.catalog = catalog
        self.conversation = conversation
        self.plans_dir = plans_dir
        self.committees_file = committees_file
        self._committees_seen = committees_mod.signature(committees_file)
        self._logged: set[str] = set()
        self._log_problems()

    # -- reloading ------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Pick up changed plan files and committees.yaml. True when the plans were reloaded."""
        self._refresh_committees()
        if not self.catalog.refresh():
            return False
        log.info("Plans reloaded: %d plans (%s)", len(self.catalog.plans), self._where())
        self._log_problems()
        return True

    def _where(self) -> str:
        return ", ".join(str(s) for s in self.catalog.sources)

    def _log_problems(self) -> None:
        """One line per broken file, once while it stays broken."""
        by_file: dict[str, list[Problem]] = {}
        for p in self.catalog.problems:
            by_file.setdefault(p.file, []).append(p)
        now = set()
        for _file, problems in by_file.items():
            more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
            line = f"{problems[0]}{more}"
            now.add(line)
            if line not in self._logged:
                log.error("Plan file skipped: %s", line)
        self._logged = now

    def _refresh_committees(self) -> None:
        seen = committees_mod.signature(self.committees_file)
        if seen == self._committees_seen:
            return
        self._committees_seen = seen
        try:
            fresh = committees_mod.load(self.committees_file)
        except committees_mod.CommitteesError as e:
            log.error("Committees file not reloaded, the last good one stays: %s", e)
            return
        self.conversation.set_committees(fresh)
        log.info("Committees reloaded: %d committees", len(fresh.committees))

    # -- publishing -----------------------------------------------------------------------------

    async def publish(self, user: UserRef, text: str, name: str = "tệp") -> Published:
        """Publish a plan file's text on behalf of `user`; raises PublishRefused with the reason.

        The plan must be valid, within the user's scope (a committee publishes only plans it
        owns, by id or issuer), and must not take the id of a shipped plan or of another
        committee's plan. It is written to <plans folder>/<id>.yaml atomically, the catalog
        reloads, and the chats following the committee's earlier plans are invited once.
        `name` names the text in the reasons given (a file's path on the command line)."""
        if self.plans_dir is None:
            raise PublishRefused("Chưa cấu hình thư mục kế hoạch (CHIBO_PLANS_DIR).")
        scope = self.conversation.scope_of(user)
        if scope is None:
            raise PublishRefused("Chỉ cán bộ cấp trên quản trị bot mới ban hành được kế hoạch.")
        plan = await asyncio.to_thread(self._check, text, name)
        if not scope.owns(plan):
            raise PublishRefused(
                f"Kế hoạch “{plan.id}” ({plan.issuer}) không thuộc phạm vi của {scope.name}: "
                "cấp ủy chỉ ban hành kế hoạch của mình (mã kế hoạch hoặc cơ quan ban hành "
                "trong committees.yaml)."
            )
        target = self.plans_dir / f"{plan.id}.yaml"
        existing = self.catalog.get(plan.id)
        if existing is not None and not _inside(self.catalog.origins.get(plan.id), self.plans_dir):
            raise PublishRefused(f"Mã “{plan.id}” đã là một kế hoạch có sẵn; đặt mã khác.")
        if existing is not None and not scope.covers_id(plan.id, self.catalog):
            raise PublishRefused(f"Mã “{plan.id}” đã là kế hoạch của cấp ủy khác; đặt mã khác.")
        replaced = target.exists()
        await asyncio.to_thread(_write_atomically, target, text)
        self.refresh()
        if self.catalog.get(plan.id) is None:  # e.g. a duplicate id in another file of the folder
            problems = [p for p in self.catalog.problems if p.file == str(target)]
            raise PublishRefused(
                "Đã ghi tệp nhưng bot không nạp được: "
                + "; ".join(str(p) for p in problems or self.catalog.problems[:1]),
                problems,
            )
        owners = [c for c in scope.committees if c.owns(plan)] or list(
            self.conversation.committees.owners(plan)
        )
        invited = 0
        for committee in owners[:1]:  # one invitation, from the committee that published it
            invited = await invite(self.conversation, plan, committee)
        log.info(
            "Plan %s published by %s:%s; %d chats invited",
            plan.id,
            user.platform,
            user.user_id,
            invited,
        )
        return Published(plan, target, replaced, invited)

    def _check(self, text: str, name: str) -> Plan:
        """The plan the text holds; problems are named by `name` and line (the file's path from
        the command line, "tệp" for a file sent in chat)."""
        plan, problems = catalog_mod.load_text(text, name)
        if plan is None:
            raise PublishRefused(
                "Tệp kế hoạch chưa hợp lệ: " + "; ".join(str(p) for p in problems[:3]), problems
            )
        return plan

    async def publication(self, user: UserRef, text: str) -> Publication:
        """publish() as the conversation's publisher (Conversation.set_publisher): the outcome,
        or the refusal, as a value the platform-neutral conversation can read."""
        try:
            done = await self.publish(user, text)
        except PublishRefused as e:
            return Publication(refused=str(e), problems=tuple(e.problems))
        return Publication(done.plan.id, done.replaced, done.invited)


def _inside(path: Path | None, folder: Path) -> bool:
    return path is not None and path.resolve().parent == folder.resolve()


def _write_atomically(path: Path, text: str) -> None:
    """Through a temporary file (not *.yaml: a reload in between never reads half a plan), synced,
    renamed over the old one, the folder synced (bot/files.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
