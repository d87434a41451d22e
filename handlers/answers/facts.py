"""A plan's facts as searchable items, so a question naming one thing gets that thing.

Every deadline, day-less duty, target, occasion, listed document and content line of a plan is
one `Fact` with the words it is known by. A question's words are scored against them, each word
weighted by how rare it is in that plan (words every item shares, such as "báo cáo" or "Đảng",
weigh little; "đợt 1", "kết nạp" or "2400" weigh much), so "bc đợt 2 hết hạn chưa" finds the one
deadline it names without a phrase list per plan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from handlers import lexicon
from schedules.model import Agenda, Detail, Document, MonthTopics, Occasion, Plan, Target
from schedules.vi_text import fold

# Words that say how something is asked, not what: never evidence for one item over another.
STOP = lexicon.data().stop_words

# Shared lowercase words in titles that carry no identity even when rare in a small plan.
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Fact:
    kind: str  # "deadline", "event", "milestone", "recurring", "target", "occasion", "document", "content"
    ref: object  # the plan item itself
    words: frozenset[str]
    upper: bool = False  # the upper committee's own duty (audience "upper"), not the cells'


ALL_KINDS = (
    "deadline",
    "event",
    "milestone",
    "recurring",
    "target",
    "occasion",
    "document",
    "content",
    "meeting",
    "step",
    "detail",
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
UPPER = 1.0
FLOOR = 1.5  # below this a question names nothing in particular
# An event the cell holds itself is "tổ chức" (held), which its name does not say.
HELD = "tổ chức"
EVERY = {"month": "hằng tháng", "quarter": "hằng quý", "year": "hằng năm"}


def words(text: str) -> list[str]:
    out = _WORD.findall(fold(text))
    return normalise(out)


def normalise(seq: list[str]) -> list[str]:
    """ "quý II" and "quý 2" alike."""
    return [_ROMAN.get(w, w) if i and seq[i - 1] == "quy" else w for i, w in enumerate(seq)]


def terms(seq: list[str]) -> set[str]:
    """Words and adjacent pairs ("dot 2"): the pair tells "đợt 2" from "các đợt … quý II"."""
    out = {w for w in seq if w not in STOP}
    out.update(
        f"{a} {b}" for a, b in zip(seq, seq[1:], strict=False) if a not in STOP and b not in STOP
    )
    return out


def shared(question, fact: Fact) -> set[str]:
    """The single words (not pairs) the question and the fact have in common."""
    split = [w for q in question for w in _WORD.findall(q)]
    return {w for w in terms(normalise(split)) & fact.words if " " not in w}


def covers(question, fact: Fact, share: float = 0.5) -> bool:
    """The fact shares a word of two syllables with the question and that part of its own
    syllables (neither asking nor stop words): folded syllables alone collide — "ai phụ trách
    thu quỹ đảng phí" meets "Bí thư", "Phú Trọng" and "Quy định" in one line, sharing no word."""
    split = [w for q in question for w in _WORD.findall(q)]
    asked = terms(normalise(split))
    own = {w for w in asked if " " not in w} - STOP
    common = shared(question, fact) - STOP
    own_pairs = {w for w in asked if " " in w}
    pairs = own_pairs & fact.words
    return (
        bool(pairs)
        and len(common) >= 2
        and len(common) >= share * len(own)
        and len(pairs) >= share * 0.6 * len(own_pairs)  # "xe đưa đón đảng viên": one pair of 4
    )


def _fact_words(*texts: str | None) -> frozenset[str]:
    out: set[str] = set()
    for t in texts:
        if t:
            out.update(terms(words(t.replace("-", " "))))
    return frozenset(out)


_FACTS: dict[tuple[str, int], tuple[Fact, ...]] = {}
_WEIGHTS: dict[tuple[str, int], dict[str, float]] = {}


def facts(plan: Plan) -> tuple[Fact, ...]:
    key = (plan.id, id(plan))  # plans are frozen but hold lists, so they do not hash
    if key not in _FACTS:
        _FACTS[key] = _build(plan)
    return _FACTS[key]


def _build(plan: Plan) -> tuple[Fact, ...]:
    out: list[Fact] = []
    for d in plan.deadlines:
        out.append(Fact("deadline", d, _fact_words(d.title, d.who, d.to)))
    for e in plan.cell_events:
        out.append(Fact("event", e, _fact_words(f"{HELD} {e.name}")))
    for m in plan.milestones:
        out.append(Fact("milestone", m, _fact_words(m.title, m.who, m.wording)))
    for r in plan.recurring:
        out.append(Fact("recurring", r, _fact_words(r.title, r.who, EVERY[r.every])))
    for t in plan.targets:
        out.append(Fact("target", t, _fact_words(t.text, t.value)))
    for o in plan.occasions:
        out.append(Fact("occasion", o, _fact_words(o.name, f"{o.day[1]} {o.day[0]}")))
    for topic in plan.topics:
        for doc in topic.documents:
            out.append(Fact("document", (topic, doc), _fact_words(doc.kind, doc.number, doc.title)))
    for c in plan.contents:
        out.append(Fact("content", c, _fact_words(c.text)))
    if plan.monthly_meeting:
        out.append(Fact("meeting", plan.monthly_meeting, _fact_words(plan.monthly_meeting.title)))
    for a in plan.agendas:
        for sec in a.sections:
            for step in sec.steps:
                out.append(Fact("step", (a, step), _fact_words(a.title, step)))
    for said in plan.details:  # the curator's notes (plan.source.notes) are no fact of the plan
        out.append(Fact("detail", said, _fact_words(said.about, said.text, *said.known_as)))
    return tuple(replace(f, upper=getattr(f.ref, "audience", "") == "upper") for f in out)


def listed_document(f: Fact) -> tuple[MonthTopics, Document]:
    """A "document" fact's month of study and the document listed in it."""
    topic, doc = f.ref if isinstance(f.ref, tuple) else (None, None)
    if not (isinstance(topic, MonthTopics) and isinstance(doc, Document)):
        raise TypeError(f"not a listed document: {f.kind}")
    return topic, doc


def agenda_step(f: Fact) -> tuple[Agenda, str]:
    """A "step" fact's agenda and the step's words."""
    agenda, step = f.ref if isinstance(f.ref, tuple) else (None, None)
    if not (isinstance(agenda, Agenda) and isinstance(step, str)):
        raise TypeError(f"not an agenda step: {f.kind}")
    return agenda, step


def text_of(f: Fact) -> str:
    """The fact as one line, in the plan's words."""
    ref = f.ref
    if f.kind == "document":
        topic, doc = listed_document(f)
        return f"{doc.kind} {doc.number}: {doc.title} (học tháng {topic.month[1]}/{topic.month[0]})"
    if f.kind == "step":
        agenda, step = agenda_step(f)
        return f"{agenda.title}: {step}"
    if isinstance(ref, Detail):
        return f"{ref.about}: {ref.text}"
    if isinstance(ref, Target):
        return f"{ref.value}: {ref.text}"
    if isinstance(ref, Occasion):
        return f"{ref.name} ({ref.day[1]}/{ref.day[0]})"
    for attr in ("text", "title", "name"):
        if hasattr(ref, attr):
            return getattr(ref, attr)
    return str(ref)


def _weights(plan: Plan) -> dict[str, float]:
    key = (plan.id, id(plan))
    if key not in _WEIGHTS:
        _WEIGHTS[key] = _idf(plan)
    return _WEIGHTS[key]


def _idf(plan: Plan) -> dict[str, float]:
    all_facts = facts(plan)
    n = len(all_facts) or 1
    df: dict[str, int] = {}
    for f in all_facts:
        for w in f.words:
            df[w] = df.get(w, 0) + 1
    return {w: math.log((n + 1) / c) for w, c in df.items()}


def ranked(plan: Plan, question: list[str], kinds: tuple[str, ...]) -> list[tuple[float, Fact]]:
    """The plan's facts of these kinds that share words with the question, best first."""
    return [(s, f) for s, f in _ranked_all(plan, tuple(question)) if f.kind in kinds]


_RANKED: dict[tuple, list[tuple[float, Fact]]] = {}


def _ranked_all(plan: Plan, question: tuple[str, ...]) -> list[tuple[float, Fact]]:
    """Every fact sharing words with the question, scored once per question and plan: one
    answer asks several times (a target? a passage? a deadline?)."""
    key = (plan.id, id(plan), question)
    if key in _RANKED:
        return _RANKED[key]
    split = [w for q in question for w in _WORD.findall(q)]  # "19/5" → "19", "5"
    asked = terms(normalise(split))
    weights = _weights(plan)
    out = []
    for f in facts(plan):
        score = sum(weights.get(w, 0.0) for w in asked & f.words)
        if f.upper:
            score *= UPPER  # a cell asks about its own duties unless it names the upper body's
        if score > 0:
            out.append((score, f))
    out.sort(key=lambda x: -x[0])
    if len(_RANKED) > 512:  # the last few questions are enough
        _RANKED.clear()
    _RANKED[key] = out
    return out


def named(
    plan: Plan,
    question: list[str],
    kinds: tuple[str, ...],
    margin: float = 1.15,
    keep: Callable[[Fact], bool] | None = None,
    floor: float = FLOOR,
) -> list[Fact]:
    """The facts the question names: the best one when it stands out, or several tied at the
    top when the question names what they share ("đợt 1" in two rounds' titles). Empty when the
    question names nothing in particular."""
    hits = ranked(plan, question, kinds)
    if keep is not None:  # only facts that can answer ("gửi về đâu": those with an address)
        hits = [(s, f) for s, f in hits if keep(f)]
    if not hits:
        return []
    best = hits[0][0]
    if best < floor:
        return []
    top = [f for s, f in hits if s >= best - 1e-9]
    rest = [s for s, f in hits if s < best - 1e-9]
    if rest and rest[0] * margin > best:
        return []
    own = [f for f in top if not f.upper]
    if own and len(own) < len(top) and not _upper_is_subject(question, top):
        return own  # tied with an upper body's duty, a cell asks about its own …
    return top


def _upper_is_subject(question: list[str], top: list[Fact]) -> bool:
    """… unless the question opens with that body, as the one who acts ("Đảng ủy sinh hoạt
    chuyên đề trước ngày mấy"): named after a verb ("gửi Đảng ủy") it is only the recipient."""
    for f in top:
        who = set(words(getattr(f.ref, "who", "") or "")) if f.upper else set()
        lead = 0
        while lead < len(question) and question[lead] in who:
            lead += 1
        if lead >= 2:
            return True
    return False
