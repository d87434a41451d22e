"""deploy/compose.yaml: the bot with PostgreSQL 15, started only once the database answers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"


@pytest.fixture(scope="module")
def compose() -> dict:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_postgres_15_keeps_its_data_in_a_named_volume(compose: dict) -> None:
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:15")
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]


def test_postgres_health_is_pg_isready(compose: dict) -> None:
    check = compose["services"]["db"]["healthcheck"]
    assert "pg_isready" in " ".join(check["test"])


def test_the_bot_waits_for_a_healthy_database(compose: dict) -> None:
    bot = compose["services"]["bot"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_bot_is_built_from_this_repository(compose: dict) -> None:
    build = compose["services"]["bot"]["build"]
    context = (COMPOSE.parent / build["context"]).resolve()
    assert context == ROOT
    assert (context / build["dockerfile"]).is_file()
    dockerfile = (context / build["dockerfile"]).read_text(encoding="utf-8")
    assert "pip install" in dockerfile
    assert '"chibo", "run"' in dockerfile


def test_the_bot_reads_env_and_uses_the_compose_database(compose: dict) -> None:
    bot = compose["services"]["bot"]
    env_files = bot["env_file"] if isinstance(bot["env_file"], list) else [bot["env_file"]]
    assert any((COMPOSE.parent / f).resolve() == ROOT / ".env" for f in env_files)
    assert bot["environment"]["CHIBO_DB"].startswith("postgresql://")
    assert "@db:5432/" in bot["environment"]["CHIBO_DB"]


def test_published_plans_outlive_the_container(compose: dict) -> None:
    bot = compose["services"]["bot"]
    mounted = dict(reversed(v.split(":", 1)) for v in bot["volumes"])  # target → volume
    assert mounted[bot["environment"]["CHIBO_PLANS_DIR"]] in compose["volumes"]


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    has_compose = (
        docker is not None
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    )
    if not has_compose:
        pytest.skip("no docker CLI with the compose plugin here")
    # A copy beside an empty .env: compose refuses a missing env_file, and the test writes nothing
    # into the repository.
    (tmp_path / "deploy").mkdir()
    shutil.copy(COMPOSE, tmp_path / "deploy" / "compose.yaml")
    shutil.copy(COMPOSE.parent / "Dockerfile", tmp_path / "deploy" / "Dockerfile")
    (tmp_path / ".env").write_text("ZALO_BOT_TOKEN=\n", encoding="utf-8")
    result = subprocess.run(
        [docker, "compose", "-f", str(tmp_path / "deploy" / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
