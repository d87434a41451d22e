"""deploy/chibo.service: a systemd unit systemd accepts, running `chibo run` as its own user with the
file system read-only but for the bot's data and plans folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "chibo.service"


def settings() -> dict[str, list[str]]:
    """Every `Key=value` of the unit, by key (a key may repeat)."""
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_runs_chibo_run_from_the_install_venv_as_its_own_user() -> None:
    unit = settings()
    assert unit["User"] == ["chibo"]
    workdir = unit["WorkingDirectory"][0]
    (command, *arguments) = unit["ExecStart"][0].split()
    assert command == f"{workdir}/.venv/bin/chibo"
    assert arguments[0] == "run"
    assert unit["EnvironmentFile"] == [f"{workdir}/.env"]
    assert unit["Restart"] == ["on-failure"]


def test_hardened_but_writes_its_data_and_plans() -> None:
    unit = settings()
    for key, value in {
        "ProtectSystem": "strict",
        "ProtectHome": "true",
        "NoNewPrivileges": "true",
        "PrivateTmp": "true",
        "PrivateDevices": "true",
        "ProtectKernelTunables": "true",
        "ProtectKernelModules": "true",
        "ProtectControlGroups": "true",
        "RestrictSUIDSGID": "true",
        "LockPersonality": "true",
    }.items():
        assert unit.get(key) == [value], key
    workdir = unit["WorkingDirectory"][0]
    writable = {path for entry in unit["ReadWritePaths"] for path in entry.split()}
    assert {f"{workdir}/data", f"{workdir}/ke-hoach"} <= writable
    families = unit["RestrictAddressFamilies"][0].split()
    assert {"AF_INET", "AF_INET6"} <= set(families)  # outbound HTTPS to Zalo and Telegram


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    # The install's venv and the chibo user need not exist on this machine: a copy runs this
    # Python instead, as the current user. Every other line is checked as written.
    lines = []
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith("ExecStart="):
            line = f"ExecStart={sys.executable} -c pass"
        elif line.startswith(("User=", "Group=")):
            continue
        lines.append(line)
    copy = tmp_path / "chibo.service"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # verify exits 0 on an unknown key or a bad value, saying so on stderr
    complaints = [line for line in result.stderr.splitlines() if copy.name in line]
    assert complaints == []
