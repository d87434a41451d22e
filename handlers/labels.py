"""Button labels that stay distinct when cut: two long titles that differ only at the end
("Báo cáo kết quả đợt sinh hoạt … (đợt 1)" and "(đợt 2)") keep the part that differs, never two
labels that read the same. Where choices are numbered lines (Zalo, the console) nothing is cut."""

from __future__ import annotations

# Channels whose choices are numbered lines of text, with no label limit to cut to.
UNCUT = frozenset({"zalo", "console"})
MOST = 32  # the longest label on a button that is cut (a phone's button row)
HEAD = 12  # what is kept of the start when the end is what differs


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _shared(a: str, b: str) -> int:
    """Characters two titles share from the start, back to the word before the one that differs
    (“(đợt 1)”, not “1)”)."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    if n >= len(a):
        return n
    word = a.rfind(" ", 0, n + 1)
    return a.rfind(" ", 0, word) + 1 if word > 0 else 0


def distinct(titles: list[str], platform: str = "", most: int = MOST) -> list[str]:
    """One label per title, each at most `most` characters unless the platform has no limit; cut
    ones keep what tells them apart from the others."""
    if platform in UNCUT:
        return list(titles)
    out = []
    for i, t in enumerate(titles):
        cut = _cut(t, most)
        others = [o for j, o in enumerate(titles) if j != i]
        if any(_cut(o, most) == cut for o in others):
            common = max(_shared(t, o) for o in others)
            tail = t[common:]
            cut = _cut(f"{t[:HEAD].rstrip()}… {tail}", most)
        out.append(cut)
    return out
