"""`chibo plans publish FILE --as PLATFORM:USER`: the chat's ✅ Ban hành from the command line,
with the same scope checks (two committees as in test_committees_e2e.py)."""

from __future__ import annotations

from bot.cli import main
from tests.bot.plans.test_committees import committees_yaml
from tests.bot.plans.test_upload_in_chat import NEW, finished_plan


class _Telegram:
    platform = "telegram"

    @staticmethod
    def user_id(n: int) -> str:
        return str(n)


def test_a_committee_publishes_its_own_plan_and_no_other(tmp_path, capsys):
    plans = tmp_path / "plans"
    plans.mkdir()
    committees_yaml(_Telegram, plans)
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_PLANS_DIR={plans}\n", encoding="utf-8")
    draft = tmp_path / "xong.yaml"
    draft.write_text(finished_plan(), encoding="utf-8")

    def publish(*who: str) -> tuple[int, str, str]:
        code = main(["plans", "publish", str(draft), *who, "--env", str(env)])
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = publish("--as", "telegram:9001")
    assert code == 2 and "không thuộc phạm vi của Huyện ủy Kim Bang" in err
    code, _, err = publish("--as", "telegram:5")
    assert code == 2 and "Chỉ cán bộ cấp trên quản trị bot mới ban hành" in err
    code, _, err = publish()
    assert code == 2 and "Cần nói ban hành thay ai" in err
    assert not (plans / f"{NEW}.yaml").exists()

    code, out, _ = publish("--as", "telegram:9002")
    assert code == 0 and out.startswith(f"Đã ban hành Trà Vinh 61-KH/ĐUK ({NEW}) vào ")
    assert (plans / f"{NEW}.yaml").read_text(encoding="utf-8") == finished_plan()
