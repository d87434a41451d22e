"""Questions naming a plan: "kế hoạch 49 của Thái Nguyên …", "bên Kim Bang …", "nghị quyết 21".

A plan is named by its place, its number ("35-KH/HU", "kế hoạch 49") or, for a plan without
either, the documents its name carries ("42-CTr/TU", "Nghị quyết 21-NQ/TW"). A document of the
chat's own plan ("49-KH/TU" is also a Trà Vinh document) stays a question about that document.
"""

from __future__ import annotations

import re

from schedules import documents
from schedules.documents import DocRef
from schedules.model import Plan
from schedules.vi_text import fold

# Words that ask to follow a plan rather than ask about it.
WISH = re.compile(
    r"\b(nhac|theo doi|theo doi them|chuyen sang|doi sang|dang ky|dang ki|bat|remind|follow|"
    r"subscribe|switch)\b"
)
_KIND_WORDS = {"kh": ("ke hoach", "kh", "plan"), "ctr": ("chuong trinh hanh dong", "ctr")}


def _refs_in_name(plan: Plan) -> list[DocRef]:
    refs = [
        documents.ref_of(n) for n in re.findall(r"\d+-[A-ZĐa-zđ]+/[A-ZĐa-zđ]+", plan.short_name)
    ]
    if plan.number:
        refs.append(documents.ref_of(plan.number))
    return [r for r in refs if r]


def _names(plan: Plan, folded: str, ref: DocRef | None) -> bool:
    if plan.place and re.search(rf"\b{re.escape(fold(plan.place))}\b", folded):
        return True
    for own in _refs_in_name(plan):
        same = ref and ref.number == own.number and ref.kind in (None, own.kind)
        if same and (ref.suffix is None or ref.suffix == own.suffix):  # type: ignore[union-attr]
            return True
        words = _KIND_WORDS.get(own.kind or "", ())
        if any(re.search(rf"\b{w}\s+(?:so\s+)?0*{own.number}\b", folded) for w in words):
            return True
    return False


def named_plans(text: str, plans: list[Plan]) -> list[Plan]:
    """The plans among `plans` the message names."""
    folded = re.sub(r"[^\w/]+", " ", fold(text))
    ref = documents.parse_ref(text)
    return [p for p in plans if _names(p, folded, ref)]


def named_by_place(text: str, plan: Plan) -> bool:
    folded = re.sub(r"[^\w/]+", " ", fold(text))
    return bool(plan.place) and bool(re.search(rf"\b{re.escape(fold(plan.place or ''))}\b", folded))


def own_document(text: str, plans: list[Plan]) -> bool:
    """The message names a document listed in one of these plans."""
    ref = documents.parse_ref(text)
    return bool(ref) and any(documents.find(p, ref) for p in plans)


def is_wish(text: str) -> bool:
    return bool(WISH.search(fold(text)))


def not_followed(plan: Plan) -> str:
    return (
        f"Chat này chưa theo {plan.short_name}, nên tôi chưa nhắc hạn của kế hoạch đó. "
        f"Để thêm: /dangky {plan.id} (một chi bộ theo được nhiều kế hoạch)."
    )


def answered_from(plan: Plan) -> str:
    return (
        f"ℹ️ Trả lời theo {plan.short_name} — kế hoạch chat này không theo "
        f"(muốn theo: /dangky {plan.id})."
    )
