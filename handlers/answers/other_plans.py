"""Questions naming a plan: "kế hoạch 49 của Thái Nguyên …", "bên Kim Bang …", "nghị quyết 21".

A plan is named by its place, its number ("35-KH/HU", "kế hoạch 49") or, for a plan without
either, the documents its name carries ("42-CTr/TU", "Nghị quyết 21-NQ/TW"). A document of the
chat's own plan ("49-KH/TU" is also a Trà Vinh document) stays a question about that document.
"""

from __future__ import annotations

import re

from handlers import lexicon, router
from handlers.button_data import Ref
from handlers.buttons import Subscribe
from handlers.types import Reply
from schedules import document_numbers
from schedules.document_numbers import DocRef
from schedules.model import Plan
from schedules.vi_text import fold

# Words that ask to follow a plan rather than ask about it.
WISH = re.compile(
    r"\b(nhac|theo doi|theo doi them|chuyen sang|doi sang|dang ky|dang ki|bat|remind|follow|"
    r"subscribe|switch)\b"
)
_KIND_WORDS = {
    "kh": ("ke hoach", "kh", "plan"),
    "ctr": ("chuong trinh hanh dong", "ctr"),
    "nq": ("nghi quyet", "nq"),
}


def _refs_in_name(plan: Plan) -> list[DocRef]:
    refs = [
        document_numbers.ref_of(n)
        for n in re.findall(r"\d+-[A-ZĐa-zđ]+/[A-ZĐa-zđ]+", plan.short_name)
    ]
    if plan.number:
        refs.append(document_numbers.ref_of(plan.number))
    return [r for r in refs if r]


_AROUND_BEFORE = r"(?:ke hoach|kh|plan)\s+(?:thuc hien\s+)?(?:cua\s+)?"
_AROUND_AFTER = r"\s+cua\s+(?:ban thuong vu\s+)?(?:huyen|tinh|xa|thi|dang)(?:\s+uy)?(?:\s+khoi)?\b"


def _patterns(plan: Plan) -> list[re.Pattern]:
    """How a message names the plan, in its folded words: its place ("thai nguyen"), its number
    ("49 kh/tu", "ke hoach 49") or a document its name carries ("nghi quyet 21")."""
    found = []
    if plan.place:
        found.append(re.escape(fold(plan.place)))
    for own in _refs_in_name(plan):
        n = rf"0*{own.number}"
        if own.kind:
            # "35-KH/ĐUK" is not "35-KH/HU": another issuer's suffix is another document
            suffix = rf"(?:/{own.suffix})?(?!/)" if own.suffix else r"(?:/[a-z]+)?"
            found.append(rf"{n}[\s-]+{own.kind}{suffix}")
        theirs = own.suffix or "[a-z]+"
        # a plan without its own number is called a plan by the number its name carries:
        # "kế hoạch 42" for "Kế hoạch thực hiện 42-CTr/TU"
        loose = _KIND_WORDS["kh"] if not plan.number and own.kind != "kh" else ()
        for w in (*_KIND_WORDS.get(own.kind or "", ()), *loose):
            found.append(rf"{w}\s+(?:so\s+)?{n}\b(?:[\s-]+[a-z]+/{theirs})?(?![\s-]+[a-z]+/)")
    # with the words around a name that only say whose plan it is: "kế hoạch thực hiện …",
    # "… của huyện", so that what is left is what is asked
    return [re.compile(rf"\b(?:{_AROUND_BEFORE})?{f}\b(?:{_AROUND_AFTER})?") for f in found]


def _folded(text: str) -> str:
    return re.sub(r"[^\w/]+", " ", fold(text).replace("-", " "))


def _names(plan: Plan, folded: str, ref: DocRef | None) -> bool:
    for own in _refs_in_name(plan):
        same = ref and ref.number == own.number and ref.kind in (None, own.kind)
        if same and (ref.suffix is None or ref.suffix == own.suffix):  # type: ignore[union-attr]
            return True
    return any(p.search(folded) for p in _patterns(plan))


def named_plans(text: str, plans: list[Plan]) -> list[Plan]:
    """The plans among `plans` the message names."""
    folded = _folded(text)
    ref = document_numbers.parse_ref(text)
    return [p for p in plans if _names(p, folded, ref)]


def without_names(text: str, plans: list[Plan]) -> str:
    """The message without the words naming these plans: what is left says what is asked
    ("chỉ tiêu … theo kế hoạch thực hiện nghị quyết 21" asks for targets, not about the plan)."""
    folded = _folded(text)
    for plan in plans:
        for p in _patterns(plan):
            folded = p.sub(" ", folded)
    return " ".join(folded.split())


def named_by_place(text: str, plan: Plan) -> bool:
    return bool(plan.place) and bool(_patterns(plan)[0].search(_folded(text)))


def own_document(text: str, plans: list[Plan]) -> bool:
    """The message names a document listed in one of these plans."""
    ref = document_numbers.parse_ref(text)
    return ref is not None and any(document_numbers.find(p, ref) for p in plans)


# "đăng ký" is also a plan's duty (registering the session's day): with a question word
# ("hạn đăng ký sinh hoạt chuyên đề ngày nào") it is asked about, not wished.
_ALSO_A_DUTY = frozenset({"dang ky", "dang ki"})


def is_wish(text: str) -> bool:
    wished = {m[0] for m in WISH.finditer(fold(text))}
    if wished and wished <= _ALSO_A_DUTY and router.asks_when(lexicon.words_of(text)):
        return False
    return bool(wished)


def not_followed(plan: Plan) -> str:
    return (
        f"Chat này chưa theo {plan.short_name}, nên tôi chưa nhắc hạn của kế hoạch đó. "
        f"Để thêm: /dangky {plan.id} (một chi bộ theo được nhiều kế hoạch)."
    )


def not_followed_reply(plans: list[Plan]) -> Reply:
    """Each plan's sentence, and a button to follow it at once."""
    rows = tuple((Subscribe(Ref(p.id)).button(f"➕ Theo {p.short_name}"),) for p in plans)
    return Reply("\n".join(not_followed(p) for p in plans), rows)


def answered_from(plan: Plan) -> str:
    return (
        f"ℹ️ Trả lời theo {plan.short_name} — kế hoạch chat này không theo "
        f"(muốn theo: /dangky {plan.id})."
    )
