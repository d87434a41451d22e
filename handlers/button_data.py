"""How a button press travels: within the strictest channel's byte budget, long identifiers sent
as digests (never cut), and the base every typed press (handlers/buttons.py) builds on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import ClassVar

from handlers.types import Button

# The strictest channel's budget for a button's data, in UTF-8 bytes. Data that would not fit is
# encoded differently (an identifier becomes its digest), never cut.
MAX_DATA_BYTES = 64

DIGEST = "#"  # marks an identifier sent as its digest; plan, item and setting ids never start so


def digest(identifier: str) -> str:
    return DIGEST + hashlib.blake2b(identifier.encode(), digest_size=6).hexdigest()


@dataclass(frozen=True)
class Ref:
    """An identifier as a button carries it: in full, or as its digest when the full one is long."""

    text: str

    def matches(self, identifier: str) -> bool:
        return self.text == identifier or self.text == digest(identifier)

    def pick(self, identifiers) -> str | None:
        """The identifier among the candidates this ref names, or None if none (a stale button)."""
        return next((i for i in identifiers if self.matches(i)), None)


def fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_DATA_BYTES


def _compact(prefix: str, *ids: str) -> str:
    """prefix:id1:id2…, replacing identifiers by their digests, longest first, until it fits."""
    parts = list(ids)
    for i in sorted(range(len(parts)), key=lambda i: -len(parts[i].encode())):
        if fits(":".join((prefix, *parts))):
            break
        parts[i] = digest(parts[i])
    data = ":".join((prefix, *parts))
    if not fits(data):
        raise ValueError(f"button data does not fit {MAX_DATA_BYTES} bytes: {data!r}")
    return data


class Press:
    """Base of every button meaning. Subclasses set PREFIX and implement _args / _from."""

    PREFIX: ClassVar[str]

    def encode(self) -> str:
        return _compact(self.PREFIX, *self._args())

    def _args(self) -> tuple[str, ...]:
        return ()

    @classmethod
    def _from(cls, arg: str) -> Press | None:
        return cls() if arg == "" else None

    def button(self, label: str) -> Button:
        return Button(label, self.encode())
