"""The words the bot understands, as data: intents.yaml (shorthand, question words, each intent's
phrases, words that carry no identity) and unstated.yaml (what plans rarely say). Loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from handlers.intents import IntentName
from schedules.vi_text import fold

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Data:
    shorthand: dict[str, str]
    question_words: tuple[tuple[str, ...], ...]
    quantity_words: tuple[tuple[str, ...], ...]
    passage_words: tuple[tuple[str, ...], ...]
    next_words: tuple[tuple[str, ...], ...]
    english_times: dict[str, str]
    stop_words: frozenset[str]
    plan_edge_months: dict[str, tuple[tuple[str, ...], ...]]  # "first" / "last": their phrases
    phrases: tuple[
        tuple[IntentName, tuple[str, ...], float, int], ...
    ]  # (intent, words, weight, priority)


@dataclass(frozen=True)
class Topic:
    """One thing plans rarely say (handlers/unstated.yaml)."""

    key: str
    name: str
    phrases: tuple[str, ...]
    weight: float = 5.0
    said_by: re.Pattern | None = None  # a plan line carrying this says it after all
    instead: str = "nearest"  # what the plan says instead: "issuer", "recipients", "nearest"


@cache
def unstated_topics() -> dict[str, Topic]:
    raw = yaml.safe_load((_HERE / "unstated.yaml").read_text(encoding="utf-8"))
    return {
        key: Topic(
            key,
            t["name"],
            tuple(t["phrases"]),
            float(t.get("weight", 5)),
            re.compile(t["said_by"]) if t.get("said_by") else None,
            t.get("instead", "nearest"),
        )
        for key, t in raw.items()
    }


@cache
def _intents_yaml() -> dict:
    return yaml.safe_load((_HERE / "intents.yaml").read_text(encoding="utf-8"))


def section(name: str) -> dict:
    """One section of intents.yaml as written, for the features that read their own words there
    (stated days, the reminder hour said in passing, the calls that open a message)."""
    return _intents_yaml()[name]


@cache
def data() -> Data:
    raw = _intents_yaml()
    phrases = []
    for prio, (name, items) in enumerate(raw["intents"].items()):
        intent = IntentName(name)  # a misspelt intent in the YAML fails at load, not silently
        for item in items:
            phrase, weight = next(iter(item.items())) if isinstance(item, dict) else (item, None)
            words = tuple(phrase.split())
            phrases.append((intent, words, float(weight or len(words)), prio))
        if intent is IntentName.NOT_STATED:  # its phrases are the topics of the unstated lexicon
            for topic in unstated_topics().values():
                phrases += [(intent, tuple(p.split()), topic.weight, prio) for p in topic.phrases]
    asking = tuple(tuple(p.split()) for p in raw["question_words"])
    stop = frozenset(raw["stop_words"].split())
    quantity = tuple(tuple(p.split()) for p in raw["quantity_words"])
    passage = tuple(tuple(p.split()) for p in raw["passage_words"])
    after = tuple(tuple(p.split()) for p in raw["next_words"])
    return Data(
        raw["shorthand"],
        asking,
        quantity,
        passage,
        after,
        raw["english_times"],
        stop,
        {k: tuple(tuple(p.split()) for p in v) for k, v in raw["plan_edge_months"].items()},
        tuple(phrases),
    )


@cache
def vocabulary() -> dict[int, frozenset[str]]:
    """Every word of every phrase, by length: a message word is only compared with these."""
    d = data()
    edges = tuple(p for group in d.plan_edge_months.values() for p in group)
    groups = d.question_words + d.quantity_words + d.passage_words + d.next_words + edges
    words = {w for _, p, _, _ in d.phrases for w in p} | {w for q in groups for w in q}
    return {n: frozenset(w for w in words if len(w) == n) for n in {len(w) for w in words}}


# A Telex tone key left at a word's end ("thangs 6 hocj gi", "het hanj"): no Vietnamese syllable
# ends in s, f, r, x or j, so the letter goes when what is left is a word the lexicon knows.
_TELEX_TAIL = re.compile(r"\b([a-zA-Z]{2,})[sfrxjSFRXJ]\b")


def untelex(text: str) -> str:
    """The text without Telex tone keys left at the end of its words; the rest as it was."""
    if not _TELEX_TAIL.search(text):
        return text
    known, english = _known_words(), _english_words()

    def cut(m: re.Match) -> str:
        whole, stem = m[0].lower(), m[1].lower()
        return m[1] if whole not in known and whole not in english and stem in known else m[0]

    return _TELEX_TAIL.sub(cut, text)


@cache
def _english_words() -> frozenset[str]:
    """English words the lexicon reads ("this month"): never a Telex leftover ("thi" + s)."""
    return frozenset(w for en in data().english_times for w in en.split())


@cache
def _known_words() -> frozenset[str]:
    shorthand = (v.split() for v in data().shorthand.values())
    return frozenset().union(*vocabulary().values(), *shorthand)


def words_of(text: str) -> list[str]:
    folded = re.sub(r"[^\w/\-]+", " ", fold(untelex(text)))
    out: list[str] = []
    shorthand = data().shorthand
    by_next = _shorthand_before()
    typed = folded.split()
    for i, w in enumerate(typed):
        nxt = typed[i + 1] if i + 1 < len(typed) else ""
        out.extend((by_next.get(w, {}).get(nxt) or shorthand.get(w, w)).split())
    return out


@cache
def _shorthand_before() -> dict[str, dict[str, str]]:
    """Shorthand read by the word after it ("hn chuyên đề": hội nghị; "hn nộp": hạn)."""
    return section("shorthand_before")


def says_exactly(words, phrases: tuple[tuple[str, ...], ...]) -> bool:
    """The words hold one of the phrases word for word (no near-misses: the router's fuzzy
    matching is for phrases that pick an intent, not for these small telling groups)."""
    words = tuple(words)
    return any(words[i : i + len(p)] == p for p in phrases for i in range(len(words) - len(p) + 1))
