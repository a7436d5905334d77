"""netops installed as a tool: the wheel, in a fresh virtual environment, run from ``/``.

Nothing may depend on the checkout or the current directory: the built-in
configuration, inventory, policy, schemas and thresholds ship as package data;
``netops init`` writes a site's own files, found through ``--config`` or
``NETOPS_CONFIG``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

NO_SYSTEM_CONFIG = pytest.mark.skipif(Path("/etc/netops/netops.yaml").exists(),
                                      reason="this machine has a system configuration (/etc/netops/netops.yaml)")


class Installed:
    """``netops`` of a fresh virtual environment, run from ``/`` unless told otherwise."""

    def __init__(self, exe: Path, env: dict[str, str]) -> None:
        self.exe, self.env = exe, env

    def __call__(self, *args: str, env: dict[str, str] | None = None, cwd: Path | str = "/") -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.exe), *args], cwd=cwd, capture_output=True, text=True, env=self.env | (env or {}),
                              timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    return next(out.glob("netops-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel (not editable) in a fresh virtual environment; its dependencies from the package index."""
    env_dir = tmp_path_factory.mktemp("venv") / "netops"
    venv.create(env_dir, with_pip=True)
    pip = subprocess.run([str(env_dir / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-2000:]
    home = tmp_path_factory.mktemp("home")
    return Installed(env_dir / "bin" / "netops", {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(home), "COLUMNS": "200"})


def test_the_wheel_carries_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("netops/defaults/netops.yaml", "netops/defaults/policy/secretariat.yaml", "netops/defaults/policy/policy.schema.json",
                 "netops/defaults/policy/thresholds.yaml", "netops/defaults/inventory/hosts.yaml",
                 "netops/defaults/schemas/netops.schema.json", "netops/defaults/schemas/probe-plan.schema.json",
                 "netops/defaults/init/netops.yaml", "netops/defaults/init/policy/site.yaml"):
        assert data in names, data


@NO_SYSTEM_CONFIG
def test_built_in_defaults_work_from_the_root_directory(installed: Installed) -> None:
    shown = installed("config", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    info = json.loads(shown.stdout)
    assert info["config_file"] is None
    origins = {row["key"]: row["origin"] for row in info["settings"]}
    assert origins["inventory"] == origins["policy"] == "default (built in, package data)"
    listed = installed("inventory", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 34
    assert installed("policy", "lint").returncode == 0


def test_a_new_site_from_netops_init(installed: Installed, tmp_path: Path) -> None:
    site = tmp_path / "etc-netops"
    made = installed("init", str(site), "--site", "leh", "--json")
    assert made.returncode == 0, made.stderr
    config = site / "netops.yaml"
    assert config.is_file() and str(config) in json.loads(made.stdout)["files"]
    env = {"NETOPS_CONFIG": str(config), "NETOPS_DATA_DIR": str(tmp_path / "data")}
    shown = json.loads(installed("config", "show", "--json", env=env).stdout)
    assert shown["config_file"] == str(config)
    rows = {row["key"]: row for row in shown["settings"]}
    assert rows["inventory"]["value"] == str(site / "inventory") and rows["inventory"]["origin"].startswith(f"file {config}:")
    assert rows["data_dir"]["origin"] == "environment NETOPS_DATA_DIR"
    listed = installed("inventory", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert {h["site"] for h in json.loads(listed.stdout)} == {"leh"}
    assert installed("inventory", "check", env=env).returncode == 0
    assert installed("policy", "lint", env=env).returncode == 0
    empty = tmp_path / "backups"
    empty.mkdir()
    checked = installed("check", "--backup-dir", str(empty), "--json", env=env)
    assert checked.returncode == 0, checked.stderr  # nothing backed up yet: notices, no finding
    report = json.loads(checked.stdout)
    assert report["run"]["policy"] == f"{site / 'policy' / 'site.yaml'}, {site / 'policy' / 'hardening.yaml'}"
    assert "no-config" in {n["kind"] for n in report["notices"]} and report["findings"] == []
    again = installed("init", str(site), env=env)
    assert again.returncode == 2 and "--force" in again.stderr  # never overwrites a site's files


def test_a_bad_configuration_file_names_file_line_and_key(installed: Installed, tmp_path: Path) -> None:
    config = tmp_path / "netops.yaml"
    config.write_text("inventory: inventory\nprobes:\n  max_age: soon\n  plan: 3\n")
    proc = installed("config", "show", env={"NETOPS_CONFIG": str(config)})
    assert proc.returncode == 2
    assert f"{config}:3: probes.max_age" in proc.stderr and f"{config}:4: probes.plan" in proc.stderr
    missing = installed("--config", str(tmp_path / "nope.yaml"), "config", "show")
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr


@NO_SYSTEM_CONFIG
def test_no_default_is_read_from_the_current_directory(installed: Installed, tmp_path: Path) -> None:
    """A directory holding inventory/ and policy/ changes nothing: only netops.yaml is looked for there."""
    (tmp_path / "inventory").mkdir()
    (tmp_path / "inventory" / "hosts.yaml").write_text("only-here: {hostname: 10.0.0.1}\n")
    proc = installed("inventory", "list", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "only-here" not in proc.stdout and len(json.loads(proc.stdout)) == 34
