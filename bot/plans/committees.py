"""committees.yaml: which committee's admins manage which plans (handlers/scope.py).

    huyen-uy-kim-bang:
      name: Huyện ủy Kim Bảng
      admins: [telegram:111111, zalo:8a3f9c0d]
      plans: [kim-bang-*]                       # plan ids; a trailing * matches a prefix
      issuers: [Ban Thường vụ Huyện ủy Kim Bảng] # or every plan this issuer signed

It lives in the plans folder (CHIBO_PLANS_DIR) or wherever CHIBO_COMMITTEES points. A mistake
stops start-up with one line naming the file and the committee; once running, a broken edit is
logged and the last good version kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from handlers.scope import Committee, Committees
from handlers.types import UserRef

FILE_NAME = "committees.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEYS = {"name", "admins", "plans", "issuers"}


class CommitteesError(ValueError):
    """One Vietnamese line naming the file and what is wrong."""


def _texts(value: object, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\n]", value)]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise CommitteesError(f"{where}: “{key}” phải là danh sách (mỗi mục bắt đầu bằng “- ”).")
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse(text: str, where: str) -> Committees:
    from bot.config import ConfigError, _admins  # one syntax for admins, here and in .env

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise CommitteesError(
            f"{where}: tệp YAML sai cú pháp ({getattr(e, 'problem', e)})."
        ) from None
    if not isinstance(data, dict):
        raise CommitteesError(f"{where}: cần mỗi cấp ủy một mục “mã-cấp-ủy:” với các trường.")
    out = []
    for cid, body in data.items():
        at = f"{where}, cấp ủy “{cid}”"
        if not isinstance(cid, str) or not _ID.match(cid):
            raise CommitteesError(f"{at}: mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang.")
        if not isinstance(body, dict):
            raise CommitteesError(f"{at}: cần các trường name, admins, plans hoặc issuers.")
        unknown = set(body) - _KEYS
        if unknown:
            raise CommitteesError(
                f"{at}: trường không có trong mẫu ({', '.join(sorted(map(str, unknown)))}); "
                "chỉ dùng name, admins, plans, issuers."
            )
        try:
            admins = _admins(", ".join(_texts(body.get("admins"), at, "admins")))
        except ConfigError as e:
            raise CommitteesError(f"{at}: {e}".replace("CHIBO_ADMINS: ", "")) from None
        plans = _texts(body.get("plans"), at, "plans")
        issuers = _texts(body.get("issuers"), at, "issuers")
        if not admins:
            raise CommitteesError(f"{at}: thiếu “admins” (ai quản lý kế hoạch của cấp ủy này).")
        if not plans and not issuers:
            raise CommitteesError(
                f"{at}: cần “plans” (mã kế hoạch) hoặc “issuers” (cơ quan ban hành)."
            )
        out.append(
            Committee(
                cid,
                str(body.get("name") or cid),
                frozenset(UserRef(p, u) for p, u in admins),
                plans,
                issuers,
            )
        )
    return Committees(tuple(out))


def load(path: Path | None) -> Committees:
    """The committees in `path`; none (only global admins) when there is no such file."""
    if path is None or not path.is_file():
        return Committees()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CommitteesError(f"{path}: không đọc được tệp ({type(e).__name__}).") from None
    return parse(text, str(path))


def signature(path: Path | None) -> tuple[int, int] | None:
    try:
        st = path.stat() if path else None
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if st else None
