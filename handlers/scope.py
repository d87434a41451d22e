"""Who manages which plans: each committee (cấp ủy cấp trên) its own plans and the chats following
them; global admins (CHIBO_ADMINS) everything.

A committee owns a plan named among its plan ids (a trailing * matches a prefix: "kim-bang-*")
or issued by one of its issuers (compared without accents and case). An admin of a committee sees
and reaches only the chats that follow a plan the committee owns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from handlers.state import Subscription
from handlers.types import UserRef
from schedules.catalog import Catalog
from schedules.model import Plan
from schedules.vi_text import fold


def _same_issuer(a: str, b: str) -> bool:
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


@dataclass(frozen=True)
class Committee:
    id: str  # "huyen-uy-kim-bang": how the operator names it in committees.yaml
    name: str  # "Huyện ủy Kim Bảng": how the bot names it to its admins
    admins: frozenset[UserRef] = frozenset()
    plans: tuple[str, ...] = ()  # plan ids, or prefixes ending in *
    issuers: tuple[str, ...] = ()  # a plan's `issuer`, as written in the plan file

    def owns_id(self, plan_id: str) -> bool:
        return any(
            plan_id.startswith(p[:-1]) if p.endswith("*") else plan_id == p for p in self.plans
        )

    def owns(self, plan: Plan) -> bool:
        return self.owns_id(plan.id) or any(_same_issuer(plan.issuer, i) for i in self.issuers)


@dataclass(frozen=True)
class Scope:
    """What one admin manages: everything (a global admin) or their committees' plans."""

    committees: tuple[Committee, ...] = ()
    everything: bool = False

    @property
    def name(self) -> str:
        return "" if self.everything else ", ".join(c.name for c in self.committees)

    def owns(self, plan: Plan) -> bool:
        """May publish this plan: a global admin any plan, a committee's admin its own."""
        return self.everything or any(c.owns(plan) for c in self.committees)

    def covers_id(self, plan_id: str, catalog: Catalog) -> bool:
        if self.everything:
            return True
        plan = catalog.get(plan_id)
        return any(c.owns(plan) if plan else c.owns_id(plan_id) for c in self.committees)

    def plans(self, catalog: Catalog) -> list[Plan]:
        return [p for p in catalog.sorted() if self.covers_id(p.id, catalog)]

    def chats(
        self, subs: Iterable[Subscription], catalog: Catalog, plan_id: str | None = None
    ) -> list[Subscription]:
        """The chats following a plan in scope (or following `plan_id`, when it is in scope)."""
        out = []
        for s in subs:
            ids = [plan_id] if plan_id and plan_id in s.plan_ids else [] if plan_id else s.plan_ids
            if any(self.covers_id(pid, catalog) for pid in ids):
                out.append(s)
        return out


@dataclass(frozen=True)
class Committees:
    committees: tuple[Committee, ...] = ()

    def scope_of(self, user: UserRef) -> Scope | None:
        """The committees the user administers; None for someone who administers none.
        (Global admins are the conversation's bot_admins: Scope(everything=True).)"""
        mine = tuple(c for c in self.committees if user in c.admins)
        return Scope(mine) if mine else None

    def owners(self, plan: Plan) -> tuple[Committee, ...]:
        return tuple(c for c in self.committees if c.owns(plan))

    def get(self, committee_id: str) -> Committee | None:
        return next((c for c in self.committees if c.id == committee_id), None)
