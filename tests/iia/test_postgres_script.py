""".ci/postgres.sh: a fresh cluster on every start for the tests; with IIA_PG_KEEP (the stack,
the load benchmark) the databases outlive a stop."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent.parent
PORT = "55499"


def _script(action: str, data: Path, keep: bool) -> str:
    env = {**os.environ, "IIA_PG_DATA": str(data)}
    env.pop("IIA_PG_KEEP", None)
    if keep:
        env["IIA_PG_KEEP"] = "1"
    done = subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), action, PORT], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _databases() -> set[str]:
    found = subprocess.run(["psql", "-h", "127.0.0.1", "-p", PORT, "-U", "iia", "-d", "postgres", "-tAc",
                            "SELECT datname FROM pg_database"], capture_output=True, text=True, timeout=30)
    assert found.returncode == 0, found.stderr
    return set(found.stdout.split())


def test_a_kept_cluster_keeps_its_databases_and_a_throwaway_one_does_not():
    # not under pytest's own temporary directory (private to this user): as root, the
    # server runs as the postgres account and must reach its data directory
    parent = Path(tempfile.mkdtemp(prefix="iia-pg-keep-"))
    os.chmod(parent, 0o755)
    data = parent / "pg"
    try:
        _script("start", data, keep=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", PORT, "-U", "iia", "seeded_board"], check=True, timeout=30)
        _script("stop", data, keep=True)
        assert "data kept" in _script("start", data, keep=True)
        assert "seeded_board" in _databases()
        _script("stop", data, keep=False)
        _script("start", data, keep=False)  # the tests' server: always a fresh cluster
        assert "seeded_board" not in _databases() and "iia" in _databases()
    finally:
        _script("stop", data, keep=False)
        shutil.rmtree(parent, ignore_errors=True)
