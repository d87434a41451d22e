"""Accent-folding and normalisation, so "thang nay hoc gi" meets "tháng này học gì"."""

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)  # the same plan lines are folded for every question that searches them
def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d), collapse white space."""
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", text).strip()


def squash(text: str) -> str:
    """Collapse white space only: how quotes are compared with the seed text."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=65536)  # the scheduler asks for every chat's cell each tick
def cell_key(name: str) -> str:
    """A cell's name reduced to what identifies it: "Chi bộ Tân Phúc Thành 3" → "tan phuc thanh 3"."""
    key = fold(name)
    key = re.sub(r"^(chi bo|cb)\s+", "", key)
    return re.sub(r"[^\w ]", "", key).strip()
