"""Messages for the router sweep and its bench: every corpus phrase with seeded random typos,
random text, and 5,000-character pastes. Deterministic for a given seed."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

DATA = Path(__file__).parents[1] / "data"
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãềếệểễìíịòóọôồốộơờớợùúụưừứựỳýđ0123456789/:-?!., "


def corpus_phrases() -> list[str]:
    v1 = yaml.safe_load((DATA / "questions.yaml").read_text("utf-8"))["questions"]
    v2 = yaml.safe_load((DATA / "questions_v2.yaml").read_text("utf-8"))
    return [str(q) for q in v1] + [e["q"] for e in v2]


def typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        op = rng.choice("dis")
        if op == "d":
            del chars[i]
        elif op == "i":
            chars.insert(i, rng.choice(_ALPHABET))
        else:
            chars[i] = rng.choice(_ALPHABET)
    return "".join(chars)


def messages(seed: int = 11, random_count: int = 300, long_count: int = 5) -> list[str]:
    rng = random.Random(seed)
    phrases = corpus_phrases()
    out = [typo(p, rng) for p in phrases]
    out += [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 80)))
        for _ in range(random_count)
    ]
    out += [" ".join(rng.choice(phrases) for _ in range(200))[:5000] for _ in range(long_count)]
    out += ["".join(rng.choice(_ALPHABET) for _ in range(5000)) for _ in range(long_count)]
    return out
