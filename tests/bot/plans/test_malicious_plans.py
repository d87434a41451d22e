"""Plan files written to harm, through `chibo plans publish` and the chat upload alike: a YAML tag
that would run code, nested aliases (billion laughs: a few lines that took forever to walk), an id
climbing out of the plans folder, a committee taking another's id. Each is refused with a reason
and nothing is written outside the plans folder, nor over another committee's plan. (Documents
built to tie the readers up, malformed PDFs and a .docx pointing outside itself:
test_document_limits.py.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.cli import main
from tests.bot.drivers import TelegramDriver
from tests.bot.plans.test_committees import committees_yaml, running
from tests.bot.plans.test_publish_command import _Telegram
from tests.bot.plans.test_upload_in_chat import NEW, Admin, finished_plan

TV_ADMIN, KB_ADMIN = 9002, 9001
LAUGHS = "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
MARKER = "/tmp/chibo-yaml-tag-ran"  # what the tag's code would create
TV_ISSUER = "Ban Thường vụ Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Trà Vinh"


def kim_bangs() -> str:
    """A plan of Kim Bang's: its id and its issuer."""
    return (
        finished_plan()
        .replace(NEW, "kim-bang-99-2026")
        .replace(f"issuer: {TV_ISSUER}", "issuer: Ban Thường vụ Huyện ủy Kim Bảng")
    )


def taken_by_tra_vinh() -> str:
    """Trà Vinh's plan under Kim Bang's id: Trà Vinh owns it by issuer, not the id it takes."""
    return finished_plan().replace(NEW, "kim-bang-99-2026").replace("18/4", "19/4")


def _cases() -> list[tuple[str, str, str]]:
    plan = finished_plan()
    return [
        (
            "tag",
            plan.replace(
                "title:", f"title: !!python/object/apply:os.system ['touch {MARKER}'] #", 1
            ),
            "could not determine a constructor",
        ),
        ("laughs", "a: &a [x, x, x, x, x, x, x, x, x]\n" + LAUGHS + plan, "bí danh YAML"),
        ("dot-dot", plan.replace(f"id: {NEW}", "id: ../../ngoai-thu-muc"), "trường “id”"),
    ]


CASES = _cases()


def _files(tmp_path: Path) -> set[Path]:
    """The plans folder's files, and anything named like the escaping id anywhere near."""
    return {p for p in (tmp_path / "plans").rglob("*") if p.is_file()} | set(
        tmp_path.parent.rglob("ngoai-thu-muc*")
    )


def _nothing_written(tmp_path: Path, before: set[Path]) -> None:
    assert _files(tmp_path) == before
    assert not Path(MARKER).exists()


@pytest.mark.parametrize(("kind", "text", "words"), CASES, ids=[c[0] for c in CASES])
def test_the_command_line_refuses_a_harmful_plan(tmp_path, capsys, kind, text, words):
    plans = tmp_path / "plans"
    plans.mkdir()
    committees_yaml(_Telegram, plans)
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_PLANS_DIR={plans}\n", encoding="utf-8")
    draft = tmp_path / f"{kind}.yaml"
    draft.write_text(text, encoding="utf-8")
    before = _files(tmp_path)
    started = time.monotonic()
    code = main(["plans", "publish", str(draft), "--as", f"telegram:{TV_ADMIN}", "--env", str(env)])
    err = capsys.readouterr().err
    assert time.monotonic() - started < 30
    assert code == 2 and words in err, err
    _nothing_written(tmp_path, before)


def test_the_command_line_refuses_a_committee_taking_anothers_id(tmp_path, capsys):
    plans = tmp_path / "plans"
    plans.mkdir()
    committees_yaml(_Telegram, plans)
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_PLANS_DIR={plans}\n", encoding="utf-8")
    theirs = tmp_path / "kim-bang.yaml"
    theirs.write_text(kim_bangs(), encoding="utf-8")
    publish = ["plans", "publish", str(theirs), "--env", str(env), "--as"]
    assert main([*publish, f"telegram:{KB_ADMIN}"]) == 0
    written = (plans / "kim-bang-99-2026.yaml").read_bytes()
    theirs.write_text(taken_by_tra_vinh(), encoding="utf-8")
    capsys.readouterr()
    assert main([*publish, f"telegram:{TV_ADMIN}"]) == 2
    assert "đã là kế hoạch của cấp ủy khác" in capsys.readouterr().err
    assert (plans / "kim-bang-99-2026.yaml").read_bytes() == written


@pytest.fixture
def driver(fake):
    return TelegramDriver(fake)


@pytest.mark.parametrize(("kind", "text", "words"), CASES, ids=[c[0] for c in CASES])
async def test_the_chat_upload_refuses_a_harmful_plan(driver, tmp_path, kind, text, words):
    async with running(driver, tmp_path):
        before = _files(tmp_path)
        (answer,) = await Admin(driver, TV_ADMIN).sends(f"{kind}.yaml", text.encode())
        assert answer.choices == []  # no ✅ Ban hành offered
        assert "Traceback" not in answer.text
        _nothing_written(tmp_path, before)


async def test_the_chat_upload_refuses_a_committee_taking_anothers_id(driver, tmp_path):
    async with running(driver, tmp_path):
        (offer,) = await Admin(driver, KB_ADMIN).sends("kb.yaml", kim_bangs().encode())
        done = await Admin(driver, KB_ADMIN).presses(offer, "Ban hành")
        assert done.text.startswith("📢 Đã ban hành")
        written = (tmp_path / "plans" / "kim-bang-99-2026.yaml").read_bytes()
        (answer,) = await Admin(driver, TV_ADMIN).sends("tv.yaml", taken_by_tra_vinh().encode())
        if answer.choices:  # offered: the refusal comes at ✅, before anything is written
            answer = await Admin(driver, TV_ADMIN).presses(answer, "Ban hành")
        assert "cấp ủy khác" in answer.text or "không thuộc phạm vi" in answer.text, answer.text
    assert (tmp_path / "plans" / "kim-bang-99-2026.yaml").read_bytes() == written
