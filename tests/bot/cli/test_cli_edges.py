"""The command line at its edges: output cut short by `| head`, an unfinished draft published,
a look at the data where there is none, the short plan id chat accepts, what `--help` says `run`
is. Each was a traceback, a wrong exit code or a silent side effect."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from tests.bot.plans.test_committees import committees_yaml
from tests.bot.plans.test_publish_command import _Telegram
from tests.bot.plans.test_upload_in_chat import NEW, finished_plan

ROOT = Path(__file__).resolve().parents[3]


def test_output_cut_short_by_head_is_no_crash(tmp_path):
    """`chibo due … | head -1`: the reader leaves early; no BrokenPipeError, no crash log."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    due = [sys.executable, "-m", "bot", "due", "--from", "2022-01-01", "--to", "2030-12-31"]
    due += ["--plan", "nq21-huyen-2022", "--meeting", "ngày 3 hằng tháng"]
    with subprocess.Popen(due, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as p:
        assert p.stdout is not None and p.stderr is not None
        p.stdout.close()  # the reader is gone before the first line is written, as `head` once done
        err = p.stderr.read().decode()
        code = p.wait(timeout=120)
    assert code == 0 and err == "", err
    assert list(tmp_path.glob("chibo-loi-*")) == []


def test_an_unfinished_draft_is_refused_naming_its_file_with_exit_2(tmp_path, capsys):
    plans = tmp_path / "plans"
    plans.mkdir()
    committees_yaml(_Telegram, plans)
    env = tmp_path / ".env"
    env.write_text(f"CHIBO_PLANS_DIR={plans}\n", encoding="utf-8")
    draft = tmp_path / "ban-nhap.yaml"
    draft.write_text(finished_plan().replace("date: 20/10/2021", "date: ???  # TODO"))
    code = main(["plans", "publish", str(draft), "--as", "telegram:9002", "--env", str(env)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"{draft}, dòng" in err and "Chưa ban hành" in err
    assert not (plans / f"{NEW}.yaml").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--plan", "kim-bang-35-2022"],
        ["due", "--from", "2022-07-01", "--to", "2022-08-01"],
    ],
)
def test_a_look_without_data_says_so_and_creates_nothing(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)  # no .env, no data/ here
    code = main(command)
    err = capsys.readouterr().err
    assert code == 2 and "chưa có tệp dữ liệu data/chibo.json" in err, err
    assert list(tmp_path.iterdir()) == []


def test_ask_takes_the_short_plan_id_chat_takes(capsys):
    code = main(["ask", "--plan", "kim-bang", "--today", "2022-05-01", "hạn chót"])
    out = capsys.readouterr().out
    assert code == 0 and "Kim Bảng 35-KH/HU" in out
    assert main(["ask", "--plan", "k", "hạn chót"]) == 2  # two plans start so: which one?
    assert "kim-bang-35-2022, ky-loi-2022" in capsys.readouterr().out


def test_ask_refuses_year_9999_in_words(capsys):
    code = main(["ask", "--plan", "kim-bang", "--today", "2026-12-07", "hạn nộp 31/12/9999"])
    assert code == 0 and "9999" in capsys.readouterr().out


def test_help_says_run_serves_both_channels():
    helps = build_parser().format_help()
    assert "bot Telegram (" not in helps
    assert "Telegram và/hoặc Zalo" in helps
